import Fluent
import Foundation
import MamoriCore

/// The answer to one item of an assessment, with its note, and for △ and × the owner and due date
/// that put it on the organisation's action list.
public final class AssessmentAnswer: Model, @unchecked Sendable {
  public static let schema = "assessment_answers"

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
  @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

  // reference fields
  @Parent(key: "assessment_id") public var assessment: Assessment
  /// The assessment's organisation, kept on the row so that queries scope by the tenant directly.
  @Parent(key: "organisation_id") public var organisation: Organisation
  @OptionalParent(key: "updated_by") public var updatedBy: User?

  // data fields
  @Field(key: "item_id") public var itemID: String
  /// The id of the catalog's answer (`yes`, `partial` …); nil while unanswered.
  @OptionalField(key: "answer") public var answer: String?
  @Field(key: "note") public var note: String
  @Field(key: "owner") public var owner: String
  /// Stored as `YYYY-MM-DD` text.
  @OptionalField(key: "due_on") public var dueOn: CivilDate?
  /// Copied from the previous round and not yet confirmed by the officer.
  @Field(key: "carried_over") public var carriedOver: Bool

  public init() {}

  public init(assessmentID: UUID, organisationID: UUID, itemID: String) {
    self.$assessment.id = assessmentID
    self.$organisation.id = organisationID
    self.carriedOver = false
    self.itemID = itemID
    self.note = ""
    self.owner = ""
  }
}
