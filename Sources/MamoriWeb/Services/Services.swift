import Foundation
import Logging

/// The clock, behind an interface so that tests can fix "now" and walk it past timeouts.
public protocol AppClock: Sendable {
  func now() -> Date
}

public struct SystemClock: AppClock {
  public init() {}
  public func now() -> Date { Date() }
}

/// A clock the tests set and advance.
public final class FixedClock: AppClock, @unchecked Sendable {
  private let lock = NSLock()
  private var current: Date

  public init(_ start: Date) { current = start }

  public func now() -> Date { lock.withLock { current } }

  public func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }

  public func set(_ date: Date) { lock.withLock { current = date } }
}

/// One plain-text e-mail.
public struct MailMessage: Sendable, Equatable {
  public var to: String
  public var subject: String
  public var body: String

  public init(to: String, subject: String, body: String) {
    self.to = to
    self.subject = subject
    self.body = body
  }
}

/// Sends e-mail. Mamori sends mail only when SMTP is configured; without it, invitation links are shown
/// to the administrator to pass on.
public protocol Mailer: Sendable {
  func send(_ message: MailMessage) async throws
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

/// The side effects a running Mamori depends on.
public struct AppServices: Sendable {
  public var clock: any AppClock
  /// nil when no SMTP server is configured.
  public var mailer: (any Mailer)?

  public init(clock: any AppClock = SystemClock(), mailer: (any Mailer)? = nil) {
    self.clock = clock
    self.mailer = mailer
  }
}
