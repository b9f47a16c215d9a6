import Fluent
import Foundation
import MamoriCore
import Vapor

/// The officer's training page: courses with their completion, the assignment form, and who is due or
/// overdue, filtered by department, course and state.
enum TrainingOverview {
  struct Filter: Sendable {
    var departmentID: UUID?
    var courseID: UUID?
    /// nil: everything still to do (due and overdue).
    var state: TrainingStatus.State?
    var showAll: Bool

    init(query: any URLQueryContainer) {
      departmentID = query[String.self, at: "department"].flatMap(UUID.init(uuidString:))
      courseID = query[String.self, at: "course"].flatMap(UUID.init(uuidString:))
      let stateText = query[String.self, at: "state"] ?? ""
      state = TrainingStatus.State(rawValue: stateText)
      showAll = stateText == "all"
    }

    func includes(_ entry: Training.Entry) -> Bool {
      if let departmentID, entry.person.departmentID != departmentID { return false }
      if let courseID, entry.course.id != courseID { return false }
      if showAll { return true }
      if let state { return entry.status.state == state }
      return entry.status.state != .done
    }
  }

  struct View: Encodable, Sendable {
    struct Assignment: Encodable, Sendable {
      var label: String
      var assignedOn: String
      var deleteAction: String
    }

    struct CourseRow: Encodable, Sendable {
      var title: String
      var href: String
      var builtIn: Bool
      var terms: String
      var assignments: [Assignment]?
      var covered: Int
      var done: Int
      var due: Int
      var overdue: Int
      var percent: String
      var retired: Bool
      var editHref: String?
      var attendanceHref: String
    }

    struct PersonRow: Encodable, Sendable {
      var name: String
      var href: String
      var department: String
      var course: String
      var state: String
      var stateCode: String
      var dueOn: String
      var lastCompleted: String
    }

    var courses: [CourseRow]?
    var rows: [PersonRow]?
    var summary: String
    var action: String
    var departments: [FormField.Option]
    var courseOptions: [FormField.Option]
    var states: [FormField.Option]
    var isFiltered: Bool
    var clearHref: String
    var assignAction: String
    var assignFields: [FormField]
    var hasErrors: Bool
    var newCourseHref: String
  }

