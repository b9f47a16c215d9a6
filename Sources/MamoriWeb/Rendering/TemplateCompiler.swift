import Foundation
import MamoriCore

/// A Leaf template compiled once, at start, into a tree the renderer walks without parsing anything:
/// variable paths are split, `#extend`/`#export`/`#import` are inlined and every `#t("key")` without
/// arguments is already looked up and escaped for each language.
///
/// Templates stay Leaf templates (the same files, the same syntax, the same output: the snapshot
/// tests render every page with LeafKit too and compare byte for byte). Decision 94 says why: LeafKit
/// interprets the syntax tree on every request, which cost more than the rest of a page together.
indirect enum TemplateNode: Sendable {
  case raw([UInt8])
  /// `#(expression)`, escaped.
  case output(TemplateExpression)
  /// `#unsafeHTML(expression)`, as it is.
  case unescaped(TemplateExpression)
  /// `#t("key")`: the escaped text per language, indexed like `Language.allCases`.
  case text([[UInt8]])
  /// `#t("key", "name", value, …)`.
  case message(key: String, arguments: [TemplateExpression], location: String)
  /// `#if` / `#elseif` / `#else`: the first branch whose condition holds.
  case conditional([(condition: TemplateExpression, body: [TemplateNode])])
  /// `#for(item in path)`.
  case loop(item: String, path: [String], body: [TemplateNode], location: String)
}

indirect enum TemplateExpression: Sendable {
  case constant(TemplateValue)
  case variable([String])
  case not(TemplateExpression)
  case binary(TemplateOperator, TemplateExpression, TemplateExpression)
}

enum TemplateOperator: String, Sendable {
  case equal = "=="
  case unequal = "!="
  case greater = ">"
  case greaterOrEqual = ">="
  case lesser = "<"
  case lesserOrEqual = "<="
  case and = "&&"
  case or = "||"
}

/// A template that cannot be compiled: FILE:LINE: reason.
struct TemplateError: Error, CustomStringConvertible {
  var file: String
  var line: Int
  var reason: String
  var description: String { "\(file):\(line): \(reason)" }
}

/// Reads templates from a directory (`name` is the path below it without `.leaf`) and compiles them.
struct TemplateCompiler {
  let directory: URL
  let catalog: LocaleCatalog
  private var parsed: [String: [ParsedNode]] = [:]

  init(directory: URL, catalog: LocaleCatalog) {
    self.directory = directory
    self.catalog = catalog
  }

  /// Every `.leaf` file under the directory, compiled; the first problem stops it.
  mutating func compileAll() throws -> [String: [TemplateNode]] {
    var compiled: [String: [TemplateNode]] = [:]
    let root = directory.standardizedFileURL.path
    let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
    for file in files.sorted() where file.hasSuffix(".leaf") {
      let name = String(file.dropLast(".leaf".count))
      compiled[name] = try compile(name)
    }
    return compiled
  }

  mutating func compile(_ name: String) throws -> [TemplateNode] {
    let nodes = try resolve(name, exports: [:], chain: [])
    return try lower(nodes, file: name)
  }

  // MARK: - Parsing

  /// A tag as written, before `#extend` is resolved.
  fileprivate indirect enum ParsedNode {
    case raw(String)
    case tag(name: String, parameters: String?, body: [ParsedNode]?, line: Int)
    /// `#if`/`#elseif`/`#else` chain: (parameters, body); `#else` has nil parameters.
    case conditional([(parameters: String?, body: [ParsedNode], line: Int)])
  }

  private mutating func parse(_ name: String) throws -> [ParsedNode] {
    if let cached = parsed[name] { return cached }
    let url = directory.appendingPathComponent(name + ".leaf")
    guard let data = FileManager.default.contents(atPath: url.path), let source = String(data: data, encoding: .utf8) else {
      throw TemplateError(file: name + ".leaf", line: 0, reason: "the template cannot be read")
    }
    var parser = Parser(file: name + ".leaf", characters: Array(source))
    let (nodes, terminator) = try parser.parseBody(until: [])
    if let terminator {
      throw TemplateError(file: name + ".leaf", line: terminator.line, reason: "#\(terminator.name) closes nothing")
    }
    parsed[name] = nodes
    return nodes
  }

