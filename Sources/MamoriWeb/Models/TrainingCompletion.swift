import Fluent
import Foundation
import MamoriCore

/// A person's completion of a course: by passing its quiz (recorded by themselves) or recorded by an
/// officer. Failed quiz attempts are not completions; their result is in the audit trail.
public final class TrainingCompletion: Model, @unchecked Sendable {
  public static let schema = "training_completions"

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

  // reference fields
  @Parent(key: "course_id") public var course: TrainingCourse
  @Parent(key: "organisation_id") public var organisation: Organisation
  @Parent(key: "person_id") public var person: Person
  @OptionalParent(key: "recorded_by_id") public var recordedBy: User?

  // data fields
  @Field(key: "completed_on") public var completedOn: CivilDate
  /// The quiz's score in percent, nil when recorded without a quiz.
  @OptionalField(key: "score") public var score: Int?
  /// True when the person recorded it by passing the quiz.
  @Field(key: "self_recorded") public var isSelfRecorded: Bool

  public init() {}
}
