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
    var register = RegisterFigures()
    var peopleByType: [(EmploymentType, Int)] { register.peopleByType }
    var departmentCount: Int { register.departmentCount }
    var leavers: [Leaver] { register.leavers }
    var activeAccounts: Int { register.activeAccounts }
    var invitedAccounts: Int { register.invitedAccounts }
    var auditGrants: [(bodyName: String, endsOn: CivilDate?)] { register.auditGrants }
    var ownPerson: Person?
    var ownDepartment: String?
    var audits: [Audit] = []
    var operatorCounts: (organisations: Int, bodies: Int, users: Int)?
    /// The register's findings (Dashboard+Findings), for those who manage the register.
    var findings: [Finding]? { register.findings }
    /// The signed-in person's own to-dos (Dashboard+ToDo).
    var toDo = ToDo()

    var peopleTotal: Int { peopleByType.reduce(0) { $0 + $1.1 } }
  }

  static func load(_ req: Request) async throws -> Model {
    let user = try req.requireUser()
    let tenant = user.organisationID == nil ? nil : try await req.tenant()
    var model = Model(today: tenant?.today ?? req.today(for: nil), organisationName: tenant?.organisation.name)

    if let organisationID = user.organisationID, Policy.can(user.principal, .manageRegister) {
      let version = try await req.tenantVersion()
      let today = model.today
      model.register = try await req.mamori.homeFigures.value(for: organisationID, version: version) {
        var figures = try await loadRegister(organisationID: organisationID, today: today, on: req.db.sql())
        figures.findings = try await loadFindings(req, organisationID: organisationID, today: today)
        return figures
      }
    }

    if let personID = user.personID, let organisationID = user.organisationID {
      // The person's record and to-dos change only with the organisation's data (or the day), like the
      // figures above: kept per account, its person and role until the tenant version moves.
      let today = model.today
      let key = "\(user.id)|\(personID)|\(user.role?.rawValue ?? "-")"
      let own = try await req.mamori.ownHomes.value(for: key, version: try await req.tenantVersion()) {
        let person = try await Person.query(in: organisationID, on: req.db).filter(\.$id == personID)
          .with(\.$department).first()
        return Own(
          person: person, department: person?.department?.name,
          toDo: try await loadToDo(user: user, personID: personID, organisationID: organisationID, today: today, req: req))
      }
      model.ownPerson = own.person
      model.ownDepartment = own.department
      model.toDo = own.toDo
    }

    if let bodyID = user.bodyID, Policy.can(user.principal, .audit) {
      model.audits = try await Audits.activeGrants(bodyID: bodyID, on: req.db, now: req.now).map {
        Model.Audit(accessID: $0.grant.id!, organisationName: $0.organisation.name, endsOn: $0.grant.endsOn)
      }
    }

    // Platform figures belong to the operator's own home, not to an organisation's (the first
    // administrator is both; they find the figures on the platform's pages).
    if user.isOperator, user.organisationID == nil, user.bodyID == nil {
      model.operatorCounts = (
        try await Organisation.query(on: req.db).count(), try await CertificationBody.query(on: req.db).count(),
        try await User.query(on: req.db).count()
      )
    }
    return model
  }

  /// The signed-in person's own part of the home page: their record and their to-dos.
  struct Own: Sendable {
    var person: Person?
    var department: String?
    var toDo: ToDo
  }

  /// What an officer's home shows of the whole organisation: the same for every officer until the
  /// organisation's data changes, so kept by ``Request/tenantVersion()``.
  struct RegisterFigures: Sendable {
    var peopleByType: [(EmploymentType, Int)] = []
    var departmentCount = 0
    var leavers: [Model.Leaver] = []
    var activeAccounts = 0
    var invitedAccounts = 0
    var auditGrants: [(bodyName: String, endsOn: CivilDate?)] = []
    var findings: [Finding]?
  }

  /// The officer's figures in three statements decoded by column — counted by the database, so that the
  /// home page costs the same for a hundred people or ten thousand, and without a Fluent model per row.
  private static func loadRegister(organisationID: UUID, today: CivilDate, on sql: any SQLDatabase) async throws -> RegisterFigures {
    var model = RegisterFigures()
    var counts: [String: Int] = [:]
    for row in try await sql.raw("""
      SELECT 'type:' || employment_type AS k, count(*) AS n FROM people WHERE organisation_id = \(bind: organisationID)
        GROUP BY employment_type
      UNION ALL SELECT 'departments', count(*) FROM departments WHERE organisation_id = \(bind: organisationID)
      UNION ALL SELECT 'user:' || status, count(*) FROM users WHERE organisation_id = \(bind: organisationID) GROUP BY status
      """).all()
    {
      counts[try row.decode(column: "k", as: String.self)] = try row.decode(column: "n", as: Int.self)
    }
    model.peopleByType = EmploymentType.allCases.compactMap { type in counts["type:" + type.rawValue].map { (type, $0) } }
    model.departmentCount = counts["departments"] ?? 0
    model.activeAccounts = counts["user:" + User.Status.active.rawValue] ?? 0
    model.invitedAccounts = counts["user:" + User.Status.invited.rawValue] ?? 0

    let leaving = PeopleIndex.statusExpression(.leaving, today: today)
    model.leavers = try await sql.raw("""
      SELECT p.id, p.full_name, d.name AS department, p.employment_type, p.notice_date, p.exit_date
      FROM people p LEFT JOIN departments d ON d.id = p.department_id
      WHERE p.organisation_id = \(bind: organisationID) AND \(leaving)
      """).all().map { row in
      Model.Leaver(
        personID: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "full_name", as: String.self),
        department: try row.decode(column: "department", as: String?.self),
        employment: EmploymentType(rawValue: try row.decode(column: "employment_type", as: String.self)) ?? .other,
        noticeDate: try row.decode(column: "notice_date", as: String?.self).flatMap(CivilDate.init(iso:)),
        exitDate: try row.decode(column: "exit_date", as: String?.self).flatMap(CivilDate.init(iso:)))
    }
    .sorted { ($0.exitDate ?? .init(daysSinceEpoch: .max / 2)) < ($1.exitDate ?? .init(daysSinceEpoch: .max / 2)) }

    // In force today: the SQL form of ``AuditAccess/state(on:)`` == .active (days are ISO text).
    model.auditGrants = try await sql.raw("""
      SELECT b.name, a.ends_on FROM audit_accesses a JOIN certification_bodies b ON b.id = a.body_id
      WHERE a.organisation_id = \(bind: organisationID) AND a.revoked_at IS NULL
        AND a.starts_on <= \(bind: today.iso) AND a.ends_on >= \(bind: today.iso)
      ORDER BY a.ends_on
      """).all().map { row in
      (bodyName: try row.decode(column: "name", as: String.self),
       endsOn: CivilDate(iso: try row.decode(column: "ends_on", as: String.self)))
    }
    return model
  }
}
