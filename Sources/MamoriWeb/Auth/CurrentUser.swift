import Foundation
import MamoriCore
import Vapor

/// The signed-in user of a request, as a value: handlers read it, never the Fluent model.
public struct CurrentUser: Sendable {
  public enum Credential: Sendable {
    case session(id: UUID, csrfToken: String)
    case apiToken(id: UUID, scope: ApiTokenScope, expiresAt: Date?)
  }

  public var id: UUID
  public var email: String
  public var displayName: String
  public var role: Role?
  public var isOperator: Bool
  public var organisationID: UUID?
  public var bodyID: UUID?
  public var personID: UUID?
  public var language: Language
  public var credential: Credential

  public var principal: Principal { Principal(role: role, isOperator: isOperator) }

  init(
    id: UUID, email: String, displayName: String, role: Role?, isOperator: Bool, organisationID: UUID?, bodyID: UUID?,
    personID: UUID?, language: Language, credential: Credential
  ) {
    self.id = id
    self.email = email
    self.displayName = displayName
    self.role = role
    self.isOperator = isOperator
    self.organisationID = organisationID
    self.bodyID = bodyID
    self.personID = personID
    self.language = language
    self.credential = credential
  }

  init(user: User, credential: Credential) throws {
    self.id = try user.requireID()
    self.email = user.email
    self.displayName = user.displayName
    self.role = user.role
    self.isOperator = user.isOperator
    self.organisationID = user.$organisation.id
    self.bodyID = user.$body.id
    self.personID = user.$person.id
    self.language = user.language
    self.credential = credential
  }
}

extension Request {
  private struct CurrentUserKey: StorageKey { typealias Value = CurrentUser }
  private struct SessionEndedKey: StorageKey { typealias Value = Bool }

  /// The signed-in user, or nil for a visitor.
  public var currentUser: CurrentUser? {
    get { storage[CurrentUserKey.self] }
    set { storage[CurrentUserKey.self] = newValue }
  }

  /// Set when the request carried a session cookie that had timed out, so that the sign-in page can
  /// say why the user has to sign in again.
  var sessionEnded: Bool {
    get { storage[SessionEndedKey.self] ?? false }
    set { storage[SessionEndedKey.self] = newValue }
  }

  /// The browser session of this request, if it is signed in with one (not an API token).
  var sessionID: UUID? {
    if case .session(let id, _)? = currentUser?.credential { return id }
    return nil
  }

  /// The signed-in user; a visitor here is a programming error caught by the route's access rule.
  func requireUser() throws -> CurrentUser {
    guard let user = currentUser else { throw Abort(.unauthorized) }
    return user
  }

  /// The organisation of an organisation user. Everything a handler reads or writes is scoped by it.
  func requireOrganisationID() throws -> UUID {
    guard let id = try requireUser().organisationID else { throw Abort(.notFound) }
    return id
  }
}
