import Fluent
import Foundation
import MamoriCore
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

  /// An SME's register has hundreds of people, not millions: it is filtered in memory, which keeps the
  /// derived status (leaving, left) a single rule in ``PersonStatus``.
  static func load(_ req: Request, filter: Filter) async throws -> Model {
    let organisation = try await req.requireOrganisation()
    let organisationID = try organisation.requireID()
    let today = req.today(for: organisation)
    let everyone = try await Person.query(in: organisationID, on: req.db).with(\.$department).sort(\.$code).all()
    let matching = everyone.filter { filter.matches($0, today: today) }
    let pageCount = max(1, (matching.count + pageSize - 1) / pageSize)
    var filter = filter
    filter.page = min(filter.page, pageCount)
    let page = Array(matching.dropFirst((filter.page - 1) * pageSize).prefix(pageSize))
    let departments = try await Department.query(in: organisationID, on: req.db).sort(\.$code).all()
    return Model(
      filter: filter, today: today, people: page, total: everyone.count, matching: matching.count, pageCount: pageCount,
      departments: departments)
  }
}
