/// Leaf treats every array or dictionary as true in `#if`, even an empty one, so values a template
/// tests for presence are encoded as nil when empty.
struct FieldErrors: Encodable, Sendable, ExpressibleByDictionaryLiteral {
  var messages: [String: String]

  init(_ messages: [String: String]) { self.messages = messages }

  init(dictionaryLiteral elements: (String, String)...) {
    messages = Dictionary(elements, uniquingKeysWith: { first, _ in first })
  }

  var isEmpty: Bool { messages.isEmpty }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    if messages.isEmpty { try container.encodeNil() } else { try container.encode(messages) }
  }
}

extension Array {
  /// nil for an empty array, for `#if(list):` in templates.
  var nonEmpty: Self? { isEmpty ? nil : self }
}