  static func view(
    _ report: Training.Report, filter: Filter, builtIn: [Course], today: CivilDate, values: [String: String], errors: FieldErrors,
    req: Request
  ) -> View {
    var counts: [UUID: [TrainingStatus.State: Int]] = [:]
    for entry in report.entries { counts[entry.course.id!, default: [:]][entry.status.state, default: 0] += 1 }
    let courses = report.courses.map { course -> View.CourseRow in
      let id = course.id!
      let state = counts[id] ?? [:]
      let covered = state.values.reduce(0, +)
      let done = state[.done] ?? 0
      var terms = req.t("training.terms_days", ["days": "\(course.dueDays)"])
      if let fixed = course.dueOn { terms = req.t("training.terms_fixed", ["date": req.display(fixed) ?? ""]) }
      if let months = course.recurrenceMonths { terms += " · " + req.t("training.terms_recurrence", ["months": "\(months)"]) }
      return View.CourseRow(
        title: title(of: course, builtIn: builtIn, language: req.language), href: SiteRoute.trainingCourse(id).path,
        builtIn: course.catalogID != nil, terms: terms,
        assignments: report.assignments.filter { $0.$course.id == id }.map { assignment in
          View.Assignment(
            label: scopeLabel(assignment, departments: report.departments, req: req), assignedOn: req.display(assignment.assignedOn) ?? "",
            deleteAction: SiteRoute.trainingAssignmentDelete(assignment.id).path)
        }.nonEmpty, covered: covered, done: done, due: state[.due] ?? 0, overdue: state[.overdue] ?? 0,
        percent: covered == 0 ? "—" : "\(done * 100 / covered)%", retired: course.isRetired,
        editHref: course.isOwn ? SiteRoute.trainingCourseEdit(id).path : nil, attendanceHref: SiteRoute.trainingAttendance(id).path)
    }
    let shown = report.entries.filter(filter.includes).sorted {
      ($0.status.state == .overdue ? 0 : 1, $0.status.dueOn ?? today, $0.person.fullName)
        < ($1.status.state == .overdue ? 0 : 1, $1.status.dueOn ?? today, $1.person.fullName)
    }
    let rows = shown.map { entry in
      View.PersonRow(
        name: entry.person.fullName, href: SiteRoute.person(entry.person.id).path,
        department: entry.person.departmentID.flatMap { report.departments[$0] } ?? "—",
        course: title(of: entry.course, builtIn: builtIn, language: req.language), state: req.t(entry.status.state.labelKey),
        stateCode: entry.status.state.rawValue, dueOn: req.display(entry.status.dueOn) ?? "—",
        lastCompleted: req.display(entry.status.lastCompleted) ?? "—")
    }
    let departmentOptions = report.departments.sorted { $0.value < $1.value }.map {
      FormField.Option(value: $0.key.uuidString.lowercased(), label: $0.value, selected: $0.key == filter.departmentID)
    }
    let stateValue = filter.showAll ? "all" : filter.state?.rawValue ?? ""
    // The assignment form: the organisation's courses, then the built-in courses it has not used yet.
    var courseChoices = report.courses.filter { !$0.isRetired }.map {
      FormField.Option(
        value: $0.id!.uuidString.lowercased(), label: title(of: $0, builtIn: builtIn, language: req.language),
        selected: values["course"] == $0.id!.uuidString.lowercased())
    }
    for course in builtIn where !report.courses.contains(where: { $0.catalogID == course.id }) {
      let value = Training.builtInPrefix + course.id
      courseChoices.append(
        FormField.Option(value: value, label: course.title.text(req.language), selected: values["course"] == value || values["course"] == nil))
    }
    let assignFields: [FormField] = [
      .select("course", label: req.t("training.field.course"), options: courseChoices, errors: errors, required: true),
      .select(
        "scope", label: req.t("training.field.scope"),
        options: TrainingScope.allCases.map {
          FormField.Option(value: $0.rawValue, label: req.t($0.labelKey), selected: values["scope"] == $0.rawValue)
        }, errors: errors, required: true, hint: req.t("training.scope_hint")),
      .select(
        "department_id", label: req.t("people.field.department"),
        options: [FormField.Option(value: "", label: "—", selected: false)]
          + report.departments.sorted { $0.value < $1.value }.map {
            FormField.Option(value: $0.key.uuidString.lowercased(), label: $0.value, selected: values["department_id"] == $0.key.uuidString.lowercased())
          }, errors: errors),
      .select(
        "employment_type", label: req.t("people.field.employment_type"),
        options: [FormField.Option(value: "", label: "—", selected: false)]
          + EmploymentType.allCases.map {
            FormField.Option(value: $0.rawValue, label: req.t($0.labelKey), selected: values["employment_type"] == $0.rawValue)
          }, errors: errors),
      FormField(
        name: "assigned_on", label: req.t("training.field.assigned_on"), type: "date", value: values["assigned_on"] ?? today.iso,
        error: errors.messages["assigned_on"]),
    ]
    return View(
      courses: courses.nonEmpty, rows: rows.nonEmpty, summary: req.t("training.summary", ["count": "\(rows.count)"]),
      action: SiteRoute.training.path, departments: departmentOptions,
      courseOptions: report.courses.map {
        FormField.Option(
          value: $0.id!.uuidString.lowercased(), label: title(of: $0, builtIn: builtIn, language: req.language),
          selected: $0.id == filter.courseID)
      },
      states: [
        FormField.Option(value: "", label: req.t("training.filter_todo"), selected: stateValue == ""),
        FormField.Option(value: "overdue", label: req.t("training.state.overdue"), selected: stateValue == "overdue"),
        FormField.Option(value: "due", label: req.t("training.state.due"), selected: stateValue == "due"),
        FormField.Option(value: "done", label: req.t("training.state.done"), selected: stateValue == "done"),
        FormField.Option(value: "all", label: req.t("common.all"), selected: stateValue == "all"),
      ],
      isFiltered: filter.departmentID != nil || filter.courseID != nil || !stateValue.isEmpty, clearHref: SiteRoute.training.path,
      assignAction: SiteRoute.trainingAssignments.path, assignFields: assignFields, hasErrors: !errors.isEmpty,
      newCourseHref: SiteRoute.trainingCourseNew.path)
  }

  /// A built-in course's title in the reader's language; an own course's as written.
  static func title(of course: TrainingCourse, builtIn: [Course], language: Language) -> String {
    if let id = course.catalogID, let content = builtIn.first(where: { $0.id == id }) { return content.title.text(language) }
    return course.ownTitle(language)
  }

  static func scopeLabel(_ assignment: TrainingAssignment, departments: [UUID: String], req: Request) -> String {
    switch assignment.scope {
    case .everyone: return req.t("training.scope.everyone")
    case .department:
      return req.t("training.scope_department", ["name": assignment.$department.id.flatMap { departments[$0] } ?? "—"])
    case .employment:
      return req.t("training.scope_employment", ["type": assignment.employmentType.map { req.t($0.labelKey) } ?? "—"])
    }
  }
}
