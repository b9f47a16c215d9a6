import Fluent
import Foundation
import MamoriCore
import Vapor

/// The officer's attendance page of a course: the day it was held and who attended (checkboxes, a
/// department's members ticked at once), then the course's completions with a remove button each.
enum AttendancePage {
  /// Completions listed under the form, newest first.
  static let completionLimit = 200

  struct Model {
    struct PersonRow {
      var id: UUID
      var fullName: String
      var code: String
      var departmentID: UUID?
    }

    var course: TrainingCourse
    var people: [PersonRow]
    var departments: [UUID: String]
    var completions: [TrainingCompletion]
    var completionCount: Int
    var names: [UUID: String]
    var recorders: [UUID: String]
  }

  /// Five queries whatever the size: people in employment, departments, the latest completions, the
  /// names of their people and of the users who recorded them.
  static func load(_ req: Request, course: TrainingCourse) async throws -> Model {
    let tenant = try await req.tenant()
    let organisationID = tenant.organisationID
    let people = try await Person.query(in: organisationID, on: req.db)
      .group(.or) { $0.filter(\.$exitDate == nil).filter(\.$exitDate >= tenant.today.adding(days: -365)) }
      .sort(\.$fullName).sort(\.$code).all()
    var departments: [UUID: String] = [:]
    for department in try await Department.query(in: organisationID, on: req.db).all() {
      if let id = department.id { departments[id] = department.name }
    }
    let courseID = try course.requireID()
    let query = TrainingCompletion.query(in: organisationID, on: req.db).filter(\.$course.$id == courseID)
    let count = try await query.copy().count()
    let completions = try await query.sort(\.$completedOn, .descending).sort(\.$createdAt, .descending).limit(completionLimit).all()
    var names: [UUID: String] = [:]
    for person in people { if let id = person.id { names[id] = person.fullName } }
    let missing = Set(completions.map { $0.$person.id }).subtracting(names.keys)
    if !missing.isEmpty {
      for person in try await Person.query(in: organisationID, on: req.db).filter(\.$id ~~ Array(missing)).all() {
        if let id = person.id { names[id] = person.fullName }
      }
    }
    var recorders: [UUID: String] = [:]
    let userIDs = Set(completions.compactMap { $0.$recordedBy.id })
    if !userIDs.isEmpty {
      for user in try await User.query(in: organisationID, on: req.db).filter(\.$id ~~ Array(userIDs)).all() {
        if let id = user.id { recorders[id] = user.displayName }
      }
    }
    return Model(
      course: course,
      people: people.compactMap { person in
        person.id.map { Model.PersonRow(id: $0, fullName: person.fullName, code: person.code, departmentID: person.$department.id) }
      },
      departments: departments, completions: completions, completionCount: count, names: names, recorders: recorders)
  }

  struct View: Encodable, Sendable {
    struct Person: Encodable, Sendable {
      var id: String
      var inputID: String
      var name: String
      var code: String
      var department: String
      var checked: Bool
    }

    struct Completion: Encodable, Sendable {
      var person: String
      var completedOn: String
      var method: String
      var recordedBy: String
      var deleteAction: String
    }

    var title: String
    var courseHref: String
    var backHref: String
    var action: String
    var filterAction: String
    var departments: [FormField.Option]
    var heldOn: [FormField]
    var people: [Person]?
    var peopleError: String?
    var hasErrors: Bool
    var completions: [Completion]?
    var completionSummary: String
  }

  static func view(
    _ model: Model, departmentID: UUID?, today: CivilDate, values: [String: String], chosen: Set<String>, errors: FieldErrors, req: Request
  ) -> View {
    let people = model.people.map { person in
      let id = person.id.uuidString.lowercased()
      return View.Person(
        id: id, inputID: "person-\(id)", name: person.fullName, code: person.code,
        department: person.departmentID.flatMap { model.departments[$0] } ?? "—",
        checked: chosen.contains(id) || (departmentID != nil && person.departmentID == departmentID))
    }
    let completions = model.completions.map { completion in
      View.Completion(
        person: model.names[completion.$person.id] ?? "—", completedOn: req.display(completion.completedOn) ?? "",
        method: req.t(completion.method.labelKey),
        recordedBy: completion.$recordedBy.id.flatMap { model.recorders[$0] } ?? "—",
        deleteAction: SiteRoute.trainingCompletionDelete(completion.id).path)
    }
    let courseID = model.course.id
    return View(
      title: model.course.ownTitle(req.language, builtIn: req.mamori.courses), courseHref: SiteRoute.trainingCourse(courseID).path,
      backHref: SiteRoute.training.path, action: SiteRoute.trainingAttendance(courseID).path,
      filterAction: SiteRoute.trainingAttendance(courseID).path,
      departments: model.departments.sorted { $0.value < $1.value }.map {
        FormField.Option(value: $0.key.uuidString.lowercased(), label: $0.value, selected: $0.key == departmentID)
      },
      heldOn: [
        FormField(
          name: "held_on", label: req.t("training.field.held_on"), type: "date", value: values["held_on"] ?? today.iso,
          required: true, error: errors.messages["held_on"])
      ],
      people: people.nonEmpty, peopleError: errors.messages["person_id"], hasErrors: !errors.isEmpty,
      completions: completions.nonEmpty,
      completionSummary: model.completionCount > completions.count
        ? req.t("training.completions_latest", ["shown": "\(completions.count)", "count": "\(model.completionCount)"])
        : req.t("training.completions_count", ["count": "\(model.completionCount)"]))
  }

  static func render(
    _ req: Request, course: TrainingCourse, values: [String: String], chosen: Set<String>, errors: [String: String],
    status: HTTPResponseStatus = .ok
  ) async throws -> Response {
    let model = try await load(req, course: course)
    let departmentID = req.query[String.self, at: "department"].flatMap(UUID.init(uuidString:))
    let view = Self.view(model, departmentID: departmentID, today: try await req.tenant().today, values: values, chosen: chosen, errors: FieldErrors(errors), req: req)
    return try await req.renderPage(
      "training-attendance", title: req.t("training.attendance_title", ["title": view.title]), body: view, status: status)
  }
}

extension TrainingCourse {
  /// The title in `language`: a built-in course's from its file, an own course's English title when it
  /// has one, else the Japanese.
  func ownTitle(_ language: Language, builtIn: [Course]) -> String {
    if let id = catalogID, let content = builtIn.first(where: { $0.id == id }) { return content.title.text(language) }
    return ownTitle(language)
  }
}
