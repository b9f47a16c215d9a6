import Fluent
import Foundation

/// A department of an organisation (設計部, 製造部 …), the unit people and, later, assets belong to.
public final class Department: Model, @unchecked Sendable {
  public static let schema = "departments"

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
  @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

  // reference fields
  @Parent(key: "organisation_id") public var organisation: Organisation

  // data fields
  @Field(key: "code") public var code: String
  @Field(key: "name") public var name: String

  public init() {}

  public init(id: UUID? = nil, organisationID: UUID, code: String, name: String) {
    self.id = id
    self.$organisation.id = organisationID
    self.code = code
    self.name = name
  }
}
