import Fluent
import Foundation
import MamoriCore
import Vapor

enum Organisations {
  static let defaultTimeZone = TimeZone(identifier: "Asia/Tokyo") ?? TimeZone(secondsFromGMT: 9 * 3600)!

  static func timeZone(_ organisation: Organisation?) -> TimeZone {
    organisation.flatMap { TimeZone(identifier: $0.timeZone) } ?? defaultTimeZone
  }

  /// "Today" as the organisation sees it: leaver status, audit periods and due dates turn over at local
  /// midnight, not at UTC midnight.
  static func today(_ organisation: Organisation?, now: Date) -> CivilDate {
    CivilDate(now, in: timeZone(organisation))
  }

  /// The time zones an organisation may choose.
  static let timeZones = ["Asia/Tokyo", "UTC", "Asia/Shanghai", "Asia/Singapore", "Asia/Bangkok", "America/Los_Angeles", "Europe/London"]
  static let name = TextRule(field: "name", maximum: 200)
  static let nameEnglish = TextRule(field: "name_en", maximum: 200, required: false)
  static let industry = TextRule(field: "industry", maximum: 200, required: false)

  /// A change to the organisation's profile; nil leaves a field as it is (the API's PATCH), the page
  /// sends every field.
  struct Changes: Sendable {
    var name: String?
    var nameEnglish: String?
    var industry: String?
    var capitalYen: Int??
    var employeeCount: Int??
    var timeZone: String?
    /// The `key-person` finding's share of a group's assets, in percent.
    var keyPersonPercent: Int?
  }

  /// Updates the profile: the same trimming, limits and audit entry for the page and the API.
  static func update(_ organisation: Organisation, _ changes: Changes, actor: AuditActor, now: Date, on database: any Database)
    async throws
  {
    func trimmed(_ text: String?) -> String? { text?.trimmingCharacters(in: .whitespacesAndNewlines) }
    let name = trimmed(changes.name)
    let nameEnglish = trimmed(changes.nameEnglish)
    let industry = trimmed(changes.industry)
    var issues: [ValidationIssue] = []
    if let name, let issue = Self.name.check(name) { issues.append(issue) }
    if let nameEnglish, let issue = Self.nameEnglish.check(nameEnglish) { issues.append(issue) }
    if let industry, let issue = Self.industry.check(industry) { issues.append(issue) }
    if case .some(.some(let capital)) = changes.capitalYen, capital < 0 {
      issues.append(ValidationIssue(field: "capital_yen", key: "validation.number"))
    }
    if case .some(.some(let employees)) = changes.employeeCount, employees < 0 {
      issues.append(ValidationIssue(field: "employee_count", key: "validation.number"))
    }
    if let percent = changes.keyPersonPercent, !Findings.keyPersonPercentRange.contains(percent) {
      issues.append(
        ValidationIssue(
          field: "key_person_percent", key: "validation.range",
          arguments: ["min": "\(Findings.keyPersonPercentRange.lowerBound)", "max": "\(Findings.keyPersonPercentRange.upperBound)"]))
    }
    if let zone = changes.timeZone, !timeZones.contains(zone) {
      issues.append(ValidationIssue(field: "time_zone", key: "validation.choice"))
    }
    guard issues.isEmpty else { throw ValidationFailure(issues: issues) }
    let before = AuditChain.json(organisation)
    if let name { organisation.name = name }
    if let nameEnglish { organisation.nameEnglish = nameEnglish }
    if let industry { organisation.industry = industry }
    if let capital = changes.capitalYen { organisation.capitalYen = capital }
    if let employees = changes.employeeCount { organisation.employeeCount = employees }
    if let zone = changes.timeZone { organisation.timeZone = zone }
    if let percent = changes.keyPersonPercent { organisation.keyPersonPercent = percent }
    let after = AuditChain.json(organisation)
    guard before != after else { return }
    try await database.transaction { database in
      try await organisation.save(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(try organisation.requireID()), action: "organisation.update", recordType: "organisation",
          recordID: try organisation.requireID().uuidString.lowercased(), before: before, after: after),
        by: actor, now: now, on: database)
    }
  }
}

