import Fluent
import Foundation
import MamoriCore
import Vapor

/// Training pages: the officer's overview and assignments, and the course page with its quiz.
enum TrainingController {
  @Sendable static func index(req: Request) async throws -> Response {
    try await renderIndex(req, values: [:], errors: [:])
  }

  static func renderIndex(
    _ req: Request, values: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok
  ) async throws -> Response {
    let tenant = try await req.tenant()
    let report = try await Training.report(organisationID: tenant.organisationID, today: tenant.today, on: req.db)
    let view = TrainingOverview.view(
      report, filter: TrainingOverview.Filter(query: req.query), builtIn: req.mamori.courses, today: tenant.today, values: values,
      errors: FieldErrors(errors), req: req)
    return try await req.renderPage("training", title: req.t("training.title"), body: view, status: status)
  }

  struct AssignForm: Content {
    var course: String?
    var scope: String?
    var department_id: String?
    var employment_type: String?
    var assigned_on: String?

    var values: [String: String] {
      [
        "course": course ?? "", "scope": scope ?? "", "department_id": (department_id ?? "").lowercased(),
        "employment_type": employment_type ?? "", "assigned_on": assigned_on ?? "",
      ]
    }
  }

  @Sendable static func assign(req: Request) async throws -> Response {
    let form = try req.content.decode(AssignForm.self)
    let tenant = try await req.tenant()
    do {
      _ = try await Training.assign(
        .init(
          course: form.course ?? "", scope: form.scope ?? "", departmentID: form.department_id ?? "",
          employmentType: form.employment_type ?? "", assignedOn: form.assigned_on ?? ""),
        builtIn: req.mamori.courses, organisationID: tenant.organisationID, assignedBy: try req.requireUser().id, today: tenant.today,
        actor: req.auditActor, now: req.now, on: req.db)
      return req.redirect(to: SiteRoute.training, flash: .saved)
    } catch let invalid as ValidationFailure {
      return try await renderIndex(req, values: form.values, errors: req.messages(invalid.issues), status: .unprocessableEntity)
    }
  }

  @Sendable static func unassign(req: Request) async throws -> Response {
    let assignment = try await req.find(TrainingAssignment.self, "assignmentID")
    try await Training.unassign(assignment, actor: req.auditActor, now: req.now, on: req.db)
    return req.redirect(to: SiteRoute.training, flash: .deleted)
  }

  @Sendable static func course(req: Request) async throws -> Response {
    let course = try await req.find(TrainingCourse.self, "courseID")
    let model = try await CoursePage.load(req, course: course)
    let view = CoursePage.view(model, req: req)
    return try await req.renderPage("training-course", title: view.title, body: view)
  }

  @Sendable static func quiz(req: Request) async throws -> Response {
    let course = try await req.find(TrainingCourse.self, "courseID")
    let model = try await CoursePage.load(req, course: course)
    guard let content = model.content else { throw Abort(.notFound) }
    var answers: [String: String] = [:]
    for question in content.questions {
      if let choice = try? req.content.get(String.self, at: question.id) { answers[question.id] = choice }
    }
    // Only a person of the register can complete a course; an account without one reads the course.
    guard let person = model.person else {
      let view = CoursePage.view(model, answers: answers, req: req)
      return try await req.renderPage("training-course", title: view.title, body: view, status: .unprocessableEntity)
    }
    let tenant = try await req.tenant()
    let result = try await Training.submitQuiz(
      course: course, content: content, answers: answers, person: person, userID: try req.requireUser().id, today: tenant.today,
      actor: req.auditActor, now: req.now, on: req.db)
    let after = try await CoursePage.load(req, course: course)
    let view = CoursePage.view(after, answers: answers, result: result, req: req)
    return try await req.renderPage("training-course", title: view.title, body: view)
  }
}
