import Foundation

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