  /// Inlines `#extend` (with the extending body's `#export`s) and `#import`.
  private mutating func resolve(_ name: String, exports: [String: [ParsedNode]], chain: [String]) throws -> [ParsedNode] {
    guard !chain.contains(name) else {
      throw TemplateError(file: name + ".leaf", line: 0, reason: "extends itself through \(chain.joined(separator: " → "))")
    }
    return try resolve(nodes: parse(name), file: name, exports: exports, chain: chain + [name])
  }

  private mutating func resolve(
    nodes: [ParsedNode], file: String, exports: [String: [ParsedNode]], chain: [String]
  ) throws -> [ParsedNode] {
    var result: [ParsedNode] = []
    for node in nodes {
      switch node {
      case .raw:
        result.append(node)
      case .conditional(let chainOfBlocks):
        var blocks: [(parameters: String?, body: [ParsedNode], line: Int)] = []
        for block in chainOfBlocks {
          blocks.append((block.parameters, try resolve(nodes: block.body, file: file, exports: exports, chain: chain), block.line))
        }
        result.append(.conditional(blocks))
      case .tag(let name, let parameters, let body, let line):
        switch name {
        case "extend":
          let target = try Self.stringArgument(parameters, file: file, line: line, tag: name)
          var ownExports: [String: [ParsedNode]] = [:]
          for child in body ?? [] {
            // Only exports count inside an extending body; text between them is not output.
            if case .tag("export", let exportParameters, let exportBody, let exportLine) = child {
              let key = try Self.stringArgument(exportParameters, file: file, line: exportLine, tag: "export")
              ownExports[key] = try resolve(nodes: exportBody ?? [], file: file, exports: exports, chain: chain)
            }
          }
          result += try resolve(target, exports: ownExports, chain: chain)
        case "import":
          let key = try Self.stringArgument(parameters, file: file, line: line, tag: name)
          result += exports[key] ?? []
        case "export":
          throw TemplateError(file: file + ".leaf", line: line, reason: "#export outside an #extend body")
        default:
          let resolvedBody = try body.map { try resolve(nodes: $0, file: file, exports: exports, chain: chain) }
          result.append(.tag(name: name, parameters: parameters, body: resolvedBody, line: line))
        }
      }
    }
    return result
  }

  private static func stringArgument(_ parameters: String?, file: String, line: Int, tag: String) throws -> String {
    let tokens = try Tokenizer.tokens(parameters ?? "", file: file + ".leaf", line: line)
    guard tokens.count == 1, case .string(let value) = tokens[0] else {
      throw TemplateError(file: file + ".leaf", line: line, reason: "#\(tag) takes one string")
    }
    return value
  }

  // MARK: - Lowering to the render tree

