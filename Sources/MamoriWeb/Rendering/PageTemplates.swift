import Foundation
import MamoriCore
import NIOCore
import Vapor

/// A template that failed while rendering (a loop over something that is not a list, a count that is
/// not a number): the page answers 500 and the log names the place.
struct TemplateRenderError: Error, CustomStringConvertible {
  var location: String
  var reason: String
  var description: String { "\(location): \(reason)" }
}

/// Every page template, compiled at start. With `reloads` (the development environment) a template
/// is compiled again from its file on every render, so an edited template shows on the next request.
final class PageTemplates: Sendable {
  let directory: URL
  let catalog: LocaleCatalog
  let reloads: Bool
  private let compiled: [String: [TemplateNode]]

  init(directory: URL, catalog: LocaleCatalog, reloads: Bool) throws {
    self.directory = directory
    self.catalog = catalog
    self.reloads = reloads
    var compiler = TemplateCompiler(directory: directory, catalog: catalog)
    compiled = try compiler.compileAll()
  }

  var names: [String] { compiled.keys.sorted() }

  func render<Context: Encodable>(_ name: String, _ context: Context) throws -> ByteBuffer {
    let nodes: [TemplateNode]
    if reloads {
      var compiler = TemplateCompiler(directory: directory, catalog: catalog)
      nodes = try compiler.compile(name)
    } else {
      guard let found = compiled[name] else {
        throw TemplateRenderError(location: name + ".leaf", reason: "there is no such template")
      }
      nodes = found
    }
    let root = try TemplateEncoder.encode(context)
    var renderer = TemplateRenderer(root: root, catalog: catalog)
    try renderer.render(nodes)
    var buffer = ByteBufferAllocator().buffer(capacity: renderer.output.count)
    buffer.writeBytes(renderer.output)
    return buffer
  }
}

/// Walks a compiled template with one page's values. The semantics are LeafKit's, including its
/// quirks that templates rely on: in `#if`, any value that is present and not a boolean holds (an
/// empty text, a zero, an empty list); `!`, `&&` and `||` read 0 and 1 as booleans; `==` compares
/// across types through their text; a missing value is nil.
struct TemplateRenderer {
  let root: TemplateValue
  let catalog: LocaleCatalog
  let languageIndex: Int
  let language: Language
  private var bindings: [(name: String, value: TemplateValue)] = []
  var output: [UInt8] = []

  init(root: TemplateValue, catalog: LocaleCatalog) {
    self.root = root
    self.catalog = catalog
    if case .string(let code)? = root["lang"], let language = Language(rawValue: code) {
      self.language = language
    } else {
      self.language = .default
    }
    languageIndex = Language.allCases.firstIndex(of: language) ?? 0
    output.reserveCapacity(32 * 1024)
  }

  mutating func render(_ nodes: [TemplateNode]) throws {
    for node in nodes {
      switch node {
      case .raw(let bytes):
        output.append(contentsOf: bytes)
      case .output(let expression):
        try write(evaluate(expression))
      case .unescaped(let expression):
        let value = evaluate(expression)
        guard let text = Self.text(of: value) else {
          throw TemplateRenderError(location: "#unsafeHTML", reason: "its parameter is not text")
        }
        output.append(contentsOf: text.utf8)
      case .text(let perLanguage):
        output.append(contentsOf: perLanguage[languageIndex])
      case .message(let key, let arguments, let location):
        try writeMessage(key: key, arguments: arguments, location: location)
      case .conditional(let branches):
        for branch in branches where Self.holds(evaluate(branch.condition)) {
          try render(branch.body)
          break
        }
      case .loop(let item, let path, let body, let location):
        guard case .array(let items) = lookup(path) else {
          throw TemplateRenderError(location: location, reason: "\(path.joined(separator: ".")) is not a list")
        }
        let depth = bindings.count
        bindings.append(("isFirst", .bool(false)))
        bindings.append(("isLast", .bool(false)))
        bindings.append(("index", .int(0)))
        bindings.append((item, .null))
        for (index, value) in items.enumerated() {
          bindings[depth] = ("isFirst", .bool(index == 0))
          bindings[depth + 1] = ("isLast", .bool(index == items.count - 1))
          bindings[depth + 2] = ("index", .int(index))
          bindings[depth + 3] = (item, value)
          try render(body)
        }
        bindings.removeLast(4)
      }
    }
  }

  private mutating func write(_ value: TemplateValue) throws {
    switch value {
    case .null: return
    case .string(let text): HTMLEscaping.append(text, to: &output)
    case .int(let number): output.append(contentsOf: String(number).utf8)
    case .double(let number): output.append(contentsOf: number.description.utf8)
    case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
    case .array, .object:
      throw TemplateRenderError(location: "#()", reason: "a list or a record cannot be written as text")
    }
  }

