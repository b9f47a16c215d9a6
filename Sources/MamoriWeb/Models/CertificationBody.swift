import Fluent
import Foundation

/// An accredited certification body (認証機関). Its users are auditors, who see an organisation only
/// while that organisation grants the body an audit (``AuditAccess``).
public final class CertificationBody: Model, @unchecked Sendable {
  public static let schema = "certification_bodies"

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
  @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

  // data fields
  @Field(key: "contact") public var contact: String
  @Field(key: "name") public var name: String
  @Field(key: "scope") public var scope: String
  @Field(key: "slug") public var slug: String

  public init() {}

  public init(id: UUID? = nil, slug: String, name: String, scope: String = "", contact: String = "") {
    self.id = id
    self.slug = slug
    self.name = name
    self.scope = scope
    self.contact = contact
  }
}
