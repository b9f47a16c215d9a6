import Fluent
import Foundation
import MamoriCore
import Vapor

/// Fills a fresh demo database with the fictional company of ``DemoCompany``.
public enum DemoSeeder {
  public struct Login: Sendable {
    public var email: String
    public var password: String
    /// `admin`, `officer`, `member`, `auditor` or `operator`.
    public var role: String
  }

  /// Seeds the demo and returns the accounts with their passwords. Passwords are random at every start:
  /// a demo left running on a network is then no easier to enter than a real instance.
  public static func seed(on application: Application) async throws -> [Login] {
    let context = application.mamori
    let now = context.clock.now()
    let today = CivilDate(now, in: Organisations.defaultTimeZone)
    let company = DemoCompany.make(today: today, scale: context.settings.demoScale)
    let database = application.db

    var logins: [Login] = []
    var hashes: [String: String] = [:]
    for account in company.accounts {
      let password = demoPassword()
      hashes[account.email] = try await Passwords.hash(password, on: application)
      logins.append(Login(email: account.email, password: password, role: account.role?.rawValue ?? "operator"))
    }

    let passwordHashes = hashes
    try await database.transaction { database in
      let organisation = Organisation(
        slug: company.organisationSlug, name: company.organisationName, nameEnglish: company.organisationNameEnglish,
        industry: company.industry, capitalYen: company.capitalYen, employeeCount: company.people.count, isDemo: true)
      try await organisation.create(on: database)
      let organisationID = try organisation.requireID()

      var departmentIDs: [String: UUID] = [:]
      for plan in company.departments {
        let department = Department(organisationID: organisationID, code: plan.code, name: plan.name)
        try await department.create(on: database)
        departmentIDs[plan.code] = try department.requireID()
      }

      var personIDs: [String: UUID] = [:]
      for entry in company.people {
        let person = Person(
          organisationID: organisationID, departmentID: departmentIDs[entry.departmentCode], code: entry.code,
          loginName: entry.loginName, familyName: entry.familyName, givenName: entry.givenName,
          fullName: entry.displayName, email: entry.email, employmentType: entry.employmentType,
          jobTitle: entry.jobTitle, hireDate: entry.hireDate, noticeDate: entry.noticeDate, exitDate: entry.exitDate,
          leavingDate: entry.leavingDate)
        try await person.create(on: database)
        personIDs[entry.code] = try person.requireID()
      }

      let body = CertificationBody(
        slug: company.bodySlug, name: company.bodyName, scope: company.bodyScope, contact: "03-0000-0000（デモ）")
      try await body.create(on: database)
      let bodyID = try body.requireID()

      var adminID: UUID?
      var officerID: UUID?
      for account in company.accounts {
        let user = User(
          email: account.email, displayName: account.displayName, role: account.role,
          organisationID: account.atBody || account.role == nil ? nil : organisationID,
          bodyID: account.atBody ? bodyID : nil, isOperator: account.isOperator, status: .active,
          passwordHash: passwordHashes[account.email], personID: account.personCode.flatMap { personIDs[$0] })
        user.passwordChangedAt = now
        try await user.create(on: database)
        if account.role == .admin { adminID = user.id }
        if account.role == .officer, account.personCode != nil || officerID == nil { officerID = user.id }
      }

      // Self-checks: two completed months apart, and one in progress.
      if let tics = context.checklists.first(where: { $0.id == "tics-selfcheck-mamori" }) {
        // Actions as the rounds would have left them: a △ or × raises one, a later ○ closes it.
        var active: [String: AssessmentAction] = [:]
        for plan in DemoAssessments.plans(for: tics, today: today) {
          let assessment = Assessment(
            organisationID: organisationID, catalogID: tics.id, catalogVersion: tics.version, title: plan.title,
            startedOn: plan.startedOn, startedBy: officerID)
          try await assessment.create(on: database)
          let assessmentID = try assessment.requireID()
          for entry in plan.answers {
            let answer = AssessmentAnswer(assessmentID: assessmentID, organisationID: organisationID, itemID: entry.itemID)
            answer.answer = entry.answerID
            answer.note = entry.note
            answer.owner = entry.owner
            answer.dueOn = entry.due
            answer.$updatedBy.id = officerID
            try await answer.create(on: database)
            if Assessments.needsAction(entry.answerID, tics) {
              if let open = active[entry.itemID] {
                // A later round's owner and due date are the action's current ones.
                open.owner = entry.owner
                open.dueOn = entry.due
                try await open.save(on: database)
                continue
              }
              let action = AssessmentAction(
                organisationID: organisationID, assessmentID: assessmentID, catalogID: tics.id, itemID: entry.itemID,
                owner: entry.owner, dueOn: entry.due)
              action.$updatedBy.id = officerID
              try await action.create(on: database)
              active[entry.itemID] = action
            } else if let action = active.removeValue(forKey: entry.itemID) {
              action.status = .done
              try await action.save(on: database)
            }
          }
          if let completed = plan.completedOn {
            assessment.status = .complete
            // Noon in Tokyo of the day it was completed.
            assessment.completedAt = Date(timeIntervalSince1970: Double(completed.daysSinceEpoch) * 86_400 + 3 * 3600)
            assessment.$completedBy.id = officerID
            try await assessment.save(on: database)
          }
        }
        // Some of the open ones are being worked on.
        for (index, action) in active.values.sorted(by: { $0.itemID < $1.itemID }).enumerated() where index % 3 == 0 {
          action.status = .inProgress
          action.note = "対応中（デモ）"
          try await action.save(on: database)
        }
      }

      // The body is mid-way through an audit, so the auditor account has something to see.
      let grant = AuditAccess(
        organisationID: organisationID, bodyID: bodyID, grantedByID: adminID, startsOn: today.adding(days: -7),
        endsOn: today.adding(days: 53), purpose: "初回審査（デモ）")
      try await grant.create(on: database)
      let registerIDs = try await seedRegister(
        company: company, organisationID: organisationID, personIDs: personIDs, grantedBy: adminID, today: today,
        scale: context.settings.demoScale, on: database)
      let reviewIDs = try await seedReviews(organisationID: organisationID, officerID: officerID, today: today, on: database)
      try await seedPledgesAndLeavers(
        company: company, organisationID: organisationID, personIDs: personIDs, officerID: officerID, today: today, on: database)

      // An audit trail as the register's import and the grant would have left it, sealed in memory and
      // inserted in order (the chain is new, so nobody else appends meanwhile).
      let adminEmail = company.accounts.first { $0.role == .admin }?.email ?? "system"
      let chain = AuditEvent.chain(organisationID)
      var last: AuditRecord?
      var millis = Int64((now.timeIntervalSince1970 - 30 * 86_400) * 1000)
      func record(_ action: String, _ type: String, _ id: UUID?, _ after: String) async throws {
        millis += 60_000
        let sealed = AuditChain.seal(
          AuditRecord(
            chain: chain, seq: 0, atMillis: millis, actor: adminEmail, actorID: adminID?.uuidString.lowercased(),
            clientAddress: "192.0.2.10", action: action, recordType: type, recordID: id?.uuidString.lowercased() ?? "",
            before: nil, after: after, prevHash: ""),
          after: last)
        try await AuditEntry(sealed).create(on: database)
        last = sealed
      }
      for plan in company.departments {
        try await record("department.create", "department", departmentIDs[plan.code], AuditChain.json(["code": plan.code, "name": plan.name]))
      }
      for entry in company.people {
        try await record(
          "person.create", "person", personIDs[entry.code],
          AuditChain.json(["code": entry.code, "login_name": entry.loginName, "full_name": entry.displayName]))
      }
      try await record("audit_access.grant", "audit_access", grant.id, AuditChain.json(["purpose": grant.purpose]))
      for (code, id) in registerIDs.assets.sorted(by: { $0.key < $1.key }) {
        try await record("asset.create", "asset", id, AuditChain.json(["code": code]))
      }
      for id in registerIDs.grants {
        try await record("grant.create", "grant", id, AuditChain.json(["demo": "true"]))
      }
      for id in reviewIDs { try await record("access_review.open", "access_review", id, AuditChain.json(["demo": "true"])) }
      // Training appends through the audit trail itself, after the entries sealed here.
      try await seedTraining(
        company: company, courses: context.courses, organisationID: organisationID, personIDs: personIDs, assignedBy: adminID,
        today: today, now: now, on: database)
      try await seedPledgeRequests(
        organisationID: organisationID, officerID: officerID, catalog: context.catalog, today: today, now: now, on: database)
    }
    return logins
  }

