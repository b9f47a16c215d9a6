import Fluent
import Foundation
import MamoriCore

/// A company using Mamori (事業者): the tenant every register record belongs to.
///
/// Fluent's property wrappers keep models from being truly `Sendable`; instances never cross tasks, and
/// controllers turn them into value-type view models and DTOs at the boundary.
public final class Organisation: Model, @unchecked Sendable {
  public static let schema = "organisations"

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
  @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

  // data fields
  @OptionalField(key: "capital_yen") public var capitalYen: Int?
  @OptionalField(key: "employee_count") public var employeeCount: Int?
  @Field(key: "industry") public var industry: String
  @Field(key: "is_demo") public var isDemo: Bool
  /// The share of a group's assets (in percent) at which one person is a `key-person` finding.
  @Field(key: "key_person_percent") public var keyPersonPercent: Int
  @Field(key: "name") public var name: String
  @Field(key: "name_en") public var nameEnglish: String
  @Field(key: "slug") public var slug: String
  @Field(key: "time_zone") public var timeZone: String

  public init() {}

  public init(
    id: UUID? = nil, slug: String, name: String, nameEnglish: String = "", industry: String = "",
    capitalYen: Int? = nil, employeeCount: Int? = nil, timeZone: String = "Asia/Tokyo", isDemo: Bool = false
  ) {
    self.id = id
    self.slug = slug
    self.name = name
    self.nameEnglish = nameEnglish
    self.industry = industry
    self.capitalYen = capitalYen
    self.employeeCount = employeeCount
    self.timeZone = timeZone
    self.isDemo = isDemo
    self.keyPersonPercent = Findings.defaultKeyPersonPercent
  }
}
