import Foundation
import Yams

/// Every user-visible string, per language, loaded from `Resources/Locales/<lang>.yaml`.
///
/// The files are nested YAML maps; keys are flattened with dots (`nav.dashboard`). Texts may hold named
/// placeholders such as `{name}`, and both languages must use the same ones, so that a translation can
/// never drop a value the page relies on. A count is written as a plural form (`MessageFormat`), in both
/// languages: `{count, plural, one {# item} other {# items}}`, `{count, plural, other {#項目}}`.
public struct LocaleCatalog: Sendable {
  public private(set) var texts: [Language: [String: String]]
  /// Texts with placeholders, parsed once: pages format dozens of them per request.
  private let messages: [Language: [String: [MessageFormat.Part]]]

  public init(texts: [Language: [String: String]]) {
    self.texts = texts
    messages = texts.mapValues { texts in
      texts.compactMapValues { $0.contains("{") ? try? MessageFormat.parse($0) : nil }
    }
  }

  /// Loads and cross-checks every language's file in `directory`.
  public static func load(directory: URL) throws -> LocaleCatalog {
    var texts: [Language: [String: String]] = [:]
    var lines: [Language: [String: Int]] = [:]
    for language in Language.allCases {
      let file = directory.appendingPathComponent("\(language.rawValue).yaml")
      let source: String
      do {
        source = try String(contentsOf: file, encoding: .utf8)
      } catch {
        throw CatalogError(file: file.path, line: nil, reason: "cannot be read: \(error.localizedDescription)")
      }
      let (flat, keyLines) = try flatten(source: source, file: file.path)
      texts[language] = flat
      lines[language] = keyLines
    }
    let catalog = LocaleCatalog(texts: texts)
    try catalog.validate(directory: directory, lines: lines)
    return catalog
  }

  static func flatten(source: String, file: String) throws -> ([String: String], [String: Int]) {
    let root: Node?
    do {
      root = try Yams.compose(yaml: source)
    } catch let error as YamlError {
      throw CatalogError(file: file, line: error.line, reason: "is not valid YAML: \(error)")
    }
    guard let root, case .mapping = root else {
      throw CatalogError(file: file, line: 1, reason: "must be a map of keys to texts")
    }
    var flat: [String: String] = [:]
    var keyLines: [String: Int] = [:]
    func walk(_ node: Node, prefix: String) throws {
      guard let mapping = node.mapping else { return }
      for (keyNode, value) in mapping {
        guard let key = keyNode.string, !key.isEmpty else {
          throw CatalogError(file: file, line: line(of: keyNode), reason: "has a key that is not text")
        }
        let path = prefix.isEmpty ? key : "\(prefix).\(key)"
        switch value {
        case .mapping:
          try walk(value, prefix: path)
        case .scalar(let scalar):
          if flat[path] != nil {
            throw CatalogError(file: file, line: line(of: keyNode), reason: "defines \(path) twice")
          }
          flat[path] = scalar.string
          keyLines[path] = line(of: keyNode)
        default:
          throw CatalogError(file: file, line: line(of: keyNode), reason: "\(path) must be a text or a map")
        }
      }
    }
    try walk(root, prefix: "")
    return (flat, keyLines)
  }

  static func line(of node: Node) -> Int? {
    node.mark.map { $0.line }
  }

