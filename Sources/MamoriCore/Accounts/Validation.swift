import Foundation

/// A rule broken by user input, as a locale-catalog key with its values, so that the web and the
/// command line can both say it in the user's language.
public struct ValidationIssue: Error, Equatable, Sendable {
  public var field: String
  public var key: String
  public var arguments: [String: String]

  public init(field: String, key: String, arguments: [String: String] = [:]) {
    self.field = field
    self.key = key
    self.arguments = arguments
  }
}

/// Input that breaks one or more rules: the one failure type of every operation, whichever surface
/// called it. The API answers 422 with the issues, a page re-renders its form with them next to the
/// fields, the command line prints them and exits with status 2.
public struct ValidationFailure: Error, Sendable, Equatable {
  public var issues: [ValidationIssue]

  public init(issues: [ValidationIssue]) { self.issues = issues }
  public init(_ issue: ValidationIssue) { self.issues = [issue] }
}

public enum PasswordPolicy {
  public static let minimumLength = 12
  /// bcrypt reads only the first 72 bytes; refusing longer passwords beats silently ignoring the rest.
  public static let maximumBytes = 72

  /// A few passwords that pass the length rule yet are the first an attacker tries.
  static let common: Set<String> = [
    "password1234", "password12345", "123456789012", "1234567890123", "qwertyuiop12", "qwertyuiopas",
    "aaaaaaaaaaaa", "passwordpassword", "mamorimamori", "changeme1234", "administrator", "letmein12345",
    "iloveyou1234", "abcdefghijkl", "abc123abc123", "111111111111", "000000000000", "password!234",
  ]

  /// A new password typed twice: the policy, then that both copies agree. Every form that sets a
  /// password (setup, invitation and reset links, the account page) asks here.
  public static func checkNew(_ password: String, confirmation: String?, email: String?) -> ValidationIssue? {
    if let issue = check(password, email: email) { return issue }
    guard password == confirmation else {
      return ValidationIssue(field: "password_confirmation", key: "validation.password_mismatch")
    }
    return nil
  }

  public static func check(_ password: String, email: String? = nil) -> ValidationIssue? {
    if password.count < minimumLength {
      return ValidationIssue(field: "password", key: "validation.password_short", arguments: ["min": "\(minimumLength)"])
    }
    if password.utf8.count > maximumBytes {
      return ValidationIssue(field: "password", key: "validation.password_long", arguments: ["max": "\(maximumBytes)"])
    }
    let lowered = password.lowercased()
    if common.contains(lowered) || Set(lowered).count < 4 {
      return ValidationIssue(field: "password", key: "validation.password_common")
    }
    if let email, !email.isEmpty {
      let local = email.lowercased().split(separator: "@").first.map(String.init) ?? ""
      if lowered == email.lowercased() || (local.count >= 4 && lowered.contains(local)) {
        return ValidationIssue(field: "password", key: "validation.password_like_email")
      }
    }
    return nil
  }
}

public enum EmailAddress {
  /// Trimmed and lower-cased: addresses are compared case-insensitively everywhere.
  public static func normalise(_ raw: String) -> String {
    raw.trimmingWhitespace().lowercased()
  }

  /// A deliberately plain check (one `@`, a dot in the domain, no spaces); the invitation link proves
  /// the rest.
  public static let maximumLength = 254

  public static func isValid(_ address: String) -> Bool {
    guard address.count <= maximumLength, !address.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" }) else {
      return false
    }
    let parts = address.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64 else { return false }
    // A dot, not first or last, never two in a row; by characters, not through Foundation's string
    // search (its `contains("..")` went through a regular expression: 4 % of a people import).
    let domain = parts[1]
    guard domain.first != ".", domain.last != ".", domain.contains(where: { $0 == "." }),
      !zip(domain, domain.dropFirst()).contains(where: { $0 == "." && $1 == "." })
    else { return false }
    return true
  }

  public static func check(_ raw: String, field: String = "email") -> ValidationIssue? {
    isValid(normalise(raw)) ? nil : ValidationIssue(field: field, key: "validation.email_invalid")
  }
}

/// The short name of a tenant in URLs and on the command line: `kobayashi-seiki`.
public enum Slug {
  public static let lengths = 2...40
  /// The same rule as ``isValid(_:)`` for the browser's `pattern` attribute (trailing and doubled hyphens
  /// are left to the server's check).
  public static let pattern = "[a-z0-9][a-z0-9\\-]{1,39}"

  public static func isValid(_ slug: String) -> Bool {
    guard lengths.contains(slug.count), let first = slug.first, first.isASCII, first.isLetter || first.isNumber
    else { return false }
    return slug.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
      && !slug.hasSuffix("-") && !slug.contains("--")
  }

  public static func check(_ slug: String, field: String = "slug") -> ValidationIssue? {
    isValid(slug) ? nil : ValidationIssue(field: field, key: "validation.slug_invalid")
  }
}

public enum TextField {
  /// A required single-line text: trimmed, not empty, at most `maximum` characters.
  public static func check(_ value: String, field: String, maximum: Int = 200) -> ValidationIssue? {
    let trimmed = value.trimmingWhitespace()
    if trimmed.isEmpty { return ValidationIssue(field: field, key: "validation.required") }
    // No more bytes than the limit means no more characters: the count, which walks the graphemes, is
    // left for long values.
    if trimmed.utf8.count > maximum, trimmed.count > maximum {
      return ValidationIssue(field: field, key: "validation.too_long", arguments: ["max": "\(maximum)"])
    }
    return nil
  }
}

/// One text input's rule: its form name, whether it must be filled and its longest value. Declared once
/// next to the operation that checks it; the form that shows the field takes `maxlength` and
/// `required` from the same value, so the page and the check cannot drift apart.
public struct TextRule: Sendable, Equatable {
  public let field: String
  public let maximum: Int
  public let required: Bool

  public init(field: String, maximum: Int, required: Bool = true) {
    self.field = field
    self.maximum = maximum
    self.required = required
  }

  /// The trimmed value's problem, if any: empty when required, or longer than `maximum`.
  public func check(_ value: String) -> ValidationIssue? {
    if required { return TextField.check(value, field: field, maximum: maximum) }
    let trimmed = value.trimmingWhitespace()
    guard trimmed.utf8.count > maximum, trimmed.count > maximum else { return nil }
    return ValidationIssue(field: field, key: "validation.too_long", arguments: ["max": "\(maximum)"])
  }

  /// The same rule under another form name (`display_name` of the setup form's administrator).
  public func named(_ field: String) -> TextRule { TextRule(field: field, maximum: maximum, required: required) }
}

