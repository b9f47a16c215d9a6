/// The data a compiled template reads: what a page's view model encodes to.
///
/// Objects keep their keys in encoding order and are searched linearly: a view model has a handful
/// to a few dozen keys, and comparing short keys is cheaper than hashing them.
enum TemplateValue: Sendable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case array([TemplateValue])
  case object(TemplateObject)

  subscript(key: String) -> TemplateValue? {
    guard case .object(let object) = self else { return nil }
    return object[key]
  }
}

struct TemplateObject: Sendable {
  var keys: [String] = []
  var values: [TemplateValue] = []

  subscript(key: String) -> TemplateValue? {
    get {
      for index in keys.indices where keys[index] == key { return values[index] }
      return nil
    }
    set {
      if let index = keys.firstIndex(of: key) {
        if let newValue { values[index] = newValue } else { keys.remove(at: index); values.remove(at: index) }
      } else if let newValue {
        keys.append(key)
        values.append(newValue)
      }
    }
  }

  /// Appends without looking for the key: a synthesised `encode(to:)` writes each key once.
  mutating func append(_ key: String, _ value: TemplateValue) {
    keys.append(key)
    values.append(value)
  }
}

/// So that a value encoded once can stand in for its view model: the template encoder takes it as
/// it is, any other encoder gets the same structure.
extension TemplateValue: Encodable {
  private struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  func encode(to encoder: any Encoder) throws {
    switch self {
    case .null:
      var container = encoder.singleValueContainer()
      try container.encodeNil()
    case .bool(let value):
      var container = encoder.singleValueContainer()
      try container.encode(value)
    case .int(let value):
      var container = encoder.singleValueContainer()
      try container.encode(value)
    case .double(let value):
      var container = encoder.singleValueContainer()
      try container.encode(value)
    case .string(let value):
      var container = encoder.singleValueContainer()
      try container.encode(value)
    case .array(let values):
      var container = encoder.unkeyedContainer()
      for value in values { try container.encode(value) }
    case .object(let object):
      var container = encoder.container(keyedBy: Key.self)
      for (key, value) in zip(object.keys, object.values) { try container.encode(value, forKey: Key(stringValue: key)) }
    }
  }
}

// MARK: - Encoding a view model

/// Encodes any `Encodable` view model into a `TemplateValue` the way Leaf's encoder does (nil optionals
/// leave their key out, enums become their raw value), without Leaf's per-value bookkeeping.
struct TemplateEncoder {
  static func encode<Value: Encodable>(_ value: Value) throws -> TemplateValue {
    try encodeNested(value, path: [])
  }
}

extension TemplateValue {
  /// The common leaf values without going through an encoder.
  fileprivate static func direct<Value: Encodable>(_ value: Value) -> TemplateValue? {
    switch value {
    case let string as String: return .string(string)
    // A body encoded earlier (``Request/listBody(_:build:)``) goes in as it is.
    case let encoded as TemplateValue: return encoded
    case let int as Int: return .int(int)
    case let bool as Bool: return .bool(bool)
    case let double as Double: return .double(double)
    default: return nil
    }
  }
}

/// Where an encoder's result is kept while its containers fill it.
private final class Storage {
  enum Kind {
    case empty
    case single(TemplateValue)
    case object(ObjectBox)
    case array(ArrayBox)
  }

  var kind: Kind = .empty

  var value: TemplateValue {
    switch kind {
    case .empty: return .object(TemplateObject())
    case .single(let value): return value
    case .object(let box): return .object(box.resolved)
    case .array(let box): return .array(box.resolved)
    }
  }
}

private final class ObjectBox {
  var object = TemplateObject()
  /// Nested containers and super encoders write their values once they are done.
  var deferred: [(String, Storage)] = []

  var resolved: TemplateObject {
    var object = object
    for (key, storage) in deferred { object[key] = storage.value }
    return object
  }
}

private final class ArrayBox {
  var values: [TemplateValue] = []
  var deferred: [(Int, Storage)] = []

  var resolved: [TemplateValue] {
    var values = values
    for (index, storage) in deferred { values[index] = storage.value }
    return values
  }

  func placeholder(for storage: Storage) {
    deferred.append((values.count, storage))
    values.append(.null)
  }
}

