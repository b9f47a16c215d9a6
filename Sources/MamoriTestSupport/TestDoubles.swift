import Foundation
import MamoriWeb

// Test doubles of Mamori's side effects. They live in their own target so that the shipped binary
// carries none of them: a clock that never moves or a mailer that sends nothing must not be one
// configuration mistake away in production.

/// A clock the tests set and advance.
public final class FixedClock: AppClock, @unchecked Sendable {
  private let lock = NSLock()
  private var current: Date

  public init(_ start: Date) { current = start }

  public func now() -> Date { lock.withLock { current } }

  public func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }

  public func set(_ date: Date) { lock.withLock { current = date } }
}

/// Keeps what would have been sent, for tests.
public final class RecordingMailer: Mailer, @unchecked Sendable {
  private let lock = NSLock()
  private var sent: [MailMessage] = []

  public init() {}

  public func send(_ message: MailMessage) async throws {
    lock.withLock { sent.append(message) }
  }

  public var messages: [MailMessage] { lock.withLock { sent } }
}

/// Files in memory, for tests.
public final class MemoryFileStore: FileStore, @unchecked Sendable {
  private let lock = NSLock()
  private var files: [String: Data] = [:]

  public init() {}

  public func put(_ data: Data, key: String) async throws { lock.withLock { files[key] = data } }
  public func get(key: String) async throws -> Data? { lock.withLock { files[key] } }
  public func content(key: String) async throws -> StoredContent? { lock.withLock { files[key].map(StoredContent.data) } }
  public func delete(key: String) async throws { _ = lock.withLock { files.removeValue(forKey: key) } }
  public var count: Int { lock.withLock { files.count } }
}
