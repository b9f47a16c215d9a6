import Foundation

/// What a personal API token may do: everything its owner may (`write`), or only read (`read`: GET and
/// HEAD requests).
public enum ApiTokenScope: String, CaseIterable, Sendable, Codable {
  case write
  case read

  public var labelKey: String { "account.token_scope_\(rawValue)" }
}

/// The rules for creating an API token, the same on the account page and in the API.
public enum ApiTokenRules {
  /// Lifetimes offered, in days; 0 means the token never expires.
  public static let lifetimeChoices = [30, 90, 365, 0]
  public static let defaultLifetime = 90
  public static let maximumNameLength = 80

  /// Who is asking for a token: a signed-in browser session, or another token (the API).
  public enum Creator: Sendable, Equatable {
    case session
    /// A token may create only a token that expires no later than itself and reads no more than it does,
    /// so that a stolen short-lived token cannot mint a permanent one.
    case token(expiresAt: Date?, scope: ApiTokenScope)
  }

  /// Every problem with the request (empty when it may be made).
  public static func check(name: String, lifetimeDays: Int, scope: ApiTokenScope, creator: Creator, now: Date)
    -> [ValidationIssue]
  {
    var issues: [ValidationIssue] = []
    if let issue = TextField.check(name, field: "name", maximum: maximumNameLength) { issues.append(issue) }
    guard lifetimeChoices.contains(lifetimeDays) else {
      issues.append(ValidationIssue(field: "expires_in_days", key: "validation.choice"))
      return issues
    }
    if case .token(let parentExpiry, let parentScope) = creator {
      if parentScope == .read { issues.append(ValidationIssue(field: "scope", key: "validation.token_read_only")) }
      if scope == .write, parentScope == .read { issues.append(ValidationIssue(field: "scope", key: "validation.choice")) }
      if let parentExpiry {
        let expiry = expiresAt(lifetimeDays: lifetimeDays, now: now)
        if expiry.map({ $0 > parentExpiry }) ?? true {
          issues.append(ValidationIssue(field: "expires_in_days", key: "validation.token_outlives_parent"))
        }
      }
    }
    return issues
  }

  public static func expiresAt(lifetimeDays: Int, now: Date) -> Date? {
    lifetimeDays == 0 ? nil : now + TimeInterval(lifetimeDays) * 86_400
  }
}
