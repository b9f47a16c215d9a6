import Fluent
import Foundation
import MamoriCore

/// A course assigned to everyone, to a department or to an employment type from a day on.
public final class TrainingAssignment: Model, @unchecked Sendable {
  public static let schema = "training_assignments"

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

  // reference fields
  @OptionalParent(key: "assigned_by_id") public var assignedBy: User?
  @Parent(key: "course_id") public var course: TrainingCourse
  @OptionalParent(key: "department_id") public var department: Department?
  @Parent(key: "organisation_id") public var organisation: Organisation

  // data fields
  @Field(key: "assigned_on") public var assignedOn: CivilDate
  @OptionalEnum(key: "employment_type") public var employmentType: EmploymentType?
  @Enum(key: "scope") public var scope: TrainingScope

  public init() {}

  var schedule: TrainingSchedule.Assignment {
    .init(scope: scope, departmentID: $department.id, employment: employmentType, assignedOn: assignedOn)
  }
}
