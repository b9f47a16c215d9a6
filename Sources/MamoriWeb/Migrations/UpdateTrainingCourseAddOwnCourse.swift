import Fluent
import SQLKit

/// Courses of an organisation's own (issue 9): an English title beside the Japanese one, where the
/// material is, whether members may declare it done themselves, and the day it was retired.
struct UpdateTrainingCourseAddOwnCourse: AsyncMigration {
  var name: String { "MamoriWeb.UpdateTrainingCourseAddOwnCourse" }

  func prepare(on database: any Database) async throws {
    try await database.schema("training_courses")
      .field("title_en", .string)
      .update()
    try await database.schema("training_courses")
      .field("material", .string, .required, .sql(.default("")))
      .update()
    try await database.schema("training_courses")
      .field("self_declaration", .bool, .required, .sql(.default(false)))
      .update()
    try await database.schema("training_courses")
      .field("retired_on", .string)
      .update()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("training_courses").deleteField("retired_on").update()
    try await database.schema("training_courses").deleteField("self_declaration").update()
    try await database.schema("training_courses").deleteField("material").update()
    try await database.schema("training_courses").deleteField("title_en").update()
  }
}
