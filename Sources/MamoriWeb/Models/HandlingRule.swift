import Fluent
import Foundation
import MamoriCore

/// How the organisation handles information of one level (the seed's 「管理方法を規則に定め」): one row
/// per organisation and level, shown on every asset of that level and printed as the rule sheet.
public final class HandlingRule: Model, @unchecked Sendable {
  public static let schema = "handling_rules"

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

  // reference fields
  @Parent(key: "organisation_id") public var organisation: Organisation

  // data fields
  @Field(key: "copying") public var copying: String
  @Field(key: "disposal") public var disposal: String
  @Enum(key: "level") public var level: AssetLevel
  @Field(key: "marking") public var marking: String
  @Field(key: "printing") public var printing: String
  @Field(key: "sending") public var sending: String
  @Field(key: "storage") public var storage: String
  @Field(key: "taking_out") public var takingOut: String

  public init() {}
}
