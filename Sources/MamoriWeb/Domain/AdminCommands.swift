import Fluent
import Foundation
import MamoriCore
import Vapor

/// What the administration commands of the `mamori` executable do, on the same database as `serve`.
/// The JSON shapes of the list commands are a contract for scripts: keys may be added, never renamed.
public enum AdminCommands {
  public enum Failure: Error, Equatable {
    case slugTaken
    case unknownOrganisation
    case emailTaken
    case unknownAccount
    case invalid(String)
  }

  public struct OrganisationRow: Codable, Sendable, Equatable {
    public var id: UUID
    public var slug: String
    public var name: String
    public var users: Int
    public var people: Int
  }

  public struct UserRow: Codable, Sendable, Equatable {
    public var id: UUID
    public var email: String
    public var displayName: String
    public var role: String?
    public var status: String
    public var isOperator: Bool
    public var lastLoginAt: Date?
  }

  public struct CreatedUser: Sendable {
    public var email: String
    public var link: String
  }

  public static func createOrganisation(slug: String, name: String, on app: Application) async throws -> OrganisationRow {
    do {
      let created = try await Tenants.createOrganisation(
        slug: slug, name: name, admin: nil, invitedBy: nil, actor: .commandLine, on: app.db, context: app.mamori, baseURL: "")
      let organisation = created.organisation
      return OrganisationRow(id: try organisation.requireID(), slug: organisation.slug, name: organisation.name, users: 0, people: 0)
    } catch let invalid as ValidationFailure {
      if invalid.issues.contains(where: { $0.key == "validation.taken" }) { throw Failure.slugTaken }
      throw Failure.invalid(invalid.issues.map { app.mamori.catalog.text($0.key, .en, $0.arguments) }.joined(separator: "; "))
    }
  }

  public static func organisations(on app: Application) async throws -> [OrganisationRow] {
    var rows: [OrganisationRow] = []
    for organisation in try await Organisation.query(on: app.db).sort(\.$slug).all() {
      let id = try organisation.requireID()
      rows.append(
        OrganisationRow(
          id: id, slug: organisation.slug, name: organisation.name,
          users: try await User.query(in: id, on: app.db).count(),
          people: try await Person.query(in: id, on: app.db).count()))
    }
    return rows
  }

  public static func createUser(
    organisationSlug: String, email: String, role: Role, displayName: String, isOperator: Bool, on app: Application,
    baseURL: String
  ) async throws -> CreatedUser {
    guard let organisation = try await Organisation.query(on: app.db).filter(\.$slug == organisationSlug).first() else {
      throw Failure.unknownOrganisation
    }
    do {
      let invitation = try await Accounts.invite(
        email: email, displayName: displayName, role: role, organisationID: try organisation.requireID(), bodyID: nil,
        isOperator: isOperator, revealClash: true, invitedBy: nil, actor: .commandLine, on: app.db, context: app.mamori, baseURL: baseURL)
      return CreatedUser(email: invitation.user.email, link: invitation.link)
    } catch let failure as ValidationFailure {
      if failure.issues.contains(where: { $0.key == "validation.email_taken" }) { throw Failure.emailTaken }
      throw Failure.invalid(failure.issues.map { app.mamori.catalog.text($0.key, .en, $0.arguments) }.joined(separator: "; "))
    }
  }

  public struct IssuedLink: Sendable {
    public var email: String
    public var link: String
    public var hours: Int
  }

  /// A new one-time password-setting link for an existing account (an invitation link while the account is
  /// still invited), for the operator who lost the way in. Same rules as the page: earlier links stop
  /// working, a disabled account gets none, and the audit trail records it with the actor `cli`.
  public static func passwordLink(email: String, on app: Application, baseURL: String) async throws -> IssuedLink {
    let address = EmailAddress.normalise(email)
    guard let user = try await User.query(on: app.db).filter(\.$email == address).first() else {
      throw Failure.unknownAccount
    }
    guard user.status != .disabled else {
      throw Failure.invalid(app.mamori.catalog.text("users.disabled_no_link", .en, [:]))
    }
    let purpose: AccountToken.Purpose = user.status == .invited ? .invitation : .reset
    let (link, token) = try await Accounts.issueLink(
      for: user, purpose: purpose, createdBy: nil, actor: .commandLine, on: app.db, context: app.mamori, baseURL: baseURL)
    return IssuedLink(
      email: user.email, link: link, hours: Int((token.expiresAt.timeIntervalSince(token.createdAt) / 3600).rounded()))
  }

  /// Mails every organisation's officers and administrators their overdue self-check actions; nil
  /// without SMTP.
  public static func remindOverdueActions(on app: Application, baseURL: String) async throws -> OverdueReminderReport? {
    try await AssessmentActions.remindOverdue(context: app.mamori, baseURL: baseURL, actor: .commandLine, on: app.db)
  }

  public static func users(organisationSlug: String, on app: Application) async throws -> [UserRow] {
    guard let organisation = try await Organisation.query(on: app.db).filter(\.$slug == organisationSlug).first() else {
      throw Failure.unknownOrganisation
    }
    return try await User.query(in: try organisation.requireID(), on: app.db).sort(\.$email).all().map {
      UserRow(
        id: try $0.requireID(), email: $0.email, displayName: $0.displayName, role: $0.role?.rawValue, status: $0.status.rawValue,
        isOperator: $0.isOperator, lastLoginAt: $0.lastLoginAt)
    }
  }

  public static func json<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }
}
