import Fluent
import Foundation
import MamoriCore

/// Someone who signs in. Belongs to one organisation or one certification body; the platform operator
/// is a flag and may belong to neither.
public final class User: Model, @unchecked Sendable {
  public static let schema = "users"

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
  @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

  // reference fields
  @OptionalParent(key: "body_id") public var body: CertificationBody?
  @OptionalParent(key: "organisation_id") public var organisation: Organisation?
  @OptionalParent(key: "person_id") public var person: Person?

  // data fields
  @Field(key: "display_name") public var displayName: String
  @Field(key: "email") public var email: String
  @Field(key: "is_operator") public var isOperator: Bool
  @Enum(key: "language") public var language: Language
  @OptionalField(key: "last_login_at") public var lastLoginAt: Date?
  @OptionalField(key: "password_changed_at") public var passwordChangedAt: Date?
  @OptionalField(key: "password_hash") public var passwordHash: String?
  /// The role in the organisation or body; nil for an operator who belongs to neither.
  @OptionalEnum(key: "role") public var role: Role?
  @Enum(key: "status") public var status: Status

  public init() {}

  public init(
    id: UUID? = nil, email: String, displayName: String, role: Role?, organisationID: UUID? = nil,
    bodyID: UUID? = nil, isOperator: Bool = false, language: Language = .ja, status: Status = .invited,
    passwordHash: String? = nil, personID: UUID? = nil
  ) {
    self.id = id
    self.email = email
    self.displayName = displayName
    self.role = role
    self.$organisation.id = organisationID
    self.$body.id = bodyID
    self.isOperator = isOperator
    self.language = language
    self.status = status
    self.passwordHash = passwordHash
    self.$person.id = personID
  }
}

extension User {
  public enum Status: String, Sendable, Codable, CaseIterable {
    /// Created, waiting for the person to set a password through their one-time link.
    case invited
    case active
    /// May not sign in; sessions and API tokens stop working at once.
    case disabled

    public var labelKey: String { "user_status.\(rawValue)" }
  }
}
