import Fluent
import Foundation
import MamoriCore
import SQLKit
import Vapor

/// The register of information to protect: assets, their handling rules and the grants to them, for
/// pages and the command line alike. Each operation validates, writes in one transaction and appends
/// its audit entry in it.
enum AssetRegister {
  static func saveAsset(
    _ draft: AssetDraft, ownerID: UUID?, into existing: Asset?, organisationID: UUID, actor: AuditActor, now: Date,
    on database: any Database
  ) async throws -> Asset {
    let draft = draft.normalised
    var issues = draft.validate()
    if !issues.contains(where: { $0.field == "code" }) {
      var query = Asset.query(in: organisationID, on: database).filter(\.$code == draft.code)
      if let id = existing?.id { query = query.filter(\.$id != id) }
      if try await query.first() != nil { issues.append(ValidationIssue(field: "code", key: "validation.taken")) }
    }
    if let ownerID, try await Person.query(in: organisationID, on: database).filter(\.$id == ownerID).first() == nil {
      issues.append(ValidationIssue(field: "owner_id", key: "validation.choice"))
    }
    guard issues.isEmpty, let form = draft.assetForm, let level = draft.assetLevel else { throw ValidationFailure(issues: issues) }
    let before = existing.map { AuditChain.json($0) }
    let asset = existing ?? Asset()
    asset.$organisation.id = organisationID
    asset.$owner.id = ownerID
    asset.code = draft.code
    asset.name = draft.name
    asset.details = draft.description
    asset.form = form
    asset.location = draft.location
    asset.level = level
    asset.group = draft.group
    asset.retention = draft.retention
    asset.disposal = draft.disposal
    asset.isCore = draft.isCore
    asset.coreSource = draft.coreSource
    asset.coreSuperiority = draft.coreSuperiority
    asset.coreExistence = draft.coreExistence
    asset.designatedTechnology = DesignatedTechnology(rawValue: draft.designatedTechnology)
    try await database.transaction { database in
      try await asset.save(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(organisationID), action: existing == nil ? "asset.create" : "asset.update",
          recordType: "asset", recordID: try asset.requireID().uuidString.lowercased(), before: before,
          after: AuditChain.json(asset)),
        by: actor, now: now, on: database)
    }
    return asset
  }

  /// Removes an asset entered by mistake, with its grants; the audit entry keeps what it was.
  static func deleteAsset(_ asset: Asset, actor: AuditActor, now: Date, on database: any Database) async throws {
    let before = AuditChain.json(asset)
    try await database.transaction { database in
      try await Grant.query(in: asset.$organisation.id, on: database).filter(\.$asset.$id == asset.requireID()).delete()
      try await asset.delete(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(asset.$organisation.id), action: "asset.delete", recordType: "asset",
          recordID: try asset.requireID().uuidString.lowercased(), before: before),
        by: actor, now: now, on: database)
    }
  }

  /// Grants `personID` access to `asset`. A person who already holds a valid grant to the asset gets an
  /// error rather than a second row; a person past their last working day gets none at all.
  static func grant(
    _ draft: GrantDraft, personID: UUID?, to asset: Asset, grantedBy: UUID?, organisationID: UUID, today: CivilDate,
    actor: AuditActor, now: Date, on database: any Database
  ) async throws -> Grant {
    let draft = draft.normalised
    var issues = draft.validate()
    let assetID = try asset.requireID()
    var person: Person?
    if let personID { person = try await Person.query(in: organisationID, on: database).filter(\.$id == personID).first() }
    if let person {
      if let exit = person.exitDate, exit < today {
        issues.append(ValidationIssue(field: "person_id", key: "validation.grant_to_leaver"))
      } else {
        let held = try await Grant.query(in: organisationID, on: database).filter(\.$person.$id == person.requireID())
          .filter(\.$asset.$id == assetID).filter(\.$revokedOn == nil).all()
        if held.contains(where: { !$0.isExpired(on: today) }) {
          issues.append(ValidationIssue(field: "person_id", key: "validation.grant_held"))
        }
      }
    } else {
      issues.append(ValidationIssue(field: "person_id", key: "validation.choice"))
    }
    guard issues.isEmpty, let person, let grantedOn = draft.grantedDay else { throw ValidationFailure(issues: issues) }
    let grant = Grant()
    grant.$organisation.id = organisationID
    grant.$person.id = try person.requireID()
    grant.$asset.id = assetID
    grant.$grantedBy.id = grantedBy
    grant.reason = draft.reason
    grant.grantedOn = grantedOn
    grant.expiresOn = draft.expiresDay
    try await database.transaction { database in
      try await grant.create(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(organisationID), action: "grant.create", recordType: "grant",
          recordID: try grant.requireID().uuidString.lowercased(), after: AuditChain.json(grant)),
        by: actor, now: now, on: database)
    }
    return grant
  }

  /// Ends a grant today; revoking twice changes nothing.
  static func revoke(_ grant: Grant, by userID: UUID?, today: CivilDate, actor: AuditActor, now: Date, on database: any Database)
    async throws
  {
    guard grant.revokedOn == nil else { return }
    let before = AuditChain.json(grant)
    grant.revokedOn = today
    grant.$revokedBy.id = userID
    try await database.transaction { database in
      try await grant.save(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(grant.$organisation.id), action: "grant.revoke", recordType: "grant",
          recordID: try grant.requireID().uuidString.lowercased(), before: before, after: AuditChain.json(grant)),
        by: actor, now: now, on: database)
    }
  }

  /// The texts of one level's handling rule.
  struct RuleText: Sendable, Equatable {
    static let maximum = 1000
    static let fields = ["marking", "copying", "printing", "taking_out", "sending", "storage", "disposal"]
    var values: [String: String]
  }

  static func saveHandlingRule(
    level: AssetLevel, _ text: RuleText, organisationID: UUID, actor: AuditActor, now: Date, on database: any Database
  ) async throws -> HandlingRule {
    var issues: [ValidationIssue] = []
    var clean: [String: String] = [:]
    for field in RuleText.fields {
      let value = (text.values[field] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
      if value.count > RuleText.maximum {
        issues.append(ValidationIssue(field: field, key: "validation.too_long", arguments: ["max": "\(RuleText.maximum)"]))
      }
      clean[field] = value
    }
    guard issues.isEmpty else { throw ValidationFailure(issues: issues) }
    let existing = try await HandlingRule.query(in: organisationID, on: database).filter(\.$level == level).first()
    let before = existing.map { AuditChain.json($0) }
    let rule = existing ?? HandlingRule()
    rule.$organisation.id = organisationID
    rule.level = level
    rule.marking = clean["marking"] ?? ""
    rule.copying = clean["copying"] ?? ""
    rule.printing = clean["printing"] ?? ""
    rule.takingOut = clean["taking_out"] ?? ""
    rule.sending = clean["sending"] ?? ""
    rule.storage = clean["storage"] ?? ""
    rule.disposal = clean["disposal"] ?? ""
    let after = AuditChain.json(rule)
    guard before != after else { return rule }
    try await database.transaction { database in
      try await rule.save(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(organisationID), action: "handling_rule.update", recordType: "handling_rule",
          recordID: try rule.requireID().uuidString.lowercased(), before: before, after: AuditChain.json(rule)),
        by: actor, now: now, on: database)
    }
    return rule
  }

  /// The register's findings with the records they name, for links.
  struct FindingsReport: Sendable {
    var findings: [Finding]
    /// login name → (id, full name)
    var people: [String: (id: UUID, name: String)]
    /// asset id → (id, name)
    var assets: [String: (id: UUID, name: String)]
  }

  /// The register's people, assets and unrevoked grants as plain columns, in three queries whatever
  /// the register's size: what the findings and detection (`mamori detect --org`) read. Rows are read
  /// as columns, not as models: decoding thousands of grants into Fluent models cost more than
  /// computing the findings.
  struct Rows: Sendable {
    struct Person: Sendable {
      var id: UUID
      var loginName: String
      var fullName: String
      var employment: EmploymentType
      var noticeDate: CivilDate?
      /// The last working day (最終出社日).
      var exitDate: CivilDate?
      var isKeyPerson: Bool
      var hireDate: CivilDate? = nil
    }

    struct Asset: Sendable {
      var id: UUID
      var code: String
      var name: String
      var location: String
      var level: AssetLevel
      var group: String
      var ownerID: UUID?
    }

    struct Grant: Sendable {
      var personID: UUID
      var assetID: UUID
      var expiresOn: CivilDate?
    }

    var people: [Person] = []
    var assets: [Asset] = []
    /// Unrevoked grants, expired ones included.
    var grants: [Grant] = []
  }

  static func rows(organisationID: UUID, on database: any Database) async throws -> Rows {
    let sql = try database.sql()
    var rows = Rows()
    for row in try await sql.select()
      .columns("id", "login_name", "full_name", "employment_type", "notice_date", "exit_date", "key_person", "hire_date")
      .from("people").where("organisation_id", .equal, organisationID).all()
    {
      rows.people.append(
        Rows.Person(
          id: try row.decode(column: "id", as: UUID.self), loginName: try row.decode(column: "login_name", as: String.self),
          fullName: try row.decode(column: "full_name", as: String.self),
          employment: EmploymentType(rawValue: try row.decode(column: "employment_type", as: String.self)) ?? .other,
          noticeDate: try row.decode(column: "notice_date", as: String?.self).flatMap { CivilDate(iso: $0) },
          exitDate: try row.decode(column: "exit_date", as: String?.self).flatMap { CivilDate(iso: $0) },
          isKeyPerson: try row.decode(column: "key_person", as: Bool.self),
          hireDate: try row.decode(column: "hire_date", as: String?.self).flatMap { CivilDate(iso: $0) }))
    }
    for row in try await sql.select().columns("id", "code", "name", "location", "level", "asset_group", "owner_id")
      .from("assets").where("organisation_id", .equal, organisationID).all()
    {
      rows.assets.append(
        Rows.Asset(
          id: try row.decode(column: "id", as: UUID.self), code: try row.decode(column: "code", as: String.self),
          name: try row.decode(column: "name", as: String.self), location: try row.decode(column: "location", as: String.self),
          level: AssetLevel(rawValue: try row.decode(column: "level", as: String.self)) ?? .secret,
          group: try row.decode(column: "asset_group", as: String.self), ownerID: try row.decode(column: "owner_id", as: UUID?.self)))
    }
    for row in try await sql.select().columns("person_id", "asset_id", "expires_on").from("grants")
      .where("organisation_id", .equal, organisationID).where("revoked_on", .is, SQLLiteral.null).all()
    {
      rows.grants.append(
        Rows.Grant(
          personID: try row.decode(column: "person_id", as: UUID.self), assetID: try row.decode(column: "asset_id", as: UUID.self),
          expiresOn: try row.decode(column: "expires_on", as: String?.self).flatMap { CivilDate(iso: $0) }))
    }
    return rows
  }

  /// The register's findings on `today`.
  static func findings(organisationID: UUID, today: CivilDate, on database: any Database) async throws -> FindingsReport {
    let organisation = try await Organisation.find(organisationID, on: database)
    let rows = try await AssetRegister.rows(organisationID: organisationID, on: database)
    var loginByID: [UUID: String] = [:]
    var peopleByLogin: [String: (id: UUID, name: String)] = [:]
    var people: [RegisterSnapshot.Person] = []
    for person in rows.people {
      loginByID[person.id] = person.loginName
      peopleByLogin[person.loginName] = (person.id, person.fullName)
      people.append(
        RegisterSnapshot.Person(
          loginName: person.loginName, employment: person.employment, lastWorkingDay: person.exitDate,
          isKeyPerson: person.isKeyPerson, hireDate: person.hireDate))
    }
    var codeByID: [UUID: String] = [:]
    var assetsByCode: [String: (id: UUID, name: String)] = [:]
    var assets: [RegisterSnapshot.Asset] = []
    for asset in rows.assets {
      codeByID[asset.id] = asset.code
      assetsByCode[asset.code] = (asset.id, asset.name)
      assets.append(
        RegisterSnapshot.Asset(code: asset.code, level: asset.level, group: asset.group, owner: asset.ownerID.flatMap { loginByID[$0] }))
    }
    let grants = rows.grants.compactMap { grant -> RegisterSnapshot.Grant? in
      guard let login = loginByID[grant.personID], let code = codeByID[grant.assetID] else { return nil }
      return RegisterSnapshot.Grant(loginName: login, assetCode: code, expiresOn: grant.expiresOn)
    }
    let pledges = try await Pledges.rows(organisationID: organisationID, on: database).compactMap { pledge -> RegisterSnapshot.Pledge? in
      guard let login = loginByID[pledge.personID] else { return nil }
      return RegisterSnapshot.Pledge(loginName: login, kind: pledge.kind, signedOn: pledge.signedOn)
    }
    let findings = Findings.compute(
      people: people, assets: assets, grants: grants, today: today,
      keyPersonPercent: organisation?.keyPersonPercent ?? Findings.defaultKeyPersonPercent,
      trainingOverdue: try await Training.overdue(organisationID: organisationID, today: today, on: database),
      reviews: try await AccessReviews.findingRows(organisationID: organisationID, on: database), pledges: pledges)
    return FindingsReport(findings: findings, people: peopleByLogin, assets: assetsByCode)
  }

  /// What `mamori detect --org` reads: the same people (login name as `user_id`, the last working day as
  /// `exit_date`), assets and grants (unrevoked, expired ones included) as `mamori export` writes, so
  /// that detection on the database and on the exported CSV files gives the same alerts.
  static func detectionRegister(organisationID: UUID, on database: any Database) async throws -> DetectionRegister {
    let rows = try await AssetRegister.rows(organisationID: organisationID, on: database)
    let loginByID = Dictionary(rows.people.map { ($0.id, $0.loginName) }, uniquingKeysWith: { first, _ in first })
    let codeByID = Dictionary(rows.assets.map { ($0.id, $0.code) }, uniquingKeysWith: { first, _ in first })
    return DetectionRegister(
      people: rows.people.map { DetectionRegister.Person(userID: $0.loginName, exitDate: $0.exitDate, noticeDate: $0.noticeDate) },
      assets: rows.assets.map { DetectionRegister.Asset(assetID: $0.code, location: $0.location, level: $0.level) },
      grants: rows.grants.compactMap { grant in
        guard let login = loginByID[grant.personID], let code = codeByID[grant.assetID] else { return nil }
        return DetectionRegister.Grant(userID: login, assetID: code)
      })
  }
}

extension Asset: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<Asset> {
    Asset.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}

extension Grant: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<Grant> {
    Grant.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}

extension HandlingRule: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<HandlingRule> {
    HandlingRule.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}
