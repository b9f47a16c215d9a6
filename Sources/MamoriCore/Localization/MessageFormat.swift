import Foundation

/// The texts of the locale catalog: plain text with `{name}` placeholders, and plural forms for counts,
/// written as a small subset of ICU MessageFormat:
///
///     "{days, plural, one {# day left} other {# days left}}"      (en)
///     "{days, plural, other {あと#日}}"                              (ja)
///
/// Inside a plural form, `#` is the count and `{name}` any other placeholder. A form is chosen by the
/// exact value (`=0 {…}`) first, then by the language's plural category (CLDR: English has `one` and
/// `other`, Japanese only `other`). Every plural form must have `other`. A count is read as a whole
/// number (a text such as "1,234" is read without its separators); anything else takes `other`.
public enum MessageFormat {
  public indirect enum Part: Equatable, Sendable {
    case literal(String)
    case placeholder(String)
    case count
    case plural(name: String, forms: [(selector: String, parts: [Part])])

    public static func == (lhs: Part, rhs: Part) -> Bool {
      switch (lhs, rhs) {
      case (.literal(let a), .literal(let b)): a == b
      case (.placeholder(let a), .placeholder(let b)): a == b
      case (.count, .count): true
      case (.plural(let a, let x), .plural(let b, let y)):
        a == b && x.count == y.count && zip(x, y).allSatisfy { $0.selector == $1.selector && $0.parts == $1.parts }
      default: false
      }
    }
  }

  public struct SyntaxError: Error, CustomStringConvertible, Sendable {
    public let reason: String
    public var description: String { reason }
  }

  /// The plural categories a language's forms may use (besides exact `=N` values).
  public static func categories(_ language: Language) -> Set<String> {
    switch language {
    case .ja: ["other"]
    case .en: ["one", "other"]
    }
  }

  /// The CLDR plural category of a whole number.
  public static func category(of value: Int?, _ language: Language) -> String {
    switch language {
    case .ja: return "other"
    case .en: return value == 1 ? "one" : "other"
    }
  }

  /// Reads a count argument: digits with optional grouping separators and sign.
  public static func count(_ text: String?) -> Int? {
    guard let text else { return nil }
    let cleaned = text.filter { $0 != "," && $0 != " " && $0 != "\u{00A0}" }
    return Int(cleaned)
  }

  // MARK: Parsing

  public static func parse(_ text: String) throws -> [Part] {
    var index = text.startIndex
    return try parseParts(text, &index, inPlural: false)
  }

  static func parseParts(_ text: String, _ index: inout String.Index, inPlural: Bool) throws -> [Part] {
    var parts: [Part] = []
    var literal = ""
    func flush() {
      if !literal.isEmpty { parts.append(.literal(literal)) }
      literal = ""
    }
    while index < text.endIndex {
      let character = text[index]
      if character == "}", inPlural { break }
      if character == "#" && inPlural {
        flush()
        parts.append(.count)
        index = text.index(after: index)
        continue
      }
      if character == "{" {
        // A placeholder `{name}` or a plural `{name, plural, …}`; anything else is literal text.
        if let (part, end) = try argument(text, from: index) {
          flush()
          parts.append(part)
          index = end
          continue
        }
      }
      literal.append(character)
      index = text.index(after: index)
    }
    flush()
    return parts
  }