  /// The register of information to protect (``DemoRegister``): handling rules, assets and grants.
  static func seedRegister(
    company: DemoCompany, organisationID: UUID, personIDs: [String: UUID], grantedBy: UUID?, today: CivilDate, scale: Int,
    on database: any Database
  ) async throws -> (assets: [String: UUID], grants: [UUID]) {
    let register = DemoRegister.make(company: company, today: today, scale: scale)
    for plan in register.rules {
      let rule = HandlingRule()
      rule.$organisation.id = organisationID
      rule.level = plan.level
      rule.marking = plan.marking
      rule.copying = plan.copying
      rule.printing = plan.printing
      rule.takingOut = plan.takingOut
      rule.sending = plan.sending
      rule.storage = plan.storage
      rule.disposal = plan.disposal
      try await rule.create(on: database)
    }
    var assetIDs: [String: UUID] = [:]
    let assets = register.assets.map { plan -> Asset in
      let asset = Asset()
      asset.id = UUID.random()
      asset.$organisation.id = organisationID
      asset.$owner.id = plan.ownerCode.flatMap { personIDs[$0] }
      asset.code = plan.code
      asset.name = plan.name
      asset.details = plan.description
      asset.form = plan.form
      asset.location = plan.location
      asset.level = plan.level
      asset.group = plan.group
      asset.retention = plan.retention
      asset.disposal = plan.disposal
      asset.isCore = plan.isCore
      asset.coreSource = plan.coreSource
      asset.coreSuperiority = plan.coreSuperiority
      asset.coreExistence = plan.coreExistence
      asset.designatedTechnology = plan.designatedTechnology
      assetIDs[plan.code] = asset.id
      return asset
    }
    // In slices: one statement per asset would make a 10× demo start slowly, one for all may exceed
    // the databases' limits on bound values.
    for start in stride(from: 0, to: assets.count, by: 200) {
      try await Array(assets[start..<min(start + 200, assets.count)]).create(on: database)
    }
    let grants = register.grants.compactMap { plan -> Grant? in
      guard let personID = personIDs[plan.personCode], let assetID = assetIDs[plan.assetCode] else { return nil }
      let grant = Grant()
      grant.id = UUID.random()
      grant.$organisation.id = organisationID
      grant.$person.id = personID
      grant.$asset.id = assetID
      grant.$grantedBy.id = grantedBy
      grant.reason = plan.reason
      grant.grantedOn = plan.grantedOn
      grant.expiresOn = plan.expiresOn
      return grant
    }
    for start in stride(from: 0, to: grants.count, by: 200) {
      try await Array(grants[start..<min(start + 200, grants.count)]).create(on: database)
    }
    return (assetIDs, grants.compactMap(\.id))
  }

  /// Four groups of four letters and digits, without look-alikes (0/O, 1/l/I).
  static func demoPassword() -> String {
    let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
    var generator = SystemRandomNumberGenerator()
    return (0..<4).map { _ in String((0..<4).map { _ in alphabet.randomElement(using: &generator)! }) }
      .joined(separator: "-")
  }
}
