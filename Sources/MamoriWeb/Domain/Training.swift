import Fluent
import Foundation
import MamoriCore
import SQLKit
import Vapor

/// Training: courses, their assignment to people, completions and the quiz of a built-in course. Each
/// operation validates, writes in one transaction and appends its audit entry in it; due dates are
/// derived (``TrainingSchedule``), never stored.
enum Training {
  /// What the assignment form sends. `course` is a course's id, or `builtin:ID` for a built-in course
  /// the organisation has not used yet (its row is made with the assignment).
  struct AssignmentInput: Sendable {
    var course: String
    var scope: String
    var departmentID: String
    var employmentType: String
    var assignedOn: String
  }

  static let builtInPrefix = "builtin:"

  static func assign(
    _ input: AssignmentInput, builtIn: [Course], organisationID: UUID, assignedBy: UUID?, today: CivilDate, actor: AuditActor,
    now: Date, on database: any Database
  ) async throws -> TrainingAssignment {
    var issues: [ValidationIssue] = []
    var existingCourse: TrainingCourse?
    var catalogCourse: Course?
    if input.course.hasPrefix(builtInPrefix) {
      let id = String(input.course.dropFirst(builtInPrefix.count))
      catalogCourse = builtIn.first { $0.id == id }
      if catalogCourse != nil {
        existingCourse = try await TrainingCourse.query(in: organisationID, on: database).filter(\.$catalogID == id).first()
      }
    } else if let id = UUID(uuidString: input.course) {
      existingCourse = try await TrainingCourse.query(in: organisationID, on: database).filter(\.$id == id).first()
    }
    if existingCourse == nil, catalogCourse == nil { issues.append(ValidationIssue(field: "course", key: "validation.choice")) }
    if existingCourse?.isRetired == true { issues.append(ValidationIssue(field: "course", key: "training.validation.retired")) }
    let scope = TrainingScope(rawValue: input.scope)
    if scope == nil { issues.append(ValidationIssue(field: "scope", key: "validation.choice")) }
    var departmentID: UUID?
    var employment: EmploymentType?
    switch scope {
    case .department:
      departmentID = UUID(uuidString: input.departmentID)
      if let id = departmentID, try await Department.query(in: organisationID, on: database).filter(\.$id == id).first() != nil {
      } else {
        issues.append(ValidationIssue(field: "department_id", key: "validation.choice"))
      }
    case .employment:
      employment = EmploymentType(rawValue: input.employmentType)
      if employment == nil { issues.append(ValidationIssue(field: "employment_type", key: "validation.choice")) }
    case .everyone, nil:
      break
    }
    let assignedText = input.assignedOn.trimmingCharacters(in: .whitespaces)
    let assignedOn = assignedText.isEmpty ? today : CivilDate(iso: assignedText)
    if assignedOn == nil { issues.append(ValidationIssue(field: "assigned_on", key: "validation.date")) }
    if issues.isEmpty, let existingCourse, let scope {
      let same = try await TrainingAssignment.query(in: organisationID, on: database)
        .filter(\.$course.$id == existingCourse.requireID()).all()
        .contains { $0.scope == scope && $0.$department.id == departmentID && $0.employmentType == employment }
      if same { issues.append(ValidationIssue(field: "scope", key: "training.validation.assigned")) }
    }
    guard issues.isEmpty, let scope, let assignedOn else { throw ValidationFailure(issues: issues) }
    let assignment = TrainingAssignment()
    let (foundCourse, builtInCourse, chosenDepartment, chosenEmployment) = (existingCourse, catalogCourse, departmentID, employment)
    try await database.transaction { database in
      let course: TrainingCourse
      if let foundCourse {
        course = foundCourse
      } else {
        course = try await adopt(builtInCourse!, organisationID: organisationID, actor: actor, now: now, on: database)
      }
      assignment.$organisation.id = organisationID
      assignment.$course.id = try course.requireID()
      assignment.$department.id = chosenDepartment
      assignment.$assignedBy.id = assignedBy
      assignment.scope = scope
      assignment.employmentType = chosenEmployment
      assignment.assignedOn = assignedOn
      try await assignment.create(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(organisationID), action: "training.assign", recordType: "training_assignment",
          recordID: try assignment.requireID().uuidString.lowercased(), after: AuditChain.json(assignment)),
        by: actor, now: now, on: database)
    }
    return assignment
  }

  /// The organisation's row of a built-in course, with the course's default terms; in the caller's
  /// transaction.
  static func adopt(_ course: Course, organisationID: UUID, actor: AuditActor, now: Date, on database: any Database) async throws
    -> TrainingCourse
  {
    let row = TrainingCourse()
    row.$organisation.id = organisationID
    row.catalogID = course.id
    row.title = course.title.ja
    row.details = ""
    row.dueDays = course.dueDays
    row.recurrenceMonths = course.recurrenceMonths
    try await row.create(on: database)
    try await AuditTrail.append(
      AuditEvent(
        chain: AuditEvent.chain(organisationID), action: "training.course_create", recordType: "training_course",
        recordID: try row.requireID().uuidString.lowercased(), after: AuditChain.json(row)),
      by: actor, now: now, on: database)
    return row
  }

  /// Ends an assignment; completions stay.
  static func unassign(_ assignment: TrainingAssignment, actor: AuditActor, now: Date, on database: any Database) async throws {
    let before = AuditChain.json(assignment)
    let organisationID = assignment.$organisation.id
    try await database.transaction { database in
      try await assignment.delete(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(organisationID), action: "training.unassign", recordType: "training_assignment",
          recordID: try assignment.requireID().uuidString.lowercased(), before: before),
        by: actor, now: now, on: database)
    }
  }

  /// A person's completion of a course, recorded by an officer (or by the quiz, `selfRecorded`).
  static func recordCompletion(
    course: TrainingCourse, personID: UUID, completedOn: CivilDate, score: Int?, recordedBy: UUID?, selfRecorded: Bool,
    organisationID: UUID, actor: AuditActor, now: Date, on database: any Database
  ) async throws -> TrainingCompletion {
    guard course.$organisation.id == organisationID,
      try await Person.query(in: organisationID, on: database).filter(\.$id == personID).first() != nil
    else { throw ValidationFailure(issues: [ValidationIssue(field: "person_id", key: "validation.choice")]) }
    let completion = TrainingCompletion()
    completion.$organisation.id = organisationID
    completion.$course.id = try course.requireID()
    completion.$person.id = personID
    completion.$recordedBy.id = recordedBy
    completion.completedOn = completedOn
    completion.score = score
    completion.isSelfRecorded = selfRecorded
    try await database.transaction { database in
      try await completion.create(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(organisationID), action: "training.complete", recordType: "training_completion",
          recordID: try completion.requireID().uuidString.lowercased(), after: AuditChain.json(completion)),
        by: actor, now: now, on: database)
    }
    return completion
  }

  /// A person's attempt at a built-in course's quiz: scored, and recorded in the audit trail whether it
  /// passes or not; a pass is a completion on `today`, which completes every assignment of the course.
  static func submitQuiz(
    course: TrainingCourse, content: Course, answers: [String: String], person: Person, userID: UUID?, today: CivilDate,
    actor: AuditActor, now: Date, on database: any Database
  ) async throws -> QuizResult {
    let organisationID = course.$organisation.id
    guard person.$organisation.id == organisationID else { throw Abort(.notFound) }
    let result = content.score(answers)
    if result.passed {
      _ = try await recordCompletion(
        course: course, personID: try person.requireID(), completedOn: today, score: result.score, recordedBy: userID,
        selfRecorded: true, organisationID: organisationID, actor: actor, now: now, on: database)
    } else {
      let attempt = AuditChain.json([
        "course_id": try course.requireID().uuidString.lowercased(), "person_id": try person.requireID().uuidString.lowercased(),
        "score": "\(result.score)", "wrong": result.wrong.joined(separator: ","), "passed": "false",
      ])
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(organisationID), action: "training.quiz_failed", recordType: "training_course",
          recordID: try course.requireID().uuidString.lowercased(), after: attempt),
        by: actor, now: now, on: database)
    }
    return result
  }
}