  func validate(directory: URL, lines: [Language: [String: Int]]) throws {
    let reference = Language.default
    for language in Language.allCases {
      let file = directory.appendingPathComponent("\(language.rawValue).yaml").path
      for (key, text) in texts[language, default: [:]].sorted(by: { $0.key < $1.key }) {
        let parts: [MessageFormat.Part]
        do {
          parts = try MessageFormat.parse(text)
        } catch let error as MessageFormat.SyntaxError {
          throw CatalogError(file: file, line: lines[language]?[key], reason: "\(key) \(error.reason)")
        }
        if let foreign = MessageFormat.foreignCategories(parts, language).first {
          throw CatalogError(
            file: file, line: lines[language]?[key],
            reason: "\(key) uses the plural form \"\(foreign)\", which \(language.rawValue) does not have (it has \(MessageFormat.categories(language).sorted().joined(separator: ", ")))")
        }
      }
    }
    let referenceKeys = Set(texts[reference, default: [:]].keys)
    for language in Language.allCases where language != reference {
      let file = directory.appendingPathComponent("\(language.rawValue).yaml").path
      let keys = Set(texts[language, default: [:]].keys)
      if let missing = referenceKeys.subtracting(keys).sorted().first {
        throw CatalogError(file: file, line: nil, reason: "lacks \(missing), which \(reference.rawValue).yaml has")
      }
      if let extra = keys.subtracting(referenceKeys).sorted().first {
        throw CatalogError(
          file: file, line: lines[language]?[extra], reason: "has \(extra), which \(reference.rawValue).yaml lacks")
      }
      for key in referenceKeys.sorted() {
        let expected = Self.placeholders(in: texts[reference]![key]!)
        let found = Self.placeholders(in: texts[language]![key]!)
        if expected != found {
          throw CatalogError(
            file: file, line: lines[language]?[key],
            reason: "\(key) uses placeholders \(found.sorted()) but \(reference.rawValue).yaml uses \(expected.sorted())")
        }
        let expectedPlurals = Self.pluralNames(in: texts[reference]![key]!)
        let foundPlurals = Self.pluralNames(in: texts[language]![key]!)
        if expectedPlurals != foundPlurals {
          throw CatalogError(
            file: file, line: lines[language]?[key],
            reason: "\(key) counts \(foundPlurals.sorted()) with plural forms but \(reference.rawValue).yaml counts \(expectedPlurals.sorted())")
        }
      }
    }
  }

  /// The `{name}` placeholders of a text, the counts of its plural forms included.
  public static func placeholders(in text: String) -> Set<String> {
    if let parts = try? MessageFormat.parse(text) { return MessageFormat.placeholders(parts) }
    return simplePlaceholders(in: text)
  }

  /// The names whose value chooses a plural form of the text.
  public static func pluralNames(in text: String) -> Set<String> {
    (try? MessageFormat.parse(text)).map(MessageFormat.pluralNames) ?? []
  }

  /// Whether the text of `key` is a plural form for `name` in every language.
  public func isPlural(_ key: String, for name: String) -> Bool {
    Language.allCases.allSatisfy { Self.pluralNames(in: texts[$0]?[key] ?? "").contains(name) }
  }

  static func simplePlaceholders(in text: String) -> Set<String> {
    var result: Set<String> = []
    var current: String?
    for character in text {
      if character == "{" {
        current = ""
      } else if character == "}", let name = current {
        if !name.isEmpty { result.insert(name) }
        current = nil
      } else if current != nil {
        if character.isLetter || character.isNumber || character == "_" {
          current!.append(character)
        } else {
          current = nil
        }
      }
    }
    return result
  }

  public func has(_ key: String) -> Bool { texts[Language.default]?[key] != nil }

  public var keys: Set<String> { Set(texts[Language.default, default: [:]].keys) }

  /// The text for `key`, with `{name}` placeholders filled. A missing key shows as `⟦key⟧`, never as
  /// an empty string, so that a gap is visible on the page and caught by the tests.
  public func text(_ key: String, _ language: Language, _ arguments: [String: String] = [:]) -> String {
    guard let template = texts[language]?[key] ?? texts[Language.default]?[key] else { return "⟦\(key)⟧" }
    // A byte scan: `String.contains(String)` goes through Foundation's locale-aware search, and this
    // runs for every label of every page.
    guard template.utf8.contains(UInt8(ascii: "{")) else { return template }
    let parts = texts[language]?[key] != nil ? messages[language]?[key] : messages[Language.default]?[key]
    guard let parts else { return template }
    return MessageFormat.format(parts, language, arguments)
  }
}

/// A problem in a catalog file, naming the file, the line when known, and the reason.
public struct CatalogError: Error, CustomStringConvertible, Sendable {
  public let file: String
  public let line: Int?
  public let reason: String

  public init(file: String, line: Int?, reason: String) {
    self.file = file
    self.line = line
    self.reason = reason
  }

  public var description: String {
    if let line { return "\(file):\(line): \(reason)" }
    return "\(file): \(reason)"
  }
}