  private func lower(_ nodes: [ParsedNode], file: String) throws -> [TemplateNode] {
    var result: [TemplateNode] = []
    func appendRaw(_ text: String) {
      let bytes = Array(text.utf8)
      if case .raw(let previous)? = result.last {
        result[result.count - 1] = .raw(previous + bytes)
      } else if !bytes.isEmpty {
        result.append(.raw(bytes))
      }
    }
    for node in nodes {
      switch node {
      case .raw(let text):
        appendRaw(text)
      case .conditional(let blocks):
        var branches: [(condition: TemplateExpression, body: [TemplateNode])] = []
        for block in blocks {
          let condition: TemplateExpression
          if let parameters = block.parameters {
            let expressions = try ExpressionParser.parse(parameters, file: file + ".leaf", line: block.line)
            guard expressions.count == 1 else {
              throw TemplateError(file: file + ".leaf", line: block.line, reason: "#if takes one condition")
            }
            condition = expressions[0]
          } else {
            condition = .constant(.bool(true))
          }
          branches.append((condition, try lower(block.body, file: file)))
        }
        result.append(.conditional(branches))
      case .tag(let name, let parameters, let body, let line):
        let location = "\(file).leaf:\(line)"
        switch name {
        case "":
          let expressions = try ExpressionParser.parse(parameters ?? "", file: file + ".leaf", line: line)
          guard expressions.count == 1 else {
            throw TemplateError(file: file + ".leaf", line: line, reason: "#() takes one expression")
          }
          // Leaf writes a literal as it is, unescaped, and a boolean keyword as it was written.
          let written = (parameters ?? "").trimmingCharacters(in: .whitespaces)
          if ["true", "false", "yes", "no"].contains(written) {
            appendRaw(written)
            continue
          }
          switch expressions[0] {
          case .constant(.string(let text)): appendRaw(text)
          case .constant(.int(let number)): appendRaw(String(number))
          case .constant(.double(let number)): appendRaw(number.description)
          case .constant(.bool(let flag)): appendRaw(flag.description)
          default: result.append(.output(expressions[0]))
          }
        case "unsafeHTML":
          let expressions = try ExpressionParser.parse(parameters ?? "", file: file + ".leaf", line: line)
          guard expressions.count == 1 else {
            throw TemplateError(file: file + ".leaf", line: line, reason: "#unsafeHTML takes one expression")
          }
          result.append(.unescaped(expressions[0]))
        case "t":
          let expressions = try ExpressionParser.parse(parameters ?? "", file: file + ".leaf", line: line)
          guard case .constant(.string(let key))? = expressions.first else {
            throw TemplateError(file: file + ".leaf", line: line, reason: "#t needs a catalog key as its first parameter")
          }
          guard catalog.has(key) else {
            throw TemplateError(file: file + ".leaf", line: line, reason: "#t: \(key) is not in the locale catalog")
          }
          if expressions.count == 1, !Language.allCases.contains(where: { (catalog.texts[$0]?[key] ?? "").contains("{") }) {
            result.append(.text(Language.allCases.map { HTMLEscaping.escaped(catalog.texts[$0]?[key] ?? "") }))
          } else {
            guard expressions.count % 2 == 1 else {
              throw TemplateError(file: file + ".leaf", line: line, reason: "#t takes a key and then name, value pairs")
            }
            result.append(.message(key: key, arguments: Array(expressions.dropFirst()), location: location))
          }
        case "for":
          let tokens = try Tokenizer.tokens(parameters ?? "", file: file + ".leaf", line: line)
          guard tokens.count == 3, case .identifier(let item) = tokens[0], case .identifier("in") = tokens[1],
            case .identifier(let path) = tokens[2], !item.contains(".")
          else {
            throw TemplateError(file: file + ".leaf", line: line, reason: "#for takes `item in path`")
          }
          result.append(
            .loop(
              item: item, path: path.split(separator: ".").map(String.init), body: try lower(body ?? [], file: file),
              location: location))
        default:
          // Leaf writes an unknown tag without parameters or body as text (`href="#main"`); anything
          // more is a mistake in the template.
          guard parameters == nil, body == nil else {
            throw TemplateError(file: file + ".leaf", line: line, reason: "#\(name) is not a tag Mamori's templates use")
          }
          appendRaw("#" + name)
        }
      }
    }
    return result
  }

  // MARK: - Characters to nodes

  /// Leaf's lexer rules: `#` followed by a letter or `(` starts a tag, `\#` is a literal `#`, a tag name
  /// is letters only, `:` after the name or the parameters opens a body closed by `#end<name>`.
  private struct Parser {
    let file: String
    let characters: [Character]
    var position = 0
    var line = 1

    init(file: String, characters: [Character]) {
      self.file = file
      self.characters = characters
    }

    mutating func parseBody(until terminators: Set<String>) throws -> ([ParsedNode], (name: String, line: Int)?) {
      var nodes: [ParsedNode] = []
      var raw = ""
      func flush() {
        if !raw.isEmpty { nodes.append(.raw(raw)); raw = "" }
      }
      while position < characters.count {
        let character = characters[position]
        if character == "\\", position + 1 < characters.count, characters[position + 1] == "#" {
          raw.append("#")
          position += 2
          continue
        }
        guard character == "#" else {
          if character == "\n" { line += 1 }
          raw.append(character)
          position += 1
          continue
        }
        guard position + 1 < characters.count else {
          throw TemplateError(file: file, line: line, reason: "unescaped # at the end of the template")
        }
        let next = characters[position + 1]
        guard Self.isTagLetter(next) || next == "(" else {
          raw.append("#")
          position += 1
          continue
        }
        position += 1
        let tagLine = line
        var name = ""
        while position < characters.count, Self.isTagLetter(characters[position]) {
          name.append(characters[position])
          position += 1
        }
        var parameters: String?
        if position < characters.count, characters[position] == "(" {
          parameters = try readParameters()
        }
        var opensBody = false
        if position < characters.count, characters[position] == ":", !name.isEmpty {
          opensBody = true
          position += 1
        }
        if name.hasPrefix("end") || ((name == "else" || name == "elseif") && terminators.contains(name)) {
          guard terminators.contains(name) else {
            throw TemplateError(file: file, line: tagLine, reason: "#\(name) closes nothing")
          }
          flush()
          // An `#else`/`#elseif` hands its parameters back through the position it leaves.
          pendingParameters = parameters
          return (nodes, (name, tagLine))
        }
        flush()
        if name == "if" {
          nodes.append(try parseConditional(firstParameters: parameters, line: tagLine))
        } else if opensBody {
          let (body, terminator) = try parseBody(until: ["end" + name])
          guard terminator != nil else {
            throw TemplateError(file: file, line: tagLine, reason: "#\(name) is never closed with #end\(name)")
          }
          nodes.append(.tag(name: name, parameters: parameters, body: body, line: tagLine))
        } else {
          nodes.append(.tag(name: name, parameters: parameters, body: nil, line: tagLine))
        }
      }
      flush()
      return (nodes, nil)
    }

