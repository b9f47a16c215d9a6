import Fluent
import Foundation
import MamoriCore

/// A person's right to access an asset. Revoking keeps the row with the day and who revoked it, so that
/// the register can show who had access when; only grants without `revoked_on` give access.
public final class Grant: Model, @unchecked Sendable {
  public static let schema = "grants"

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

  // reference fields
  @Parent(key: "asset_id") public var asset: Asset
  @OptionalParent(key: "granted_by_id") public var grantedBy: User?
  @Parent(key: "organisation_id") public var organisation: Organisation
  @Parent(key: "person_id") public var person: Person
  @OptionalParent(key: "revoked_by_id") public var revokedBy: User?

  // data fields
  /// The last day the grant is valid (inclusive); nil for no expiry.
  @OptionalField(key: "expires_on") public var expiresOn: CivilDate?
  @Field(key: "granted_on") public var grantedOn: CivilDate
  @Field(key: "reason") public var reason: String
  @OptionalField(key: "revoked_on") public var revokedOn: CivilDate?

  public init() {}

  public var isRevoked: Bool { revokedOn != nil }

  public func isExpired(on today: CivilDate) -> Bool { expiresOn.map { $0 < today } ?? false }
}
