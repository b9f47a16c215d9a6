internal import CYaml
import Foundation

/// Checks YAML from outside (an uploaded catalog or answer file) before any tree is composed.
///
/// Yams composes anchors and aliases into shared nodes, and its check for duplicate keys hashes every
/// key in full: a 393-byte file of nested anchors used as mapping keys (`l1: &l1 [*l0, *l0, …]`,
/// `? *l7 : v`) kept a core busy for 11 s. Neither catalogs nor answer files need anchors, so any
/// anchor or alias is refused here, by reading libyaml's events (the `CYaml` module Yams bundles)
/// without building anything; the size, the number of nodes and the nesting are bounded on the way.
public enum YAMLGuard {
  /// The largest built-in catalog is about 50 KiB; an answer file is a few KiB.
  public static let maximumBytes = 2 << 20
  /// Scalars, lists and maps together: the largest built-in catalog has about 4,000.
  public static let maximumNodes = 100_000
  /// Nested lists and maps: a catalog nests about 4 per level of sections; composing and reading are
  /// recursive, so a file of 100,000 `[` must not reach them.
  public static let maximumDepth = 64

  /// Throws a ``CatalogError`` (`FILE:LINE: reason`) for the first anchor, alias, key that is not
  /// text, excess of the limits, or syntax error.
  public static func check(_ text: String, file: String) throws {
    var bytes = Array(text.utf8)
    guard bytes.count <= maximumBytes else {
      throw CatalogError(file: file, line: nil, reason: "is larger than \(maximumBytes >> 20) MiB; YAML files are refused above that")
    }
    // libyaml wants a non-null pointer, even for nothing.
    if bytes.isEmpty { bytes = [0x0A] }
    try bytes.withUnsafeBufferPointer { buffer in
      var parser = yaml_parser_t()
      guard yaml_parser_initialize(&parser) == 1 else {
        throw CatalogError(file: file, line: nil, reason: "cannot be read (the YAML parser could not start)")
      }
      defer { yaml_parser_delete(&parser) }
      yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
      yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)

      /// One open list or map; for a map, whether the next node is a key.
      struct Level {
        var isMapping: Bool
        var expectsKey: Bool
      }
      var stack: [Level] = []
      var nodes = 0
      while true {
        var event = yaml_event_t()
        guard yaml_parser_parse(&parser, &event) == 1 else {
          let problem = parser.problem.map { String(cString: $0) } ?? "a syntax error"
          throw CatalogError(file: file, line: parser.problem_mark.line + 1, reason: "is not valid YAML (\(problem))")
        }
        defer { yaml_event_delete(&event) }
        let line = event.start_mark.line + 1
        func fail(_ reason: String) -> CatalogError { CatalogError(file: file, line: line, reason: reason) }
        func refuseAnchor(_ anchor: UnsafeMutablePointer<yaml_char_t>?) throws {
          guard let anchor else { return }
          throw fail("defines an anchor &\(name(anchor)); anchors and aliases are not accepted in uploaded YAML")
        }
        /// A node starts: counted, and refused as a map key unless it is a scalar.
        func node(isScalar: Bool) throws {
          nodes += 1
          guard nodes <= maximumNodes else {
            throw fail("has more than \(maximumNodes) YAML nodes; YAML files are refused above that")
          }
          guard let last = stack.indices.last, stack[last].isMapping else { return }
          if stack[last].expectsKey, !isScalar { throw fail("uses a list or a map as a key; keys must be text") }
          stack[last].expectsKey.toggle()
        }
        func open(isMapping: Bool) throws {
          stack.append(Level(isMapping: isMapping, expectsKey: true))
          guard stack.count <= maximumDepth else {
            throw fail("nests lists and maps more than \(maximumDepth) deep; YAML files are refused above that")
          }
        }

        switch event.type {
        case YAML_STREAM_END_EVENT:
          return
        case YAML_ALIAS_EVENT:
          throw fail("uses an alias *\(name(event.data.alias.anchor)); anchors and aliases are not accepted in uploaded YAML")
        case YAML_SCALAR_EVENT:
          try refuseAnchor(event.data.scalar.anchor)
          try node(isScalar: true)
        case YAML_SEQUENCE_START_EVENT:
          try refuseAnchor(event.data.sequence_start.anchor)
          try node(isScalar: false)
          try open(isMapping: false)
        case YAML_MAPPING_START_EVENT:
          try refuseAnchor(event.data.mapping_start.anchor)
          try node(isScalar: false)
          try open(isMapping: true)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
          _ = stack.popLast()
        default:
          break
        }
      }
    }
  }

  /// An anchor's name for a message: at most 40 characters.
  static func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String {
    guard let pointer else { return "" }
    let text = String(cString: pointer)
    return text.count > 40 ? String(text.prefix(40)) + "…" : text
  }
}