  /// The argument starting at `start` (a `{`), and the index after its closing `}`; nil when the braces
  /// do not hold a name (then they are literal text, as in the old catalog).
  static func argument(_ text: String, from start: String.Index) throws -> (Part, String.Index)? {
    var index = text.index(after: start)
    var name = ""
    while index < text.endIndex, text[index].isLetter || text[index].isNumber || text[index] == "_" {
      name.append(text[index])
      index = text.index(after: index)
    }
    guard !name.isEmpty, index < text.endIndex else { return nil }
    if text[index] == "}" { return (.placeholder(name), text.index(after: index)) }
    guard text[index] == "," else { return nil }
    index = text.index(after: index)
    skipSpaces(text, &index)
    var kind = ""
    while index < text.endIndex, text[index].isLetter {
      kind.append(text[index])
      index = text.index(after: index)
    }
    guard kind == "plural" else { throw SyntaxError(reason: "{\(name), \(kind)…} is not a known form (only plural is)") }
    skipSpaces(text, &index)
    guard index < text.endIndex, text[index] == "," else { throw SyntaxError(reason: "{\(name), plural…} needs a \",\" before its forms") }
    index = text.index(after: index)
    var forms: [(selector: String, parts: [Part])] = []
    while true {
      skipSpaces(text, &index)
      guard index < text.endIndex else { throw SyntaxError(reason: "{\(name), plural…} is not closed") }
      if text[index] == "}" {
        index = text.index(after: index)
        break
      }
      var selector = ""
      while index < text.endIndex, text[index] != "{", !text[index].isWhitespace {
        selector.append(text[index])
        index = text.index(after: index)
      }
      skipSpaces(text, &index)
      guard !selector.isEmpty, index < text.endIndex, text[index] == "{" else {
        throw SyntaxError(reason: "{\(name), plural…} has a form without its {text}")
      }
      if selector.hasPrefix("=") {
        guard Int(selector.dropFirst()) != nil else { throw SyntaxError(reason: "{\(name), plural…} has an exact form \(selector) that is not a number") }
      } else if !["zero", "one", "two", "few", "many", "other"].contains(selector) {
        throw SyntaxError(reason: "{\(name), plural…} has an unknown form \"\(selector)\"")
      }
      if forms.contains(where: { $0.selector == selector }) { throw SyntaxError(reason: "{\(name), plural…} repeats the form \(selector)") }
      index = text.index(after: index)
      let parts = try parseParts(text, &index, inPlural: true)
      guard index < text.endIndex, text[index] == "}" else { throw SyntaxError(reason: "{\(name), plural…} has a form that is not closed") }
      index = text.index(after: index)
      forms.append((selector: selector, parts: parts))
    }
    guard forms.contains(where: { $0.selector == "other" }) else { throw SyntaxError(reason: "{\(name), plural…} needs an \"other\" form") }
    return (.plural(name: name, forms: forms), index)
  }

  static func skipSpaces(_ text: String, _ index: inout String.Index) {
    while index < text.endIndex, text[index].isWhitespace { index = text.index(after: index) }
  }

  // MARK: What a text uses

  /// The names of the placeholders of a text, plural counts included.
  public static func placeholders(_ parts: [Part]) -> Set<String> {
    var result: Set<String> = []
    for part in parts {
      switch part {
      case .placeholder(let name): result.insert(name)
      case .plural(let name, let forms):
        result.insert(name)
        for form in forms { result.formUnion(placeholders(form.parts)) }
      case .literal, .count: break
      }
    }
    return result
  }

  /// The names that choose a plural form.
  public static func pluralNames(_ parts: [Part]) -> Set<String> {
    var result: Set<String> = []
    for part in parts {
      if case .plural(let name, let forms) = part {
        result.insert(name)
        for form in forms { result.formUnion(pluralNames(form.parts)) }
      }
    }
    return result
  }

  /// The placeholders used as plain `{name}`, outside any plural form that counts them.
  public static func plainNames(_ parts: [Part]) -> Set<String> {
    var result: Set<String> = []
    for part in parts {
      switch part {
      case .placeholder(let name): result.insert(name)
      case .plural(_, let forms): for form in forms { result.formUnion(plainNames(form.parts)) }
      case .literal, .count: break
      }
    }
    return result
  }

  /// The plural categories a text uses that `language` does not have.
  public static func foreignCategories(_ parts: [Part], _ language: Language) -> [String] {
    var result: [String] = []
    for part in parts {
      if case .plural(_, let forms) = part {
        for form in forms {
          if !form.selector.hasPrefix("="), !categories(language).contains(form.selector) { result.append(form.selector) }
          result += foreignCategories(form.parts, language)
        }
      }
    }
    return result
  }

  // MARK: Formatting

  public static func format(_ parts: [Part], _ language: Language, _ arguments: [String: String], count: String? = nil) -> String {
    var result = ""
    for part in parts {
      switch part {
      case .literal(let text): result += text
      case .placeholder(let name): result += arguments[name] ?? "{\(name)}"
      case .count: result += count ?? ""
      case .plural(let name, let forms):
        let raw = arguments[name]
        let value = Self.count(raw)
        let exact = value.flatMap { value in forms.first { $0.selector == "=\(value)" } }
        let category = category(of: value, language)
        let form = exact ?? forms.first { $0.selector == category } ?? forms.first { $0.selector == "other" }!
        result += format(form.parts, language, arguments, count: raw ?? "")
      }
    }
    return result
  }
}
