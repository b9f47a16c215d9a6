import Fluent
import Foundation
import MamoriCore

/// An organisation lets a certification body's auditors read its records, for a period. Outside that
/// period, or once revoked, the body's auditors get 404 for everything of the organisation.
public final class AuditAccess: Model, @unchecked Sendable {
  public static let schema = "audit_accesses"

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

  // reference fields
  @Parent(key: "body_id") public var body: CertificationBody
  @OptionalParent(key: "granted_by_id") public var grantedBy: User?
  @Parent(key: "organisation_id") public var organisation: Organisation

  // data fields
  @Field(key: "ends_on") public var endsOn: CivilDate
  @Field(key: "purpose") public var purpose: String
  @OptionalField(key: "revoked_at") public var revokedAt: Date?
  @Field(key: "starts_on") public var startsOn: CivilDate

  public init() {}

  public init(
    id: UUID? = nil, organisationID: UUID, bodyID: UUID, grantedByID: UUID?, startsOn: CivilDate,
    endsOn: CivilDate, purpose: String
  ) {
    self.id = id
    self.$organisation.id = organisationID
    self.$body.id = bodyID
    self.$grantedBy.id = grantedByID
    self.startsOn = startsOn
    self.endsOn = endsOn
    self.purpose = purpose
  }
}

extension AuditAccess {
  public enum State: String, Sendable {
    case scheduled, active, ended, revoked
    public var labelKey: String { "audit_state.\(rawValue)" }
  }

  public func state(on today: CivilDate) -> State {
    if revokedAt != nil { return .revoked }
    if today < startsOn { return .scheduled }
    if endsOn < today { return .ended }
    return .active
  }
}
