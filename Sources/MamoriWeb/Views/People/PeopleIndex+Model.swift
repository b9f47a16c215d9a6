import Fluent
import Foundation
import MamoriCore
import SQLKit
import Vapor

/// The register of people: who works here, in which department, on what terms, and who is leaving.
enum PeopleIndex {
  struct Filter: Sendable, Equatable {
    var text = ""
    var departmentID: UUID?
    var type: EmploymentType?
    var status: PersonStatus?
    var page = 1

    init(text: String = "", departmentID: UUID? = nil, type: EmploymentType? = nil, status: PersonStatus? = nil, page: Int = 1) {
      self.text = text
      self.departmentID = departmentID
      self.type = type
      self.status = status
      self.page = page
    }

    init(query: any URLQueryContainer) {
      text = ((try? query.get(String.self, at: "q")) ?? "").trimmingCharacters(in: .whitespaces)
      departmentID = (try? query.get(String.self, at: "department")).flatMap(UUID.init(uuidString:))
      type = (try? query.get(String.self, at: "type")).flatMap(EmploymentType.init(rawValue:))
      status = (try? query.get(String.self, at: "status")).flatMap(PersonStatus.init(rawValue:))
      page = max(1, (try? query.get(Int.self, at: "page")) ?? 1)
    }

    var query: [(String, String)] {
      var items: [(String, String)] = []
      if !text.isEmpty { items.append(("q", text)) }
      if let departmentID { items.append(("department", departmentID.uuidString.lowercased())) }
      if let type { items.append(("type", type.rawValue)) }
      if let status { items.append(("status", status.rawValue)) }
      return items
    }
  }

  /// One person as the list shows them: a row decoded by column, not a model (see ``load(_:filter:)``).
  struct Row: Sendable {
    var id: UUID
    var code: String
    var fullName: String
    var departmentID: UUID?
    var employment: EmploymentType
    var jobTitle: String
    var noticeDate: CivilDate?
    var exitDate: CivilDate?

    func status(on today: CivilDate) -> PersonStatus {
      PersonStatus.on(today, noticeDate: noticeDate, exitDate: exitDate)
    }
  }

  struct DepartmentOption: Sendable {
    var id: UUID
    var code: String
    var name: String
  }

  struct Model {
    var filter: Filter
    var today: CivilDate
    var people: [Row]
    var total: Int
    var matching: Int
    var pageCount: Int
    var departments: [DepartmentOption]

    func departmentName(_ id: UUID?) -> String? {
      id.flatMap { id in departments.first { $0.id == id }?.name }
    }
  }

  static let pageSize = 50

  /// The register is filtered and paged by the database, so that a page costs the same whether the
  /// organisation has a hundred people or ten thousand. The derived status is expressed in SQL by
  /// ``statusExpression(_:today:)``, which a test checks against ``PersonStatus`` day by day.
  ///
  /// One statement per visit, decoded by column (a Fluent model per row costs a reflection of its
  /// properties, which was most of this page's time): a page of rows with the matching count
  /// (``ListPage``). The unfiltered total and the departments change only with the
  /// organisation's data, so they are kept by the tenant version (``ListContext``).
  static func load(_ req: Request, filter: Filter) async throws -> Model {
    let tenant = try await req.tenant()
    let organisationID = tenant.organisationID
    let today = tenant.today
    let sql = try req.db.sql()
    let predicate = Self.predicate(filter, today: today) ?? SQLLiteral.boolean(true)
    let context = try await req.mamori.peopleLists.value(for: organisationID, version: try await req.tenantVersion()) {
      let total = try await sql.raw("""
        SELECT count(*) AS n FROM people WHERE organisation_id = \(bind: organisationID)
        """).first()?.decode(column: "n", as: Int.self) ?? 0
      let departments = try await sql.raw("""
        SELECT id, code, name FROM departments WHERE organisation_id = \(bind: organisationID) ORDER BY code
        """).all().map { row in
        DepartmentOption(
          id: try row.decode(column: "id", as: UUID.self), code: try row.decode(column: "code", as: String.self),
          name: try row.decode(column: "name", as: String.self))
      }
      return ListContext(total: total, departments: departments)
    }
    var filter = filter
    let page = try await ListPage.load(requested: filter.page, pageSize: pageSize) { offset in
      try await sql.raw("""
        SELECT id, code, full_name, department_id, employment_type, job_title, notice_date, exit_date,
          (SELECT count(*) FROM people WHERE organisation_id = \(bind: organisationID) AND \(predicate)) AS matching
        FROM people WHERE organisation_id = \(bind: organisationID) AND \(predicate)
        ORDER BY code LIMIT \(literal: pageSize) OFFSET \(literal: offset)
        """).all()
    }
    filter.page = page.number
    let people = try page.rows.map { row in
      Row(
        id: try row.decode(column: "id", as: UUID.self), code: try row.decode(column: "code", as: String.self),
        fullName: try row.decode(column: "full_name", as: String.self),
        departmentID: try row.decode(column: "department_id", as: UUID?.self),
        employment: EmploymentType(rawValue: try row.decode(column: "employment_type", as: String.self)) ?? .other,
        jobTitle: try row.decode(column: "job_title", as: String.self),
        noticeDate: try row.decode(column: "notice_date", as: String?.self).flatMap(CivilDate.init(iso:)),
        exitDate: try row.decode(column: "exit_date", as: String?.self).flatMap(CivilDate.init(iso:)))
    }
    return Model(
      filter: filter, today: today, people: people, total: context.total, matching: page.matching,
      pageCount: page.pageCount, departments: context.departments)
  }

