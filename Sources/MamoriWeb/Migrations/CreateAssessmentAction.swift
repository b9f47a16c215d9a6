import Fluent
import Foundation
import SQLKit

/// Actions of the self-check as records of their own (issue 12): raised by a △ or × answer, kept across
/// rounds, worked on after a round is completed. Existing △ and × answers of the latest round of each
/// catalog become open actions.
struct CreateAssessmentAction: AsyncMigration {
  var name: String { "MamoriWeb.CreateAssessmentAction" }

  func prepare(on database: any Database) async throws {
    try await database.schema("assessment_actions")
      .id()
      .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
      .field("assessment_id", .uuid, .required, .references("assessments", "id", onDelete: .cascade))
      .field("updated_by", .uuid, .references("users", "id", onDelete: .setNull))
      .field("catalog_id", .string, .required)
      .field("item_id", .string, .required)
      .field("owner", .string, .required)
      .field("due_on", .string)
      .field("status", .string, .required)
      .field("note", .string, .required)
      .field("created_at", .datetime)
      .field("updated_at", .datetime)
      .create()
    guard let sql = database as? any SQLDatabase else { return }
    try await sql.create(index: "assessment_actions_organisation_id").on("assessment_actions").column("organisation_id").run()
    try await sql.create(index: "assessment_actions_assessment_id").on("assessment_actions").column("assessment_id").run()
    try await sql.create(index: "assessment_actions_updated_by").on("assessment_actions").column("updated_by").run()

    // The latest round of each organisation and catalog, and its △ and × answers (the built-in catalogs'
    // ids; an organisation's own catalog with other ids gets its actions when its answers are next saved).
    struct Round: Decodable {
      var id: UUID
      var organisation_id: UUID
      var catalog_id: String
    }
    let rounds = try await sql.select().columns("id", "organisation_id", "catalog_id").from("assessments")
      .orderBy("started_on", .descending).orderBy("created_at", .descending).all(decoding: Round.self)
    var seen: Set<String> = []
    for round in rounds where seen.insert("\(round.organisation_id)/\(round.catalog_id)").inserted {
      struct Answer: Decodable {
        var item_id: String
        var owner: String
        var due_on: String?
        var created_at: Date?
      }
      let answers = try await sql.select().columns("item_id", "owner", "due_on", "created_at").from("assessment_answers")
        .where("assessment_id", .equal, round.id).where(SQLColumn("answer"), .in, SQLBind.group(["partial", "no"])).all(decoding: Answer.self)
      for answer in answers {
        try await sql.insert(into: "assessment_actions")
          .columns("id", "organisation_id", "assessment_id", "catalog_id", "item_id", "owner", "due_on", "status", "note", "created_at",
            "updated_at")
          .values(
            SQLBind(UUID()), SQLBind(round.organisation_id), SQLBind(round.id), SQLBind(round.catalog_id), SQLBind(answer.item_id),
            SQLBind(answer.owner), SQLBind(answer.due_on), SQLBind("open"), SQLBind(""), SQLBind(answer.created_at),
            SQLBind(answer.created_at))
          .run()
      }
    }
  }

  func revert(on database: any Database) async throws {
    if let sql = database as? any SQLDatabase {
      for name in ["assessment_actions_updated_by", "assessment_actions_assessment_id", "assessment_actions_organisation_id"] {
        try await sql.drop(index: name).run()
      }
    }
    try await database.schema("assessment_actions").delete()
  }
}
