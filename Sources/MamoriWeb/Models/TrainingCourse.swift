import Fluent
import Foundation
import MamoriCore

/// A training course of an organisation. A built-in course (`catalog_id` set) takes its title, lessons
/// and quiz from `Resources/Courses`; the row holds the organisation's terms (due window, fixed due day,
/// recurrence), so that assignments and completions refer to one record either way.
public final class TrainingCourse: Model, @unchecked Sendable {
  public static let schema = "training_courses"

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

  // reference fields
  @Parent(key: "organisation_id") public var organisation: Organisation

  // data fields
  /// The built-in course's id (`Course.id`), nil for a course of the organisation's own.
  @OptionalField(key: "catalog_id") public var catalogID: String?
  @Field(key: "description") public var details: String
  @Field(key: "due_days") public var dueDays: Int
  @OptionalField(key: "due_on") public var dueOn: CivilDate?
  @OptionalField(key: "recurrence_months") public var recurrenceMonths: Int?
  @Field(key: "title") public var title: String
  /// The English title of an own course; empty or nil reads the Japanese one.
  @OptionalField(key: "title_en") public var titleEn: String?
  /// Where an own course's material is: a URL or a line of text.
  @Field(key: "material") public var material: String
  /// Whether a member may mark the course done themselves (own courses only; else the officer records it).
  @Field(key: "self_declaration") public var allowsSelfDeclaration: Bool
  /// The day an officer retired the course: no new assignments, nobody due, completions kept.
  @OptionalField(key: "retired_on") public var retiredOn: CivilDate?

  public init() {
    material = ""
    allowsSelfDeclaration = false
  }

  var isOwn: Bool { catalogID == nil }
  var isRetired: Bool { retiredOn != nil }

  /// The title in `language`: an own course's English title when it has one, else the Japanese.
  func ownTitle(_ language: Language) -> String {
    if language == .en, let english = titleEn, !english.isEmpty { return english }
    return title
  }

  var terms: TrainingSchedule.Terms { .init(dueDays: dueDays, dueOn: dueOn, recurrenceMonths: recurrenceMonths) }
}