// MARK: - Reading: who stands where

extension Training {
  struct PersonRow: Sendable {
    var id: UUID
    var loginName: String
    var fullName: String
    var departmentID: UUID?
    var employment: EmploymentType
    var hireDate: CivilDate?
    var exitDate: CivilDate?
  }

  /// One person × course that an assignment covers.
  struct Entry: Sendable {
    var person: PersonRow
    var course: TrainingCourse
    var status: TrainingStatus
  }

  struct Report: Sendable {
    var courses: [TrainingCourse]
    var assignments: [TrainingAssignment]
    var entries: [Entry]
    var departments: [UUID: String]
  }

  /// Every covered person × course of the organisation on `today`, in five queries whatever the size;
  /// only `personID`'s when given (a member's home page).
  static func report(organisationID: UUID, today: CivilDate, personID: UUID? = nil, on database: any Database) async throws -> Report {
    let courses = try await TrainingCourse.query(in: organisationID, on: database).sort(\.$title).all()
    let assignments = try await TrainingAssignment.query(in: organisationID, on: database).sort(\.$assignedOn).all()
    var departments: [UUID: String] = [:]
    for department in try await Department.query(in: organisationID, on: database).all() {
      if let id = department.id { departments[id] = department.name }
    }
    guard !assignments.isEmpty else { return Report(courses: courses, assignments: [], entries: [], departments: departments) }
    let sql = try database.sql()
    var query = sql.select().columns("id", "login_name", "full_name", "department_id", "employment_type", "hire_date", "exit_date")
      .from("people").where("organisation_id", .equal, organisationID)
    if let personID { query = query.where("id", .equal, personID) }
    var people: [PersonRow] = []
    for row in try await query.orderBy("full_name").all() {
      people.append(
        PersonRow(
          id: try row.decode(column: "id", as: UUID.self), loginName: try row.decode(column: "login_name", as: String.self),
          fullName: try row.decode(column: "full_name", as: String.self),
          departmentID: try row.decode(column: "department_id", as: UUID?.self),
          employment: EmploymentType(rawValue: try row.decode(column: "employment_type", as: String.self)) ?? .other,
          hireDate: try row.decode(column: "hire_date", as: String?.self).flatMap { CivilDate(iso: $0) },
          exitDate: try row.decode(column: "exit_date", as: String?.self).flatMap { CivilDate(iso: $0) }))
    }
    // The latest completion of each person and course.
    var latest: [String: CivilDate] = [:]
    var completions = sql.select().columns("person_id", "course_id", "completed_on").from("training_completions")
      .where("organisation_id", .equal, organisationID)
    if let personID { completions = completions.where("person_id", .equal, personID) }
    for row in try await completions.all() {
      let key = "\(try row.decode(column: "person_id", as: UUID.self))#\(try row.decode(column: "course_id", as: UUID.self))"
      guard let day = CivilDate(iso: try row.decode(column: "completed_on", as: String.self)) else { continue }
      if latest[key].map({ $0 < day }) ?? true { latest[key] = day }
    }
    var byCourse: [UUID: [TrainingSchedule.Assignment]] = [:]
    for assignment in assignments { byCourse[assignment.$course.id, default: []].append(assignment.schedule) }
    var entries: [Entry] = []
    for course in courses {
      // A retired course is no longer required of anyone; its completions stay on record.
      guard let courseID = course.id, let covering = byCourse[courseID], !course.isRetired else { continue }
      for person in people {
        let facts = TrainingSchedule.Person(
          departmentID: person.departmentID, employment: person.employment, hireDate: person.hireDate, lastWorkingDay: person.exitDate)
        guard
          let status = TrainingSchedule.status(
            terms: course.terms, assignments: covering, person: facts, lastCompleted: latest["\(person.id)#\(courseID)"], today: today)
        else { continue }
        entries.append(Entry(person: person, course: course, status: status))
      }
    }
    return Report(courses: courses, assignments: assignments, entries: entries, departments: departments)
  }

  /// The overdue entries as the findings read them.
  static func overdue(organisationID: UUID, today: CivilDate, on database: any Database) async throws -> [RegisterSnapshot.TrainingOverdue] {
    try await report(organisationID: organisationID, today: today, on: database).entries.compactMap { entry in
      guard entry.status.state == .overdue, let due = entry.status.dueOn else { return nil }
      return RegisterSnapshot.TrainingOverdue(loginName: entry.person.loginName, course: entry.course.title, dueOn: due)
    }
  }
}

extension TrainingCourse: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<TrainingCourse> {
    TrainingCourse.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}

extension TrainingAssignment: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<TrainingAssignment> {
    TrainingAssignment.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}

extension TrainingCompletion: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<TrainingCompletion> {
    TrainingCompletion.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}