    private var pendingParameters: String?

    private mutating func parseConditional(firstParameters: String?, line: Int) throws -> ParsedNode {
      guard firstParameters != nil else { throw TemplateError(file: file, line: line, reason: "#if needs a condition") }
      var blocks: [(parameters: String?, body: [ParsedNode], line: Int)] = []
      var parameters = firstParameters
      var blockLine = line
      var isElse = false
      while true {
        let terminators: Set<String> = isElse ? ["endif"] : ["endif", "else", "elseif"]
        let (body, terminator) = try parseBody(until: terminators)
        blocks.append((isElse ? nil : parameters, body, blockLine))
        guard let terminator else { throw TemplateError(file: file, line: line, reason: "#if is never closed with #endif") }
        switch terminator.name {
        case "endif":
          return .conditional(blocks)
        case "else":
          isElse = true
        default:
          parameters = pendingParameters
          guard parameters != nil else {
            throw TemplateError(file: file, line: terminator.line, reason: "#elseif needs a condition")
          }
        }
        blockLine = terminator.line
      }
    }

    /// The text between balanced parentheses; string literals may hold parentheses.
    private mutating func readParameters() throws -> String {
      let startLine = line
      position += 1
      var depth = 1
      var text = ""
      var inString = false
      while position < characters.count {
        let character = characters[position]
        position += 1
        if character == "\n" {
          guard !inString else { throw TemplateError(file: file, line: line, reason: "a string is not closed on its line") }
          line += 1
        }
        if inString {
          if character == "\\", position < characters.count, characters[position] == "\"" {
            text.append("\\\"")
            position += 1
            continue
          }
          if character == "\"" { inString = false }
          text.append(character)
          continue
        }
        switch character {
        case "\"": inString = true
        case "(": depth += 1
        case ")":
          depth -= 1
          if depth == 0 { return text }
        default: break
        }
        text.append(character)
      }
      throw TemplateError(file: file, line: startLine, reason: "the parameters are never closed with )")
    }

    static func isTagLetter(_ character: Character) -> Bool {
      ("a"..."z").contains(character) || ("A"..."Z").contains(character)
    }
  }
}

// MARK: - Parameters

enum TemplateToken: Equatable {
  case string(String)
  case int(Int)
  case double(Double)
  case identifier(String)
  case op(String)
  case open
  case close
  case comma
}

enum Tokenizer {
  static func tokens(_ text: String, file: String, line: Int) throws -> [TemplateToken] {
    let characters = Array(text)
    var tokens: [TemplateToken] = []
    var index = 0
    while index < characters.count {
      let character = characters[index]
      if character == " " || character == "\n" || character == "\t" {
        index += 1
      } else if character == "\"" {
        var value = ""
        index += 1
        while index < characters.count, characters[index] != "\"" {
          if characters[index] == "\\", index + 1 < characters.count, characters[index + 1] == "\"" {
            value.append("\"")
            index += 2
          } else {
            value.append(characters[index])
            index += 1
          }
        }
        index += 1
        tokens.append(.string(value))
      } else if character == "(" {
        tokens.append(.open)
        index += 1
      } else if character == ")" {
        tokens.append(.close)
        index += 1
      } else if character == "," {
        tokens.append(.comma)
        index += 1
      } else if "=!<>&|".contains(character) {
        let two = index + 1 < characters.count ? String([character, characters[index + 1]]) : ""
        if ["==", "!=", "<=", ">=", "&&", "||"].contains(two) {
          tokens.append(.op(two))
          index += 2
        } else if "!<>".contains(character) {
          tokens.append(.op(String(character)))
          index += 1
        } else {
          throw TemplateError(file: file, line: line, reason: "\(character) is not an operator Mamori's templates use")
        }
      } else if character.isNumber, character.isASCII {
        var literal = ""
        while index < characters.count, characters[index].isASCII, characters[index].isNumber || characters[index] == "." {
          literal.append(characters[index])
          index += 1
        }
        if let number = Int(literal) {
          tokens.append(.int(number))
        } else if let number = Double(literal) {
          tokens.append(.double(number))
        } else {
          throw TemplateError(file: file, line: line, reason: "\(literal) is not a number")
        }
      } else if character.isASCII, character.isLetter || character == "_" {
        var name = ""
        while index < characters.count, characters[index].isASCII,
          characters[index].isLetter || characters[index].isNumber || characters[index] == "_" || characters[index] == "."
        {
          name.append(characters[index])
          index += 1
        }
        tokens.append(.identifier(name))
      } else {
        throw TemplateError(file: file, line: line, reason: "\(character) cannot appear in a tag's parameters")
      }
    }
    return tokens
  }
}