  private mutating func writeMessage(key: String, arguments: [TemplateExpression], location: String) throws {
    let template = catalog.texts[language]?[key] ?? ""
    var values: [String: String] = [:]
    var index = 0
    while index + 1 < arguments.count {
      let name = Self.text(of: evaluate(arguments[index])) ?? ""
      let value = evaluate(arguments[index + 1])
      if case .int(let number) = value {
        values[name] = String(number)
      } else {
        values[name] = Self.text(of: value) ?? ""
      }
      index += 2
    }
    for name in LocaleCatalog.pluralNames(in: template) where MessageFormat.count(values[name]) == nil {
      throw TemplateRenderError(
        location: location,
        reason: "#t(\"\(key)\"): the count \(name) must be a whole number, found \(values[name].map { "\"\($0)\"" } ?? "nothing")")
    }
    HTMLEscaping.append(catalog.text(key, language, values), to: &output)
  }

  // MARK: - Values

  private func lookup(_ path: [String]) -> TemplateValue {
    let first = path[0]
    var value: TemplateValue?
    for binding in bindings.reversed() where binding.name == first {
      value = binding.value
      break
    }
    if value == nil { value = root[first] }
    var index = 1
    while index < path.count, let current = value {
      value = current[path[index]]
      index += 1
    }
    return value ?? .null
  }

  private func evaluate(_ expression: TemplateExpression) -> TemplateValue {
    switch expression {
    case .constant(let value): return value
    case .variable(let path): return lookup(path)
    case .not(let inner): return .bool(!Self.truth(evaluate(inner)))
    case .binary(let op, let lhsExpression, let rhsExpression):
      let lhs = evaluate(lhsExpression)
      let rhs = evaluate(rhsExpression)
      switch op {
      case .and: return .bool(Self.truth(lhs) && Self.truth(rhs))
      case .or: return .bool(Self.truth(lhs) || Self.truth(rhs))
      case .equal: return .bool(Self.equal(lhs, rhs))
      case .unequal: return .bool(!Self.equal(lhs, rhs))
      case .greater, .greaterOrEqual, .lesser, .lesserOrEqual:
        guard let left = Self.text(of: lhs), let right = Self.text(of: rhs) else { return .null }
        if let l = Double(left), let r = Double(right) {
          switch op {
          case .greater: return .bool(l > r)
          case .greaterOrEqual: return .bool(l >= r)
          case .lesser: return .bool(l < r)
          default: return .bool(l <= r)
          }
        }
        switch op {
        case .greater: return .bool(left > right)
        case .greaterOrEqual: return .bool(left >= right)
        case .lesser: return .bool(left < right)
        default: return .bool(left <= right)
        }
      }
    }
  }

  /// `#if`: a boolean is itself; anything else that is present holds.
  static func holds(_ value: TemplateValue) -> Bool {
    switch value {
    case .null: return false
    case .bool(let flag): return flag
    case .int, .double, .string, .array, .object: return true
    }
  }

  /// `!`, `&&`, `||`: LeafKit's boolean reading (0/1 and "true"/"false" are booleans), else presence.
  static func truth(_ value: TemplateValue) -> Bool {
    switch value {
    case .null: return false
    case .bool(let flag): return flag
    case .int(let number): return number == 0 ? false : true
    case .double(let number): return number == 0 ? false : true
    case .string(let text): return Bool(text) ?? true
    case .array, .object: return true
    }
  }

  /// A scalar as LeafKit writes it; nil for nil, lists and records.
  static func text(of value: TemplateValue) -> String? {
    switch value {
    case .string(let text): return text
    case .int(let number): return String(number)
    case .double(let number): return number.description
    case .bool(let flag): return flag ? "true" : "false"
    case .null, .array, .object: return nil
    }
  }

  static func equal(_ lhs: TemplateValue, _ rhs: TemplateValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.null, _), (_, .null): return false
    case (.bool(let l), .bool(let r)): return l == r
    case (.int(let l), .int(let r)): return l == r
    case (.double(let l), .double(let r)): return l == r
    case (.string(let l), .string(let r)): return l == r
    case (.array(let l), .array(let r)): return l.count == r.count && zip(l, r).allSatisfy { equal($0, $1) }
    case (.object(let l), .object(let r)):
      return l.keys.count == r.keys.count && l.keys.allSatisfy { key in r[key].map { equal(l[key]!, $0) } ?? false }
    default:
      guard let l = text(of: lhs), let r = text(of: rhs) else { return false }
      return l == r
    }
  }
}

/// Vapor's `req.view` backed by the compiled templates.
struct CompiledViews: ViewRenderer {
  let templates: PageTemplates
  let eventLoop: any EventLoop

  func `for`(_ request: Request) -> any ViewRenderer {
    CompiledViews(templates: templates, eventLoop: request.eventLoop)
  }

  func render<E: Encodable>(_ name: String, _ context: E) -> EventLoopFuture<View> {
    do {
      return eventLoop.makeSucceededFuture(View(data: try templates.render(name, context)))
    } catch {
      return eventLoop.makeFailedFuture(error)
    }
  }
}
