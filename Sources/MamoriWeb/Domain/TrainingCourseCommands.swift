import Fluent
import Foundation
import MamoriCore
import Vapor

/// `mamori training courses|complete`: the organisation's courses, and attendance recorded from the
/// command line through the attendance page's own operation (actor `cli`).
extension TrainingCommands {
  public enum CourseFailure: Error, Equatable {
    /// Input the command cannot use (unknown course or login name, a broken rule), in English.
    case invalid([String])
  }

  public struct CourseSummary: Sendable, Equatable {
    public var id: String
    public var title: String
    public var titleEn: String?
    public var builtIn: String?
    public var dueDays: Int
    public var dueOn: CivilDate?
    public var recurrenceMonths: Int?
    public var selfDeclaration: Bool
    public var retiredOn: CivilDate?
    public var completions: Int
  }

  /// Every course of the organisation, own and built-in in use, retired ones included.
  public static func courses(organisationSlug slug: String, on app: Application) async throws -> [CourseSummary] {
    let organisation = try await RegisterCommands.organisation(slug, on: app)
    let organisationID = try organisation.requireID()
    let courses = try await TrainingCourse.query(in: organisationID, on: app.db).sort(\.$title).all()
    var counts: [UUID: Int] = [:]
    for completion in try await TrainingCompletion.query(in: organisationID, on: app.db).all() {
      counts[completion.$course.id, default: 0] += 1
    }
    return courses.map { course in
      CourseSummary(
        id: course.id!.uuidString.lowercased(), title: course.title, titleEn: course.titleEn, builtIn: course.catalogID,
        dueDays: course.dueDays, dueOn: course.dueOn, recurrenceMonths: course.recurrenceMonths,
        selfDeclaration: course.allowsSelfDeclaration, retiredOn: course.retiredOn, completions: counts[course.id!] ?? 0)
    }
  }

  /// Records that the people named by login name attended `course` (its id) on `day`; returns how many
  /// completions were made (people already recorded for that day are left as they are).
  public static func complete(
    organisationSlug slug: String, course courseText: String, loginNames: [String], on day: String, app: Application
  ) async throws -> Int {
    let organisation = try await RegisterCommands.organisation(slug, on: app)
    let organisationID = try organisation.requireID()
    let now = app.mamori.clock.now()
    let today = Organisations.today(organisation, now: now)
    guard let courseID = UUID(uuidString: courseText),
      let course = try await TrainingCourse.query(in: organisationID, on: app.db).filter(\.$id == courseID).first()
    else { throw CourseFailure.invalid(["course: no course with id \(courseText) (see mamori training courses)"]) }
    let people = try await Person.query(in: organisationID, on: app.db).filter(\.$loginName ~~ loginNames).all()
    let unknown = loginNames.filter { name in !people.contains { $0.loginName == name } }
    guard unknown.isEmpty else { throw CourseFailure.invalid(unknown.map { "person: no person with login name \($0)" }) }
    do {
      return try await Training.recordAttendance(
        .init(personIDs: people.map { $0.id!.uuidString }, heldOn: day), course: course, recordedBy: nil, organisationID: organisationID,
        today: today, actor: .commandLine, now: now, on: app.db
      ).count
    } catch let invalid as ValidationFailure {
      throw CourseFailure.invalid(invalid.issues.map { "\($0.field): " + app.mamori.catalog.text($0.key, .en, $0.arguments) })
    }
  }

  /// `[{"id","title","title_en","built_in","due_days","due_on","recurrence_months","self_declaration","retired_on","completions"}]`
  public static func json(_ courses: [CourseSummary]) -> String {
    if courses.isEmpty { return "[]\n" }
    return "[\n" + courses.map { course in
      "{\"id\":\"\(course.id)\",\"title\":\(AlertWriter.jsonString(course.title)),\"title_en\":"
        + (course.titleEn.map(AlertWriter.jsonString) ?? "null") + ",\"built_in\":"
        + (course.builtIn.map(AlertWriter.jsonString) ?? "null") + ",\"due_days\":\(course.dueDays),\"due_on\":"
        + (course.dueOn.map { "\"\($0.iso)\"" } ?? "null") + ",\"recurrence_months\":" + (course.recurrenceMonths.map { "\($0)" } ?? "null")
        + ",\"self_declaration\":\(course.selfDeclaration),\"retired_on\":" + (course.retiredOn.map { "\"\($0.iso)\"" } ?? "null")
        + ",\"completions\":\(course.completions)}"
    }.joined(separator: ",\n") + "\n]\n"
  }

  public static func table(_ courses: [CourseSummary]) -> String {
    TextTable.render(
      header: ["ID", "KIND", "DUE", "EVERY", "SELF", "RETIRED", "DONE", "TITLE"],
      rows: courses.map { course in
        [
          course.id, course.builtIn == nil ? "own" : "built-in", course.dueOn?.iso ?? "\(course.dueDays) days",
          course.recurrenceMonths.map { "\($0) months" } ?? "-", course.selfDeclaration ? "yes" : "no", course.retiredOn?.iso ?? "-",
          "\(course.completions)", course.title,
        ]
      }) + "\(courses.count) course(s)\n"
  }
}