/// A record that belongs to exactly one organisation. Every read and write of such records goes
/// through ``query(in:on:)``, so that no handler can forget the tenant filter.
protocol OrganisationScoped: Model where IDValue == UUID {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<Self>
}

extension Department: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<Department> {
    Department.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}

extension OrganisationCatalog: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<OrganisationCatalog> {
    OrganisationCatalog.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}

extension AssessmentAnswer: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<AssessmentAnswer> {
    AssessmentAnswer.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}

extension AssessmentEvidence: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<AssessmentEvidence> {
    AssessmentEvidence.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}

extension Person: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<Person> {
    Person.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}

extension AuditAccess: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<AuditAccess> {
    AuditAccess.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}

extension User: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<User> {
    User.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}

/// The tenant of a request, resolved once: the organisation, its time zone and its today. Handlers,
/// the page chrome and the use cases all read this one value instead of loading the organisation again.
struct TenantContext: Sendable {
  let organisation: Organisation
  let organisationID: UUID
  let timeZone: TimeZone
  let today: CivilDate
}

extension Request {
  private struct TenantKey: StorageKey { typealias Value = TenantContext }

  /// The signed-in user's organisation as a context, loaded on first use and kept for the request;
  /// 404 for users of a body or operators without one.
  func tenant() async throws -> TenantContext {
    let id = try requireOrganisationID()
    if let cached = storage[TenantKey.self], cached.organisationID == id { return cached }
    guard let organisation = try await Organisation.find(id, on: db) else { throw Abort(.notFound) }
    adoptTenant(organisation)
    guard let context = storage[TenantKey.self] else { throw Abort(.notFound) }
    return context
  }

  /// Keeps an organisation already loaded with the session as this request's tenant, so that pages do
  /// not look it up again.
  ///
  /// `chainTail` is the organisation's audit-chain tail read by the same statement (see
  /// ``TenantVersion/tail(seq:hash:)``): the pages that key caches by the tenant version then need no
  /// second query.
  func adoptTenant(_ organisation: Organisation, chainTail: String? = nil) {
    guard let id = organisation.id else { return }
    let context = TenantContext(
      organisation: organisation, organisationID: id, timeZone: Organisations.timeZone(organisation),
      today: Organisations.today(organisation, now: now))
    storage[TenantKey.self] = context
    if let chainTail { storage[TenantVersionKey.self] = TenantVersion.version(today: context.today, tail: chainTail) }
  }

  private struct TenantVersionKey: StorageKey { typealias Value = String }

  /// The tenant's data version (``TenantVersion``), read once per request: the key of the caches of
  /// values computed from the whole organisation (findings, the home page's figures).
  func tenantVersion() async throws -> String {
    if let version = storage[TenantVersionKey.self] { return version }
    let tenant = try await tenant()
    let version = try await TenantVersion.read(organisationID: tenant.organisationID, today: tenant.today, on: db)
    storage[TenantVersionKey.self] = version
    return version
  }

  /// The signed-in user's organisation; 404 for users of a body or operators without one.
  func requireOrganisation() async throws -> Organisation {
    try await tenant().organisation
  }

  /// The record named by the route parameter, if it belongs to the signed-in user's organisation; 404
  /// (never 403) otherwise, so that another tenant's ids cannot even be confirmed to exist.
  func find<M: OrganisationScoped>(_ type: M.Type, _ parameter: String) async throws -> M {
    guard let id = parameters.get(parameter, as: UUID.self) else { throw Abort(.notFound) }
    guard let record = try await M.query(in: try requireOrganisationID(), on: db).filter(\._$id == id).first() else {
      throw Abort(.notFound)
    }
    return record
  }

  /// The organisation's "today".
  func today(for organisation: Organisation?) -> CivilDate {
    Organisations.today(organisation, now: now)
  }
}