/// Parameters split at top-level commas, each an expression. Precedence follows LeafKit's: `!`, then
/// `>`/`>=`, `<`/`<=`, `==`/`!=`, and `&&`/`||` together, each level grouping from the right.
enum ExpressionParser {
  static func parse(_ text: String, file: String, line: Int) throws -> [TemplateExpression] {
    var parser = State(tokens: try Tokenizer.tokens(text, file: file, line: line), file: file, line: line)
    var expressions: [TemplateExpression] = []
    while parser.index < parser.tokens.count {
      expressions.append(try parser.expression(level: 0))
      if parser.index < parser.tokens.count {
        guard parser.tokens[parser.index] == .comma else { throw parser.error("expected , between parameters") }
        parser.index += 1
      }
    }
    return expressions
  }

  private static let levels: [[String]] = [["&&", "||"], ["==", "!="], ["<", "<="], [">", ">="]]

  private struct State {
    var tokens: [TemplateToken]
    var file: String
    var line: Int
    var index = 0

    init(tokens: [TemplateToken], file: String, line: Int) {
      self.tokens = tokens
      self.file = file
      self.line = line
    }

    func error(_ reason: String) -> TemplateError { TemplateError(file: file, line: line, reason: reason) }

    mutating func expression(level: Int) throws -> TemplateExpression {
      guard level < ExpressionParser.levels.count else { return try unary() }
      let lhs = try expression(level: level + 1)
      if index < tokens.count, case .op(let symbol) = tokens[index], ExpressionParser.levels[level].contains(symbol) {
        index += 1
        let rhs = try expression(level: level)
        return .binary(TemplateOperator(rawValue: symbol)!, lhs, rhs)
      }
      return lhs
    }

    mutating func unary() throws -> TemplateExpression {
      guard index < tokens.count else { throw error("an expression is missing") }
      let token = tokens[index]
      index += 1
      switch token {
      case .op("!"): return .not(try unary())
      case .string(let value): return .constant(.string(value))
      case .int(let value): return .constant(.int(value))
      case .double(let value): return .constant(.double(value))
      case .identifier("true"), .identifier("yes"): return .constant(.bool(true))
      case .identifier("false"), .identifier("no"): return .constant(.bool(false))
      case .identifier("nil"): return .constant(.null)
      case .identifier(let path): return .variable(path.split(separator: ".").map(String.init))
      case .open:
        let inner = try expression(level: 0)
        guard index < tokens.count, tokens[index] == .close else { throw error("( is never closed") }
        index += 1
        return inner
      default: throw error("unexpected \(token) in an expression")
      }
    }
  }
}

/// Leaf's escaping (`&`, `"`, `'`, `<`, `>`), on bytes: the five are ASCII, so UTF-8 sequences pass
/// through untouched.
enum HTMLEscaping {
  static func escaped(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count)
    append(text, to: &bytes)
    return bytes
  }

  @inline(__always)
  static func needsEscaping(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "&") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "<")
      || byte == UInt8(ascii: ">")
  }

  static func append(_ text: String, to bytes: inout [UInt8]) {
    var text = text
    text.withUTF8 { source in
      var start = 0
      for index in 0..<source.count where needsEscaping(source[index]) {
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<index]))
        switch source[index] {
        case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
        case UInt8(ascii: "\""): bytes.append(contentsOf: "&quot;".utf8)
        case UInt8(ascii: "'"): bytes.append(contentsOf: "&#39;".utf8)
        case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
        default: bytes.append(contentsOf: "&gt;".utf8)
        }
        start = index + 1
      }
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<source.count]))
    }
  }
}
