import Fluent
import SQLKit
import Foundation
import MamoriCore
import Vapor

/// Saving people and departments, for the pages and the JSON API alike: validation, uniqueness inside
/// the organisation, and departments that must belong to the same organisation.
enum Register {
  static func savePerson(
    _ draft: PersonDraft, departmentID: UUID?, into existing: Person?, organisationID: UUID, actor: AuditActor, now: Date,
    on database: any Database
  ) async throws -> Person {
    let draft = draft.normalised
    var issues = draft.validate()
    func taken(_ field: String, _ filter: (QueryBuilder<Person>) -> QueryBuilder<Person>) async throws {
      var query = filter(Person.query(in: organisationID, on: database))
      if let id = existing?.id { query = query.filter(\.$id != id) }
      if try await query.first() != nil, !issues.contains(where: { $0.field == field }) {
        issues.append(ValidationIssue(field: field, key: "validation.taken"))
      }
    }
    try await taken("code") { $0.filter(\.$code == draft.code) }
    try await taken("login_name") { $0.filter(\.$loginName == draft.loginName) }
    if let departmentID, try await Department.query(in: organisationID, on: database).filter(\.$id == departmentID).first() == nil {
      issues.append(ValidationIssue(field: "department_id", key: "validation.choice"))
    }
    guard issues.isEmpty, let employment = draft.employment, let language = draft.language else {
      throw ValidationFailure(issues: issues)
    }
    let before = existing.map { AuditChain.json($0) }
    let hadDates = Leavers.hasDates(existing)
    let person = existing ?? Person()
    person.$organisation.id = organisationID
    person.$department.id = departmentID
    person.code = draft.code
    person.loginName = draft.loginName
    person.familyName = draft.familyName
    person.givenName = draft.givenName
    person.fullName = draft.fullName
    person.email = draft.email.isEmpty ? nil : draft.email
    person.employmentType = employment
    person.jobTitle = draft.jobTitle
    person.hireDate = draft.hireDay
    person.noticeDate = draft.noticeDay
    person.exitDate = draft.exitDay
    person.leavingDate = draft.leavingDay
    person.trainingLanguage = language
    person.isKeyPerson = draft.isKeyPerson
    person.notes = draft.notes
    try await database.transaction { database in
      try await person.save(on: database)
      try await Leavers.sync(person: person, hadDates: hadDates, actor: actor, now: now, on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(organisationID), action: existing == nil ? "person.create" : "person.update",
          recordType: "person", recordID: try person.requireID().uuidString.lowercased(), before: before,
          after: AuditChain.json(person)),
        by: actor, now: now, on: database)
    }
    return person
  }

  /// Removes a person; their pledges and leaver checklist go with them (cascade), and the pledges'
  /// scanned files are removed from `files` after the commit.
  static func deletePerson(_ person: Person, actor: AuditActor, now: Date, files: (any FileStore)? = nil, on database: any Database)
    async throws
  {
    let before = AuditChain.json(person)
    let scans = try await Pledge.query(in: person.$organisation.id, on: database).filter(\.$person.$id == person.requireID()).all()
      .compactMap(\.storageKey)
    try await database.transaction { database in
      try await person.delete(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(person.$organisation.id), action: "person.delete", recordType: "person",
          recordID: try person.requireID().uuidString.lowercased(), before: before),
        by: actor, now: now, on: database)
    }
    for key in scans { try? await files?.delete(key: key) }
  }

  /// A department's short code (`design`) and its name, as the form and the check both use them.
  static let departmentCode = TextRule(field: "code", maximum: 40)
  static let departmentName = TextRule(field: "name", maximum: 100)

  /// How many people each department has, counted by the database (not by loading every person).
  static func peopleByDepartment(organisationID: UUID, on database: any Database) async throws -> [UUID: Int] {
    let sql = try database.sql()
    var counts: [UUID: Int] = [:]
    for row in try await sql.raw("""
      SELECT department_id, count(*) AS n FROM people
      WHERE organisation_id = \(bind: organisationID) AND department_id IS NOT NULL GROUP BY department_id
      """).all()
    {
      counts[try row.decode(column: "department_id", as: UUID.self)] = try row.decode(column: "n", as: Int.self)
    }
    return counts
  }

  static func saveDepartment(
    code rawCode: String, name rawName: String, into existing: Department?, organisationID: UUID, actor: AuditActor, now: Date,
    on database: any Database
  ) async throws -> Department {
    let code = rawCode.trimmingCharacters(in: .whitespacesAndNewlines)
    let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
    var issues = [departmentName.check(name)].compactMap { $0 }
    if let issue = departmentCode.check(code) {
      issues.append(issue)
    } else {
      var query = Department.query(in: organisationID, on: database).filter(\.$code == code)
      if let id = existing?.id { query = query.filter(\.$id != id) }
      if try await query.first() != nil { issues.append(ValidationIssue(field: "code", key: "validation.taken")) }
    }
    guard issues.isEmpty else { throw ValidationFailure(issues: issues) }
    let before = existing.map { AuditChain.json($0) }
    let department = existing ?? Department()
    department.$organisation.id = organisationID
    department.code = code
    department.name = name
    try await database.transaction { database in
      try await department.save(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(organisationID), action: existing == nil ? "department.create" : "department.update",
          recordType: "department", recordID: try department.requireID().uuidString.lowercased(), before: before,
          after: AuditChain.json(department)),
        by: actor, now: now, on: database)
    }
    return department
  }

  /// A department can be removed only when nobody belongs to it any more, so that no one silently loses
  /// their department.
  static func deleteDepartment(_ department: Department, actor: AuditActor, now: Date, on database: any Database) async throws
    -> Bool
  {
    let members = try await Person.query(in: department.$organisation.id, on: database)
      .filter(\.$department.$id == department.requireID()).count()
    guard members == 0 else { return false }
    let before = AuditChain.json(department)
    try await database.transaction { database in
      try await department.delete(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(department.$organisation.id), action: "department.delete", recordType: "department",
          recordID: try department.requireID().uuidString.lowercased(), before: before),
        by: actor, now: now, on: database)
    }
    return true
  }
}

extension Request {
  /// Issues as field → message in the request's language.
  func messages(_ issues: [ValidationIssue]) -> [String: String] {
    var result: [String: String] = [:]
    for issue in issues where result[issue.field] == nil { result[issue.field] = t(issue.key, issue.arguments) }
    return result
  }
}