  /// What the people list shows of the whole organisation: its head count and its departments.
  struct ListContext: Sendable {
    var total: Int
    var departments: [DepartmentOption]
  }

  /// The filter as one SQL condition over `people`, or nil when nothing is filtered.
  static func predicate(_ filter: Filter, today: CivilDate) -> (any SQLExpression)? {
    var conditions: [any SQLExpression] = []
    if let departmentID = filter.departmentID {
      conditions.append(SQLBinaryExpression(SQLColumn("department_id"), .equal, SQLBind(departmentID)))
    }
    if let type = filter.type {
      conditions.append(SQLBinaryExpression(SQLColumn("employment_type"), .equal, SQLBind(type.rawValue)))
    }
    if let status = filter.status { conditions.append(statusExpression(status, today: today)) }
    if let text = textExpression(filter.text) { conditions.append(text) }
    return SQLConditions.all(conditions)
  }

  /// A case-insensitive match on any of the columns a person is looked up by.
  static func textExpression(_ text: String) -> (any SQLExpression)? {
    guard !text.isEmpty else { return nil }
    let needle = SQLBind("%" + text.lowercased() + "%")
    return SQLConditions.any(
      ["full_name", "code", "login_name", "email", "job_title"].map {
        SQLBinaryExpression(SQLFunction("lower", args: SQLColumn($0)), .like, needle)
      })
  }

  static func query(_ filter: Filter, organisationID: UUID, today: CivilDate, on database: any Database) -> QueryBuilder<Person> {
    var query = Person.query(in: organisationID, on: database)
    if let predicate = predicate(filter, today: today) { query = query.filter(.custom(predicate)) }
    return query
  }

  /// ``PersonStatus/on(_:noticeDate:exitDate:)`` in SQL. Days are stored as `YYYY-MM-DD`, whose order
  /// as text is their order as days.
  static func statusExpression(_ status: PersonStatus, today: CivilDate) -> any SQLExpression {
    let day = SQLBind(today.iso)
    let exit = SQLColumn("exit_date")
    let notice = SQLColumn("notice_date")
    let expression: any SQLExpression
    switch status {
    case .left:
      expression = SQLBinaryExpression(SQLBinaryExpression(exit, .isNot, SQLLiteral.null), .and, SQLBinaryExpression(exit, .lessThan, day))
    case .leaving:
      expression = SQLGroupExpression(
        SQLBinaryExpression(
          SQLBinaryExpression(
            SQLBinaryExpression(exit, .isNot, SQLLiteral.null), .and, SQLBinaryExpression(exit, .greaterThanOrEqual, day)),
          .or,
          SQLBinaryExpression(SQLBinaryExpression(exit, .is, SQLLiteral.null), .and, SQLBinaryExpression(notice, .isNot, SQLLiteral.null))))
    case .active:
      expression = SQLBinaryExpression(SQLBinaryExpression(exit, .is, SQLLiteral.null), .and, SQLBinaryExpression(notice, .is, SQLLiteral.null))
    }
    return SQLGroupExpression(expression)
  }
}
