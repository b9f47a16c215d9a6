import Fluent
import Foundation
import MamoriCore

/// A signed pledge (誓約書) of a person: its kind, the day it was signed, what it covers and, optionally,
/// the scanned paper, whose bytes live in the file store under `storage_key` like evidence files.
public final class Pledge: Model, @unchecked Sendable {
  public static let schema = "pledges"

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

  // reference fields
  @Parent(key: "organisation_id") public var organisation: Organisation
  @Parent(key: "person_id") public var person: Person
  @OptionalParent(key: "recorded_by_id") public var recordedBy: User?

  // data fields
  @Enum(key: "kind") public var kind: PledgeKind
  @Field(key: "signed_on") public var signedOn: CivilDate
  @Field(key: "scope") public var scope: String
  /// The group of assets a project pledge covers; empty for the whole organisation.
  @Field(key: "asset_group") public var assetGroup: String
  @OptionalField(key: "file_name") public var fileName: String?
  @OptionalField(key: "content_type") public var contentType: String?
  @OptionalField(key: "size") public var size: Int?
  @OptionalField(key: "sha256") public var sha256: String?
  @OptionalField(key: "storage_key") public var storageKey: String?
  /// Recorded from paper, or acknowledged by the person in Mamori.
  @Enum(key: "method") public var method: PledgeMethod

  public init() { method = .recorded }
}

/// A pledge as the audit trail records it: what was signed and which file, never where it is stored.
struct PledgeSnapshot: Encodable {
  var person: String
  var kind: String
  var signed_on: String
  var scope: String
  var asset_group: String
  var file_name: String?
  var size: Int?
  var sha256: String?
  var method: String

  init(_ pledge: Pledge) {
    person = pledge.$person.id.uuidString.lowercased()
    kind = pledge.kind.rawValue
    signed_on = pledge.signedOn.iso
    scope = pledge.scope
    asset_group = pledge.assetGroup
    file_name = pledge.fileName
    size = pledge.size
    sha256 = pledge.sha256
    method = pledge.method.rawValue
  }
}
