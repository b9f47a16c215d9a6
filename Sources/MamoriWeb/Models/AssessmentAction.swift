import Fluent
import Foundation
import MamoriCore

/// Something to do that a △ or × answer raised: one item of a catalog, its owner, due date, status and
/// note. It outlives the round that raised it, so work done between rounds is tracked and shows there.
public final class AssessmentAction: Model, @unchecked Sendable {
  public static let schema = "assessment_actions"

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
  @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

  // reference fields
  @Parent(key: "organisation_id") public var organisation: Organisation
  /// The round that raised it.
  @Parent(key: "assessment_id") public var assessment: Assessment
  @OptionalParent(key: "updated_by") public var updatedBy: User?

  // data fields
  @Field(key: "catalog_id") public var catalogID: String
  @Field(key: "item_id") public var itemID: String
  @Field(key: "owner") public var owner: String
  @OptionalField(key: "due_on") public var dueOn: CivilDate?
  @Enum(key: "status") public var status: ActionStatus
  @Field(key: "note") public var note: String

  public init() {}

  public init(organisationID: UUID, assessmentID: UUID, catalogID: String, itemID: String, owner: String, dueOn: CivilDate?) {
    self.$organisation.id = organisationID
    self.$assessment.id = assessmentID
    self.catalogID = catalogID
    self.itemID = itemID
    self.owner = owner
    self.dueOn = dueOn
    self.status = .open
    self.note = ""
  }
}
