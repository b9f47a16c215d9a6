import Fluent
import Foundation
import MamoriCore
import SQLKit
import Vapor

/// The data of the dashboard: only what exists for the signed-in user's role.
enum Dashboard {
  struct Model {
    struct Leaver {
      var personID: UUID
      var name: String
      var department: String?
      var employment: EmploymentType
      var noticeDate: CivilDate?
      var exitDate: CivilDate?
    }

    struct Audit {
      var accessID: UUID
      var organisationName: String
      var endsOn: CivilDate?
    }

    var today: CivilDate
    var organisationName: String?
    var peopleByType: [(EmploymentType, Int)] = []
    var departmentCount = 0
    var leavers: [Leaver] = []
    var activeAccounts = 0
    var invitedAccounts = 0
    var auditGrants: [(bodyName: String, endsOn: CivilDate?)] = []
    var ownPerson: Person?
    var ownDepartment: String?
    var audits: [Audit] = []
    var operatorCounts: (organisations: Int, bodies: Int, users: Int)?
    /// The register's findings (Dashboard+Findings), for those who manage the register.
    var findings: [Finding]?

    var peopleTotal: Int { peopleByType.reduce(0) { $0 + $1.1 } }
  }

  static func load(_ req: Request) async throws -> Model {
    let user = try req.requireUser()
    let tenant = user.organisationID == nil ? nil : try await req.tenant()
    var model = Model(today: tenant?.today ?? req.today(for: nil), organisationName: tenant?.organisation.name)

    if let organisationID = user.organisationID, Policy.can(user.principal, .manageRegister) {
      // Counted by the database: the home page costs the same for a hundred people or ten thousand.
      var byType: [String: Int] = [:]
      if let sql = req.db as? any SQLDatabase {
        // One row per employment type: decoding a model per person would cost more than the whole page.
        for row in try await sql.select().column("employment_type").column(SQLFunction("count", args: SQLLiteral.all), as: "n")
          .from("people").where("organisation_id", .equal, organisationID).groupBy("employment_type").all()
        {
          byType[try row.decode(column: "employment_type", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
      }
      model.peopleByType = EmploymentType.allCases.compactMap { type in byType[type.rawValue].map { (type, $0) } }
      model.departmentCount = try await Department.query(in: organisationID, on: req.db).count()
      let leaving = try await PeopleIndex.query(
        PeopleIndex.Filter(status: .leaving), organisationID: organisationID, today: model.today, on: req.db
      ).with(\.$department).all()
      model.leavers = leaving
        .sorted { ($0.exitDay ?? .init(daysSinceEpoch: .max / 2)) < ($1.exitDay ?? .init(daysSinceEpoch: .max / 2)) }
        .compactMap { person in
          guard let id = person.id else { return nil }
          return Model.Leaver(
            personID: id, name: person.fullName, department: person.department?.name, employment: person.employment,
            noticeDate: person.noticeDay, exitDate: person.exitDay)
        }
      let statuses = try await User.query(in: organisationID, on: req.db).all(\.$status)
      model.activeAccounts = statuses.filter { $0 == User.Status.active.rawValue }.count
      model.invitedAccounts = statuses.filter { $0 == User.Status.invited.rawValue }.count
      let grants = try await AuditAccess.query(in: organisationID, on: req.db).with(\.$body).all()
      model.findings = try await loadFindings(organisationID: organisationID, today: model.today, on: req.db)
      model.auditGrants = grants.filter { $0.state(on: model.today) == .active }
        .map { ($0.body.name, CivilDate(iso: $0.endsOn)) }
    }

    if let personID = user.personID, let organisationID = user.organisationID {
      model.ownPerson = try await Person.query(in: organisationID, on: req.db).filter(\.$id == personID)
        .with(\.$department).first()
      model.ownDepartment = model.ownPerson?.department?.name
    }

    if let bodyID = user.bodyID, user.role == .auditor {
      model.audits = try await Audits.activeGrants(bodyID: bodyID, on: req.db, now: req.now).map {
        Model.Audit(accessID: $0.grant.id!, organisationName: $0.organisation.name, endsOn: CivilDate(iso: $0.grant.endsOn))
      }
    }

    if user.isOperator {
      model.operatorCounts = (
        try await Organisation.query(on: req.db).count(), try await CertificationBody.query(on: req.db).count(),
        try await User.query(on: req.db).count()
      )
    }
    return model
  }
}
