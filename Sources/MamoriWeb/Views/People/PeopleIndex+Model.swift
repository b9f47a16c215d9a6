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

    func matches(_ person: Person, today: CivilDate) -> Bool {
      if let departmentID, person.$department.id != departmentID { return false }
      if let type, person.employment != type { return false }
      if let status, person.status(on: today) != status { return false }
      guard !text.isEmpty else { return true }
      let needle = text.lowercased()
      return [person.fullName, person.code, person.loginName, person.email ?? "", person.jobTitle]
        .contains { $0.lowercased().contains(needle) }
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

  struct Model {
    var filter: Filter
    var today: CivilDate
    var people: [Person]
    var total: Int
    var matching: Int
    var pageCount: Int
    var departments: [Department]
  }

  static let pageSize = 50

  /// The register is filtered and paged by the database, so that a page costs the same whether the
  /// organisation has a hundred people or ten thousand. The derived status is expressed in SQL by
  /// ``statusFilter(_:today:)``, which a test checks against ``PersonStatus`` day by day.
  static func load(_ req: Request, filter: Filter) async throws -> Model {
    let tenant = try await req.tenant()
    let organisationID = tenant.organisationID
    let today = tenant.today
    let total = try await Person.query(in: organisationID, on: req.db).count()
    let matching = try await query(filter, organisationID: organisationID, today: today, on: req.db).count()
    let pageCount = max(1, (matching + pageSize - 1) / pageSize)
    var filter = filter
    filter.page = min(filter.page, pageCount)
    let lower = (filter.page - 1) * pageSize
    let page = try await query(filter, organisationID: organisationID, today: today, on: req.db).with(\.$department)
      .sort(\.$code).range(lower..<(lower + pageSize)).all()
    let departments = try await Department.query(in: organisationID, on: req.db).sort(\.$code).all()
    return Model(
      filter: filter, today: today, people: page, total: total, matching: matching, pageCount: pageCount,
      departments: departments)
  }

  static func query(_ filter: Filter, organisationID: UUID, today: CivilDate, on database: any Database) -> QueryBuilder<Person> {
    var query = Person.query(in: organisationID, on: database)
    if let departmentID = filter.departmentID { query = query.filter(\.$department.$id == departmentID) }
    if let type = filter.type { query = query.filter(\.$employmentType == type) }
    if let status = filter.status { query = query.filter(statusFilter(status, today: today)) }
    if !filter.text.isEmpty {
      let needle = SQLBind("%" + filter.text.lowercased() + "%")
      query = query.group(.or) { group in
        for column in ["full_name", "code", "login_name", "email", "job_title"] {
          group.filter(.custom(SQLBinaryExpression(SQLFunction("lower", args: SQLColumn(column)), .like, needle)))
        }
      }
    }
    return query
  }

  /// ``PersonStatus/on(_:noticeDate:exitDate:)`` in SQL. Days are stored as `YYYY-MM-DD`, whose order
  /// as text is their order as days.
  static func statusFilter(_ status: PersonStatus, today: CivilDate) -> DatabaseQuery.Filter {
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
    return .custom(SQLGroupExpression(expression))
  }
}
