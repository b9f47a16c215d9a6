import Fluent
import Foundation
import MamoriCore

/// An item of the register of information to protect (守るべき情報): what it is, where it is, how
/// secret it is and who answers for it. `code` is the detection contract's `asset_id`; `location` is
/// what access-log objects are matched against.
public final class Asset: Model, @unchecked Sendable {
  public static let schema = "assets"

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
  @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

  // reference fields
  @Parent(key: "organisation_id") public var organisation: Organisation
  /// The person who answers for the asset (管理者); nil when nobody does, which is a finding.
  @OptionalParent(key: "owner_id") public var owner: Person?

  // data fields
  @Field(key: "code") public var code: String
  @Field(key: "core_existence") public var coreExistence: String
  @Field(key: "core_source") public var coreSource: String
  @Field(key: "core_superiority") public var coreSuperiority: String
  @OptionalEnum(key: "designated_technology") public var designatedTechnology: DesignatedTechnology?
  @Field(key: "description") public var details: String
  @Field(key: "disposal") public var disposal: String
  @Enum(key: "form") public var form: AssetForm
  /// The product or process line (グループ); `key-person` findings are computed per group.
  @Field(key: "asset_group") public var group: String
  @Field(key: "is_core") public var isCore: Bool
  @Enum(key: "level") public var level: AssetLevel
  @Field(key: "location") public var location: String
  @Field(key: "name") public var name: String
  @Field(key: "retention") public var retention: String

  public init() {}
}
