import Fluent
import Foundation
import MamoriCore
import Vapor

/// Courses of the organisation's own and completions recorded without a quiz: an officer recording who
/// attended, removing a wrong completion, and a member declaring a course done when it allows that.
/// Each operation validates, writes in one transaction and appends its audit entries in it.
extension Training {
  /// Creates (`into` nil) or changes an own course. A built-in course's content comes from its file,
  /// so it cannot be edited here.
  static func saveCourse(
    _ draft: CourseDraft, into existing: TrainingCourse?, organisationID: UUID, actor: AuditActor, now: Date, on database: any Database
  ) async throws -> TrainingCourse {
    let draft = draft.normalised
    let issues = draft.validate()
    if let existing, existing.$organisation.id != organisationID || !existing.isOwn { throw Abort(.notFound) }
    guard issues.isEmpty, let dueDays = draft.dueDaysValue else { throw ValidationFailure(issues: issues) }
    let course = existing ?? TrainingCourse()
    let before = existing.map { AuditChain.json($0) }
    course.$organisation.id = organisationID
    course.title = draft.title
    course.titleEn = draft.titleEn.isEmpty ? nil : draft.titleEn
    course.details = draft.description
    course.material = draft.material
    course.dueDays = dueDays
    course.dueOn = draft.dueDay
    course.recurrenceMonths = draft.recurrenceValue
    course.allowsSelfDeclaration = draft.selfDeclaration
    try await database.transaction { database in
      try await course.save(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(organisationID), action: existing == nil ? "training.own_course_create" : "training.course_update",
          recordType: "training_course", recordID: try course.requireID().uuidString.lowercased(), before: before,
          after: AuditChain.json(course)),
        by: actor, now: now, on: database)
    }
    return course
  }

  /// Retires a course on `today` (nobody is due any more, no new assignment; assignments and
  /// completions stay), or brings a retired one back.
  static func setRetired(
    _ course: TrainingCourse, retired: Bool, today: CivilDate, actor: AuditActor, now: Date, on database: any Database
  ) async throws {
    guard course.isRetired != retired else { return }
    let before = AuditChain.json(course)
    course.retiredOn = retired ? today : nil
    let organisationID = course.$organisation.id
    try await database.transaction { database in
      try await course.save(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(organisationID), action: retired ? "training.course_retire" : "training.course_reinstate",
          recordType: "training_course", recordID: try course.requireID().uuidString.lowercased(), before: before,
          after: AuditChain.json(course)),
        by: actor, now: now, on: database)
    }
  }

  /// What the attendance form sends: the people who attended and the day the session was held.
  struct AttendanceInput: Sendable {
    var personIDs: [String]
    var heldOn: String
  }

  /// Records that each person attended `course` on the day given: one completion (method attendance)
  /// and one audit entry per person, all in one transaction. Someone already recorded for the course on
  /// that day is left as they are, so sending the form twice records nothing twice. Returns the
  /// completions made.
  static func recordAttendance(
    _ input: AttendanceInput, course: TrainingCourse, recordedBy: UUID?, organisationID: UUID, today: CivilDate, actor: AuditActor,
    now: Date, on database: any Database
  ) async throws -> [TrainingCompletion] {
    guard course.$organisation.id == organisationID else { throw Abort(.notFound) }
    var issues: [ValidationIssue] = []
    let heldText = input.heldOn.trimmingCharacters(in: .whitespaces)
    let heldOn = heldText.isEmpty ? today : CivilDate(iso: heldText)
    if let heldOn {
      if today < heldOn { issues.append(ValidationIssue(field: "held_on", key: "training.validation.held_future")) }
    } else {
      issues.append(ValidationIssue(field: "held_on", key: "validation.date"))
    }
    if course.isRetired { issues.append(ValidationIssue(field: "course", key: "training.validation.retired")) }
    var wanted: [UUID] = []
    for text in input.personIDs {
      guard let id = UUID(uuidString: text) else {
        issues.append(ValidationIssue(field: "person_id", key: "validation.choice"))
        break
      }
      if !wanted.contains(id) { wanted.append(id) }
    }
    if wanted.isEmpty, issues.allSatisfy({ $0.field != "person_id" }) {
      issues.append(ValidationIssue(field: "person_id", key: "training.validation.nobody"))
    }
    var found: Set<UUID> = []
    if !wanted.isEmpty {
      found = Set(try await Person.query(in: organisationID, on: database).filter(\.$id ~~ wanted).all().compactMap(\.id))
      if found.count != wanted.count { issues.append(ValidationIssue(field: "person_id", key: "validation.choice")) }
    }
    guard issues.isEmpty, let heldOn else { throw ValidationFailure(issues: issues) }
    let courseID = try course.requireID()
    let people = wanted
    return try await database.transaction { database in
      // Who is already recorded is read after taking turns with the organisation's other writers, so
      // that the form sent twice at once still records each person once.
      try await AuditTrail.takeTurns(on: AuditEvent.chain(organisationID), in: database)
      let already = Set(
        try await TrainingCompletion.query(in: organisationID, on: database).filter(\.$course.$id == courseID)
          .filter(\.$completedOn == heldOn).filter(\.$person.$id ~~ people).all().map { $0.$person.id })
      let completions = people.filter { !already.contains($0) }.map { personID in
        let completion = TrainingCompletion()
        completion.$organisation.id = organisationID
        completion.$course.id = courseID
        completion.$person.id = personID
        completion.$recordedBy.id = recordedBy
        completion.completedOn = heldOn
        completion.score = nil
        completion.isSelfRecorded = false
        return completion
      }
      for completion in completions { try await completion.create(on: database) }
      // One entry per completion, the chain's tail read once (as the import does).
      try await AuditTrail.appendAll(
        try completions.map { completion in
          AuditEvent(
            chain: AuditEvent.chain(organisationID), action: "training.complete", recordType: "training_completion",
            recordID: try completion.requireID().uuidString.lowercased(), after: AuditChain.json(completion))
        }, by: actor, now: now, on: database)
      return completions
    }
  }

  /// Removes a completion recorded by mistake; the entry keeps what it was.
  static func removeCompletion(_ completion: TrainingCompletion, actor: AuditActor, now: Date, on database: any Database) async throws {
    let before = AuditChain.json(completion)
    let organisationID = completion.$organisation.id
    try await database.transaction { database in
      try await completion.delete(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(organisationID), action: "training.completion_delete", recordType: "training_completion",
          recordID: try completion.requireID().uuidString.lowercased(), before: before),
        by: actor, now: now, on: database)
    }
  }

  /// A member marks an own course done on `today`, when the course allows self-declaration; otherwise
  /// the officer records attendance and this is refused.
  static func declare(
    course: TrainingCourse, person: Person, userID: UUID?, today: CivilDate, actor: AuditActor, now: Date, on database: any Database
  ) async throws -> TrainingCompletion {
    let organisationID = course.$organisation.id
    guard person.$organisation.id == organisationID else { throw Abort(.notFound) }
    guard course.isOwn, course.allowsSelfDeclaration, !course.isRetired else {
      throw ValidationFailure(ValidationIssue(field: "course", key: "training.validation.no_declaration"))
    }
    return try await recordCompletion(
      course: course, personID: try person.requireID(), completedOn: today, score: nil, recordedBy: userID, selfRecorded: true,
      organisationID: organisationID, actor: actor, now: now, on: database)
  }
}

extension TrainingCompletion {
  var method: CompletionMethod { CompletionMethod.of(score: score, selfRecorded: isSelfRecorded) }
}
