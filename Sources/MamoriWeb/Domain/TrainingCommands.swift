import Fluent
import Foundation
import MamoriCore
import Vapor

/// `mamori training list|overdue`: the same report as the training page, read from the same database
/// as `serve`, on the organisation's today.
public enum TrainingCommands {
  public struct CourseLine: Sendable, Equatable {
    public var id: String
    public var title: String
    public var builtIn: String?
    public var dueDays: Int
    public var dueOn: CivilDate?
    public var recurrenceMonths: Int?
    public var assignments: [String]
    public var covered: Int
    public var done: Int
    public var due: Int
    public var overdue: Int
  }

  public struct OverdueLine: Sendable, Equatable {
    public var loginName: String
    public var name: String
    public var department: String?
    public var course: String
    public var dueOn: CivilDate
  }

  public static func list(organisationSlug slug: String, on app: Application) async throws -> [CourseLine] {
    let organisation = try await RegisterCommands.organisation(slug, on: app)
    let today = Organisations.today(organisation, now: app.mamori.clock.now())
    let report = try await Training.report(organisationID: try organisation.requireID(), today: today, on: app.db)
    return report.courses.map { course in
      let entries = report.entries.filter { $0.course.id == course.id }
      return CourseLine(
        id: course.id!.uuidString.lowercased(), title: course.title, builtIn: course.catalogID, dueDays: course.dueDays,
        dueOn: course.dueOn, recurrenceMonths: course.recurrenceMonths,
        assignments: report.assignments.filter { $0.$course.id == course.id }.map { assignment in
          switch assignment.scope {
          case .everyone: return "everyone from \(assignment.assignedOn.iso)"
          case .department:
            return "department \(assignment.$department.id.flatMap { report.departments[$0] } ?? "?") from \(assignment.assignedOn.iso)"
          case .employment: return "\(assignment.employmentType?.rawValue ?? "?") from \(assignment.assignedOn.iso)"
          }
        }, covered: entries.count, done: entries.filter { $0.status.state == .done }.count,
        due: entries.filter { $0.status.state == .due }.count, overdue: entries.filter { $0.status.state == .overdue }.count)
    }
  }

  public static func overdue(organisationSlug slug: String, on app: Application) async throws -> [OverdueLine] {
    let organisation = try await RegisterCommands.organisation(slug, on: app)
    let today = Organisations.today(organisation, now: app.mamori.clock.now())
    let report = try await Training.report(organisationID: try organisation.requireID(), today: today, on: app.db)
    return report.entries.filter { $0.status.state == .overdue }.compactMap { entry in
      guard let due = entry.status.dueOn else { return nil }
      return OverdueLine(
        loginName: entry.person.loginName, name: entry.person.fullName,
        department: entry.person.departmentID.flatMap { report.departments[$0] }, course: entry.course.title, dueOn: due)
    }.sorted { ($0.dueOn, $0.loginName, $0.course) < ($1.dueOn, $1.loginName, $1.course) }
  }

  /// `[{"person_id","name","department","course","due_on"}]`, one object per line.
  public static func json(_ lines: [OverdueLine]) -> String {
    if lines.isEmpty { return "[]\n" }
    return "[\n" + lines.map { line in
      "{\"person_id\":\(AlertWriter.jsonString(line.loginName)),\"name\":\(AlertWriter.jsonString(line.name)),\"department\":"
        + (line.department.map(AlertWriter.jsonString) ?? "null") + ",\"course\":\(AlertWriter.jsonString(line.course)),\"due_on\":\"\(line.dueOn.iso)\"}"
    }.joined(separator: ",\n") + "\n]\n"
  }

  public static func json(_ courses: [CourseLine]) -> String {
    if courses.isEmpty { return "[]\n" }
    return "[\n" + courses.map { course in
      "{\"id\":\"\(course.id)\",\"title\":\(AlertWriter.jsonString(course.title)),\"built_in\":"
        + (course.builtIn.map(AlertWriter.jsonString) ?? "null") + ",\"due_days\":\(course.dueDays),\"due_on\":"
        + (course.dueOn.map { "\"\($0.iso)\"" } ?? "null") + ",\"recurrence_months\":" + (course.recurrenceMonths.map { "\($0)" } ?? "null")
        + ",\"assignments\":[" + course.assignments.map(AlertWriter.jsonString).joined(separator: ",")
        + "],\"covered\":\(course.covered),\"done\":\(course.done),\"due\":\(course.due),\"overdue\":\(course.overdue)}"
    }.joined(separator: ",\n") + "\n]\n"
  }

  public static func table(_ lines: [OverdueLine]) -> String {
    TextTable.render(
      header: ["PERSON", "NAME", "DEPARTMENT", "COURSE", "DUE"],
      rows: lines.map { [$0.loginName, $0.name, $0.department ?? "-", $0.course, $0.dueOn.iso] })
      + "\(lines.count) overdue\n"
  }

  public static func table(_ courses: [CourseLine]) -> String {
    TextTable.render(
      header: ["COURSE", "DUE", "EVERY", "COVERED", "DONE", "DUE", "OVERDUE", "ASSIGNED TO"],
      rows: courses.map { course in
        [
          course.title, course.dueOn?.iso ?? "\(course.dueDays) days", course.recurrenceMonths.map { "\($0) months" } ?? "-",
          "\(course.covered)", "\(course.done)", "\(course.due)", "\(course.overdue)",
          course.assignments.isEmpty ? "-" : course.assignments.joined(separator: "; "),
        ]
      }) + "\(courses.count) course(s)\n"
  }
}

/// Columns padded to their widest cell (counted in characters), the last column left as it is.
enum TextTable {
  static func render(header: [String], rows: [[String]]) -> String {
    var widths = header.map(\.count)
    for row in rows { for (index, cell) in row.enumerated() where index < header.count - 1 { widths[index] = max(widths[index], cell.count) } }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { index, cell in
        index < header.count - 1 ? cell + String(repeating: " ", count: widths[index] - cell.count) : cell
      }.joined(separator: "  ")
    }
    return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
  }
}
