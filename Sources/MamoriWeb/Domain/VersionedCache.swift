import Foundation

/// Values computed from an organisation's data, kept while the data's version stays the same.
///
/// The version is read from the database on every use (an organisation's audit-chain tail: every
/// change appends to it in its own transaction), so a process never serves a value older than the
/// last committed change, whichever process made it. One computation per key and version runs at a
/// time: a burst of requests on a cold cache waits for the same one instead of each doing the work.
final class VersionedCache<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
  /// Keys kept at once; past it the cache starts over (a platform has a handful of organisations).
  let capacity: Int
  /// How long a value may be served even when its version still matches (nil: as long as it matches).
  let lifetime: TimeInterval?
  private let lock = NSLock()
  private var values: [Key: (version: String, at: Date, value: Value)] = [:]
  private var running: [Key: (version: String, task: Task<Value, any Error>)] = [:]
  private var computations = 0

  private enum Found {
    case value(Value)
    case task(Task<Value, any Error>)
  }

  init(capacity: Int = 256, lifetime: TimeInterval? = nil) {
    self.capacity = capacity
    self.lifetime = lifetime
  }

  /// How often a value was computed rather than reused (for tests).
  var computed: Int { lock.withLock { computations } }

  func value(
    for key: Key, version: String, now: Date = Date(), compute: @escaping @Sendable () async throws -> Value
  ) async throws -> Value {
    let found: Found = lock.withLock {
      if let cached = values[key], cached.version == version,
        lifetime.map({ now.timeIntervalSince(cached.at) < $0 }) ?? true
      {
        return .value(cached.value)
      }
      if let inFlight = running[key], inFlight.version == version { return .task(inFlight.task) }
      let task = Task { try await compute() }
      running[key] = (version, task)
      computations += 1
      return .task(task)
    }
    let task: Task<Value, any Error>
    switch found {
    case .value(let value): return value
    case .task(let running): task = running
    }
    do {
      let value = try await task.value
      lock.withLock {
        if running[key]?.version == version { running[key] = nil }
        if values.count >= capacity, values[key] == nil { values.removeAll() }
        values[key] = (version, now, value)
      }
      return value
    } catch {
      lock.withLock {
        if running[key]?.version == version { running[key] = nil }
      }
      throw error
    }
  }
}
