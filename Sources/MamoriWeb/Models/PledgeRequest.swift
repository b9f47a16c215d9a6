import Fluent
import Foundation
import MamoriCore

/// A pledge an officer has asked a person to acknowledge in Mamori: the kind, scope and wording the
/// person reads, by when; once acknowledged, the pledge it became.
public final class PledgeRequest: Model, @unchecked Sendable {
  public static let schema = "pledge_requests"

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

  // reference fields
  @Parent(key: "organisation_id") public var organisation: Organisation
  @Parent(key: "person_id") public var person: Person
  @OptionalParent(key: "requested_by_id") public var requestedBy: User?
  @OptionalParent(key: "acknowledged_by_id") public var acknowledgedBy: User?
  /// The pledge recorded when the person acknowledged; nil while open (or when that pledge was deleted).
  @OptionalParent(key: "pledge_id") public var pledge: Pledge?

  // data fields
  @Enum(key: "kind") public var kind: PledgeKind
  @Field(key: "scope") public var scope: String
  @Field(key: "asset_group") public var assetGroup: String
  /// The text the person reads and acknowledges, kept as it was shown.
  @Field(key: "wording") public var wording: String
  @Field(key: "due_on") public var dueOn: CivilDate
  @OptionalField(key: "acknowledged_at") public var acknowledgedAt: Date?

  public init() {}

  var isAcknowledged: Bool { acknowledgedAt != nil }
}

/// A pledge request as the audit trail records it, wording included: the entries show exactly what the
/// person was asked to acknowledge.
struct PledgeRequestSnapshot: Encodable {
  var person: String
  var kind: String
  var scope: String
  var asset_group: String
  var wording: String
  var due_on: String
  var acknowledged_at: Date?
  var pledge: String?

  init(_ request: PledgeRequest) {
    person = request.$person.id.uuidString.lowercased()
    kind = request.kind.rawValue
    scope = request.scope
    asset_group = request.assetGroup
    wording = request.wording
    due_on = request.dueOn.iso
    acknowledged_at = request.acknowledgedAt
    pledge = request.$pledge.id?.uuidString.lowercased()
  }
}
