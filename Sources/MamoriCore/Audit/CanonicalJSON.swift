import Foundation

/// JSON text written by hand for the writers that produce thousands of records at once (the register
/// import, decision 162): the same bytes as ``AuditChain/json(_:)`` gives for the same values (members in
/// sorted key order, slashes unescaped, strings escaped as `JSONEncoder` does), without an encoder and a
/// reflection of the model per record. The caller adds the members in sorted key order; tests compare
/// the result with ``AuditChain/json(_:)`` of the models.
public struct CanonicalJSONObject: Sendable {
  public private(set) var text: String
  private var empty = true

  public init(capacity: Int = 512) {
    text = "{"
    text.reserveCapacity(capacity)
  }

  private mutating func key(_ name: String) {
    if empty { empty = false } else { text.append(",") }
    text.append("\"")
    text.append(name)
    text.append("\":")
  }

  public mutating func string(_ name: String, _ value: String?) {
    key(name)
    if let value { JSONText.appendString(value, to: &text) } else { text.append("null") }
  }

  /// A value written as it is: a number, `true`, `false`, `null` or a nested object.
  public mutating func raw(_ name: String, _ json: String) {
    key(name)
    text.append(json)
  }

  public mutating func bool(_ name: String, _ value: Bool) { raw(name, value ? "true" : "false") }

  /// A parent reference as Fluent encodes it: `{"id":"UPPERCASE-UUID"}`, or `{"id":null}`.
  public mutating func parent(_ name: String, _ id: UUID?) {
    key(name)
    if let id {
      text.append("{\"id\":\"")
      text.append(id.text())
      text.append("\"}")
    } else {
      text.append("{\"id\":null}")
    }
  }

  public mutating func uuid(_ name: String, _ id: UUID?) { string(name, id?.text()) }

  public func finished() -> String { text + "}" }
}

public enum JSONText {
  /// `value` as a JSON string, escaped like `JSONEncoder` with `.withoutEscapingSlashes`.
  public static func appendString(_ value: String, to text: inout String) {
    text.append("\"")
    if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
      text.append(value)
    } else {
      for scalar in value.unicodeScalars {
        switch scalar {
        case "\"": text.append("\\\"")
        case "\\": text.append("\\\\")
        case "\n": text.append("\\n")
        case "\r": text.append("\\r")
        case "\t": text.append("\\t")
        case "\u{08}": text.append("\\b")
        case "\u{0C}": text.append("\\f")
        case _ where scalar.value < 0x20:
          let hex = String(scalar.value, radix: 16)
          text.append("\\u00")
          if hex.count < 2 { text.append("0") }
          text.append(hex)
        default: text.unicodeScalars.append(scalar)
        }
      }
    }
    text.append("\"")
  }
}

/// A JSON array of arrays, one inner array a row, that PostgreSQL expands into rows in C with
/// `jsonb_array_elements` (decision 161; SQLite takes bound values instead).
public struct JSONRows: Sendable {
  public private(set) var text = "["
  public private(set) var count = 0
  private var firstValue = true

  public init(capacity: Int = 1 << 20) { text.reserveCapacity(capacity) }

  public mutating func beginRow() {
    text.append(count == 0 ? "[" : ",[")
    count += 1
    firstValue = true
  }

  public mutating func endRow() { text.append("]") }

  private mutating func separator() {
    if firstValue { firstValue = false } else { text.append(",") }
  }

  public mutating func string(_ value: String?) {
    separator()
    if let value { JSONText.appendString(value, to: &text) } else { text.append("null") }
  }

  /// A UUID as Fluent stores it in SQLite (upper case text); PostgreSQL casts it to `uuid`.
  public mutating func uuid(_ value: UUID?) { string(value?.text()) }

  public mutating func int(_ value: Int64) {
    separator()
    text.append(String(value))
  }

  public mutating func bool(_ value: Bool) {
    separator()
    text.append(value ? "true" : "false")
  }

  public var finished: String { text + "]" }

  public mutating func removeAll() {
    text.removeAll(keepingCapacity: true)
    text.append("[")
    count = 0
  }
}
