import Foundation

/// Values computed from an organisation's data, kept while the data's version stays the same.
///
/// The version is read from the database on every use (an organisation's audit-chain tail: every
/// change appends to it in its own transaction), so a process never serves a value older than the
/// last committed change, whichever process made it. One computation per key and version runs at a
/// time: a burst of requests on a cold cache waits for the same one instead of each doing the work.
final class VersionedCache<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
  /// Keys kept at once; past it each new key replaces an arbitrary one.
  let capacity: Int
  /// How long a value may be served even when its version still matches (nil: as long as it matches).
  let lifetime: TimeInterval?
  private let lock = NSLock()
  private var values: [Key: (version: String, at: Date, value: Value)] = [:]
  /// The computations under way, each with the requests waiting for it.
  private var running: [Running: [CheckedContinuation<Value?, any Error>]] = [:]
  private var computations = 0

  private struct Running: Hashable {
    var key: Key
    var version: String
  }

  private enum Step {
    case found(Value)
    case compute
    case wait
  }

  init(capacity: Int = 256, lifetime: TimeInterval? = nil) {
    self.capacity = capacity
    self.lifetime = lifetime
  }

  /// How often a value was computed rather than reused (for tests).
  var computed: Int { lock.withLock { computations } }

  /// The value for `key` at `version`: kept, or computed by this caller while later callers for the
  /// same key and version wait for it. The computation runs in the caller's own task: handing it to a
  /// new task put it at the back of the executor's queue behind every other request (decision 198).
  func value(
    for key: Key, version: String, now: Date = Date(), compute: @Sendable () async throws -> Value
  ) async throws -> Value {
    let running = Running(key: key, version: version)
    while true {
      let step: Step = lock.withLock {
        if let cached = values[key], cached.version == version,
          lifetime.map({ now.timeIntervalSince(cached.at) < $0 }) ?? true
        {
          return .found(cached.value)
        }
        if self.running[running] != nil { return .wait }
        self.running[running] = []
        computations += 1
        return .compute
      }
      switch step {
      case .found(let value):
        return value
      case .compute:
        let value: Value
        do {
          value = try await compute()
        } catch {
          let waiting = lock.withLock { self.running.removeValue(forKey: running) ?? [] }
          for waiter in waiting { waiter.resume(throwing: error) }
          throw error
        }
        // One value makes room for the next, dropped after the lock is released: emptying a full cache
        // at once freed hundreds of page bodies while every other request waited on the lock.
        let (waiting, evicted) = lock.withLock { () -> ([CheckedContinuation<Value?, any Error>], Value?) in
          let waiting = self.running.removeValue(forKey: running) ?? []
          var evicted: Value?
          if values.count >= capacity, values[key] == nil, let any = values.first?.key {
            evicted = values.removeValue(forKey: any)?.value
          }
          values[key] = (version, now, value)
          return (waiting, evicted)
        }
        _ = evicted
        for waiter in waiting { waiter.resume(returning: value) }
        return value
      case .wait:
        let shared: Value? = try await withCheckedThrowingContinuation { continuation in
          let waits = lock.withLock { () -> Bool in
            guard self.running[running] != nil else { return false }
            self.running[running]?.append(continuation)
            return true
          }
          // Finished between the two looks: look again.
          if !waits { continuation.resume(returning: nil) }
        }
        if let shared { return shared }
      }
    }
  }
}
