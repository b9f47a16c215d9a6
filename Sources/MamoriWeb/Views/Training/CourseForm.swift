import Fluent
import Foundation
import MamoriCore
import Vapor

/// The form to create or edit a course of the organisation's own, with the retire (or reinstate)
/// button of an existing one.
enum CourseFormPage {
  struct Form: Content {
    var title: String?
    var title_en: String?
    var description: String?
    var material: String?
    var due_days: String?
    var due_on: String?
    var recurrence_months: String?
    var self_declaration: String?

    var draft: CourseDraft {
      CourseDraft(
        title: title ?? "", titleEn: title_en ?? "", description: description ?? "", material: material ?? "",
        dueDays: due_days ?? "", dueOn: due_on ?? "", recurrenceMonths: recurrence_months ?? "", selfDeclaration: self_declaration == "on")
    }

    var values: [String: String] {
      [
        "title": title ?? "", "title_en": title_en ?? "", "description": description ?? "", "material": material ?? "",
        "due_days": due_days ?? "", "due_on": due_on ?? "", "recurrence_months": recurrence_months ?? "",
        "self_declaration": self_declaration == "on" ? "on" : "",
      ]
    }
  }

  static func values(of course: TrainingCourse) -> [String: String] {
    [
      "title": course.title, "title_en": course.titleEn ?? "", "description": course.details, "material": course.material,
      "due_days": "\(course.dueDays)", "due_on": course.dueOn?.iso ?? "", "recurrence_months": course.recurrenceMonths.map { "\($0)" } ?? "",
      "self_declaration": course.allowsSelfDeclaration ? "on" : "",
    ]
  }

  static let newValues = ["due_days": "30", "recurrence_months": "12"]

  struct View: Encodable, Sendable {
    var action: String
    var cancelHref: String
    var fields: [FormField]
    var selfDeclaration: Bool
    var hasErrors: Bool
    /// For an existing course: the retire (or reinstate) button.
    var retireAction: String?
    var retired: Bool
    var retiredNote: String?
  }

  static func view(_ course: TrainingCourse?, values: [String: String], errors: FieldErrors, req: Request) -> View {
    let number = { (name: String, label: String, range: ClosedRange<Int>, required: Bool, hint: String?) in
      FormField(
        name: name, label: label, type: "number", value: values[name] ?? "", required: required, min: range.lowerBound,
        max: range.upperBound, inputMode: "numeric", hint: hint, error: errors.messages[name])
    }
    let fields: [FormField] = [
      .text(CourseDraft.titleRule, label: req.t("training.field.title"), value: values["title"], errors: errors),
      .text(
        CourseDraft.titleEnRule, label: req.t("training.field.title_en"), value: values["title_en"], errors: errors,
        hint: req.t("training.hint.title_en")),
      .text(
        CourseDraft.descriptionRule, label: req.t("training.field.description"), value: values["description"], errors: errors,
        multiline: true),
      .text(
        CourseDraft.materialRule, label: req.t("training.field.material"), value: values["material"], errors: errors,
        hint: req.t("training.hint.material"), multiline: true),
      number("due_days", req.t("training.field.due_days"), TrainingRules.dueDaysRange, true, req.t("training.hint.due_days")),
      FormField(
        name: "due_on", label: req.t("training.field.fixed_due_on"), type: "date", value: values["due_on"] ?? "",
        hint: req.t("training.hint.fixed_due_on"), error: errors.messages["due_on"]),
      number(
        "recurrence_months", req.t("training.field.recurrence_months"), TrainingRules.recurrenceMonthsRange, false,
        req.t("training.hint.recurrence_months")),
    ]
    let id = course?.id
    return View(
      action: id.map { SiteRoute.trainingCourseEdit($0).path } ?? SiteRoute.trainingCourses.path, cancelHref: SiteRoute.training.path,
      fields: fields, selfDeclaration: values["self_declaration"] == "on", hasErrors: !errors.isEmpty,
      retireAction: id.map { SiteRoute.trainingCourseRetire($0).path }, retired: course?.isRetired ?? false,
      retiredNote: course?.retiredOn.map { req.t("training.retired_on", ["date": req.display($0) ?? ""]) })
  }

  static func render(
    _ req: Request, course: TrainingCourse?, values: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok
  ) async throws -> Response {
    let view = Self.view(course, values: values, errors: FieldErrors(errors), req: req)
    let title = course.map { req.t("training.edit_course_title", ["title": $0.ownTitle(req.language)]) } ?? req.t("training.new_course_title")
    return try await req.renderPage("training-course-form", title: title, body: view, status: status)
  }
}
