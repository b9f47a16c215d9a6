import Fluent
import Foundation
import MamoriCore
import Vapor

/// Courses of the organisation's own (create, edit, retire), attendance recorded by an officer, the
/// removal of a wrong completion, and a member's own declaration. Decode, call ``Training``, present.
enum TrainingCoursesController {
  @Sendable static func new(req: Request) async throws -> Response {
    try await CourseFormPage.render(req, course: nil, values: CourseFormPage.newValues, errors: [:])
  }

  @Sendable static func create(req: Request) async throws -> Response {
    let form = try req.content.decode(CourseFormPage.Form.self)
    let tenant = try await req.tenant()
    do {
      let course = try await Training.saveCourse(
        form.draft, into: nil, organisationID: tenant.organisationID, actor: req.auditActor, now: req.now, on: req.db)
      return req.redirect(to: SiteRoute.trainingCourse(try course.requireID()), flash: .saved)
    } catch let invalid as ValidationFailure {
      return try await CourseFormPage.render(
        req, course: nil, values: form.values, errors: req.messages(invalid.issues), status: .unprocessableEntity)
    }
  }

  /// An own course of the organisation; a built-in course's content is its file, so it has no form.
  static func ownCourse(_ req: Request) async throws -> TrainingCourse {
    let course = try await req.find(TrainingCourse.self, "courseID")
    guard course.isOwn else { throw Abort(.notFound) }
    return course
  }

  @Sendable static func edit(req: Request) async throws -> Response {
    let course = try await ownCourse(req)
    return try await CourseFormPage.render(req, course: course, values: CourseFormPage.values(of: course), errors: [:])
  }

  @Sendable static func update(req: Request) async throws -> Response {
    let course = try await ownCourse(req)
    let form = try req.content.decode(CourseFormPage.Form.self)
    let tenant = try await req.tenant()
    do {
      _ = try await Training.saveCourse(
        form.draft, into: course, organisationID: tenant.organisationID, actor: req.auditActor, now: req.now, on: req.db)
      return req.redirect(to: SiteRoute.trainingCourse(try course.requireID()), flash: .saved)
    } catch let invalid as ValidationFailure {
      return try await CourseFormPage.render(
        req, course: course, values: form.values, errors: req.messages(invalid.issues), status: .unprocessableEntity)
    }
  }

  struct RetireForm: Content {
    /// "1" retires, "0" brings the course back.
    var retired: String?
  }

  @Sendable static func retire(req: Request) async throws -> Response {
    let course = try await ownCourse(req)
    let form = try req.content.decode(RetireForm.self)
    let tenant = try await req.tenant()
    let retired = form.retired != "0"
    try await Training.setRetired(course, retired: retired, today: tenant.today, actor: req.auditActor, now: req.now, on: req.db)
    return req.redirect(to: SiteRoute.training, flash: retired ? .courseRetired : .courseReinstated)
  }

  @Sendable static func attendance(req: Request) async throws -> Response {
    let course = try await req.find(TrainingCourse.self, "courseID")
    return try await AttendancePage.render(req, course: course, values: [:], chosen: [], errors: [:])
  }

  struct AttendanceForm: Content {
    var held_on: String?
    var person_id: [String]?
  }

  @Sendable static func recordAttendance(req: Request) async throws -> Response {
    let course = try await req.find(TrainingCourse.self, "courseID")
    let form = try req.content.decode(AttendanceForm.self)
    let tenant = try await req.tenant()
    let people = form.person_id ?? []
    do {
      let made = try await Training.recordAttendance(
        .init(personIDs: people, heldOn: form.held_on ?? ""), course: course, recordedBy: try req.requireUser().id,
        organisationID: tenant.organisationID, today: tenant.today, actor: req.auditActor, now: req.now, on: req.db)
      return req.redirect(to: SiteRoute.trainingAttendance(try course.requireID()), flash: made.isEmpty ? .attendanceUnchanged : .attendanceRecorded)
    } catch let invalid as ValidationFailure {
      return try await AttendancePage.render(
        req, course: course, values: ["held_on": form.held_on ?? ""], chosen: Set(people.map { $0.lowercased() }),
        errors: req.messages(invalid.issues), status: .unprocessableEntity)
    }
  }

  @Sendable static func removeCompletion(req: Request) async throws -> Response {
    let completion = try await req.find(TrainingCompletion.self, "completionID")
    let courseID = completion.$course.id
    try await Training.removeCompletion(completion, actor: req.auditActor, now: req.now, on: req.db)
    return req.redirect(to: SiteRoute.trainingAttendance(courseID), flash: .completionRemoved)
  }

  /// A member marks an own course done; refused unless the course allows it and the account has a person.
  @Sendable static func declare(req: Request) async throws -> Response {
    let course = try await req.find(TrainingCourse.self, "courseID")
    let model = try await CoursePage.load(req, course: course)
    guard let person = model.person else {
      let view = CoursePage.view(model, req: req)
      return try await req.renderPage("training-course", title: view.title, body: view, status: .unprocessableEntity)
    }
    let tenant = try await req.tenant()
    do {
      _ = try await Training.declare(
        course: course, person: person, userID: try req.requireUser().id, today: tenant.today, actor: req.auditActor, now: req.now,
        on: req.db)
      return req.redirect(to: SiteRoute.trainingCourse(try course.requireID()), flash: .declared)
    } catch let invalid as ValidationFailure {
      var view = CoursePage.view(model, req: req)
      view.declareError = req.messages(invalid.issues)["course"]
      return try await req.renderPage("training-course", title: view.title, body: view, status: .unprocessableEntity)
    }
  }
}