private struct ValueEncoder: Encoder {
  let storage = Storage()
  var codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  init(codingPath: [any CodingKey]) {
    self.codingPath = codingPath
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    let box: ObjectBox
    if case .object(let existing) = storage.kind {
      box = existing
    } else {
      box = ObjectBox()
      storage.kind = .object(box)
    }
    return KeyedEncodingContainer(KeyedContainer<Key>(box: box, codingPath: codingPath))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    let box: ArrayBox
    if case .array(let existing) = storage.kind {
      box = existing
    } else {
      box = ArrayBox()
      storage.kind = .array(box)
    }
    return UnkeyedContainer(box: box, codingPath: codingPath)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer {
    SingleContainer(storage: storage, codingPath: codingPath)
  }
}

private func encodeNested<Value: Encodable>(_ value: Value, path: [any CodingKey]) throws -> TemplateValue {
  if let direct = TemplateValue.direct(value) { return direct }
  let encoder = ValueEncoder(codingPath: path)
  try value.encode(to: encoder)
  return encoder.storage.value
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let box: ObjectBox
  var codingPath: [any CodingKey]

  mutating func encodeNil(forKey key: Key) throws { box.object.append(key.stringValue, .null) }
  mutating func encode(_ value: Bool, forKey key: Key) throws { box.object.append(key.stringValue, .bool(value)) }
  mutating func encode(_ value: String, forKey key: Key) throws { box.object.append(key.stringValue, .string(value)) }
  mutating func encode(_ value: Int, forKey key: Key) throws { box.object.append(key.stringValue, .int(value)) }
  mutating func encode(_ value: Double, forKey key: Key) throws { box.object.append(key.stringValue, .double(value)) }

  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    box.object.append(key.stringValue, try encodeNested(value, path: codingPath + [key]))
  }

  mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
    if let value { box.object.append(key.stringValue, .string(value)) }
  }

  mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
    if let value { box.object.append(key.stringValue, .int(value)) }
  }

  mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
    if let value { box.object.append(key.stringValue, .bool(value)) }
  }

  mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
    if let value { try encode(value, forKey: key) }
  }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type, forKey key: Key
  ) -> KeyedEncodingContainer<NestedKey> {
    let nested = ValueEncoder(codingPath: codingPath + [key])
    box.deferred.append((key.stringValue, nested.storage))
    return nested.container(keyedBy: keyType)
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    let nested = ValueEncoder(codingPath: codingPath + [key])
    box.deferred.append((key.stringValue, nested.storage))
    return nested.unkeyedContainer()
  }

  mutating func superEncoder() -> any Encoder {
    let nested = ValueEncoder(codingPath: codingPath)
    box.deferred.append(("super", nested.storage))
    return nested
  }

  mutating func superEncoder(forKey key: Key) -> any Encoder {
    let nested = ValueEncoder(codingPath: codingPath + [key])
    box.deferred.append((key.stringValue, nested.storage))
    return nested
  }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
  let box: ArrayBox
  var codingPath: [any CodingKey]
  var count: Int { box.values.count }

  mutating func encodeNil() throws { box.values.append(.null) }
  mutating func encode(_ value: String) throws { box.values.append(.string(value)) }
  mutating func encode(_ value: Int) throws { box.values.append(.int(value)) }
  mutating func encode(_ value: Bool) throws { box.values.append(.bool(value)) }

  mutating func encode<T: Encodable>(_ value: T) throws {
    box.values.append(try encodeNested(value, path: codingPath))
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
    let nested = ValueEncoder(codingPath: codingPath)
    box.placeholder(for: nested.storage)
    return nested.container(keyedBy: keyType)
  }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    let nested = ValueEncoder(codingPath: codingPath)
    box.placeholder(for: nested.storage)
    return nested.unkeyedContainer()
  }

  mutating func superEncoder() -> any Encoder {
    let nested = ValueEncoder(codingPath: codingPath)
    box.placeholder(for: nested.storage)
    return nested
  }
}

private struct SingleContainer: SingleValueEncodingContainer {
  let storage: Storage
  var codingPath: [any CodingKey]

  mutating func encodeNil() throws { storage.kind = .single(.null) }
  mutating func encode(_ value: Bool) throws { storage.kind = .single(.bool(value)) }
  mutating func encode(_ value: String) throws { storage.kind = .single(.string(value)) }
  mutating func encode(_ value: Int) throws { storage.kind = .single(.int(value)) }
  mutating func encode(_ value: Double) throws { storage.kind = .single(.double(value)) }

  mutating func encode<T: Encodable>(_ value: T) throws {
    storage.kind = .single(try encodeNested(value, path: codingPath))
  }
}
