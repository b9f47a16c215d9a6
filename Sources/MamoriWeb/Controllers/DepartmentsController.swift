import Fluent
import Foundation
import MamoriCore
import Vapor

/// The organisation's departments.
enum DepartmentsController {
  struct IndexView: Encodable, Sendable {
    struct Row: Encodable, Sendable {
      var code: String
      var name: String
      var people: Int
      var href: String
      var peopleHref: String
    }

    var rows: [Row]?
    var fields: [FormField]
    var errors: FieldErrors
    var action = SiteRoute.departments.path
  }

  /// The department form's fields, with the limits of the rules that check them.
  static func fields(_ req: Request, values: [String: String], errors: FieldErrors, codeHint: Bool) -> [FormField] {
    [
      .text(
        Register.departmentCode, label: req.t("departments.code"), value: values["code"], errors: errors,
        hint: codeHint ? req.t("departments.code_hint") : nil),
      .text(Register.departmentName, label: req.t("departments.name"), value: values["name"], errors: errors),
    ]
  }

  struct EditView: Encodable, Sendable {
    var fields: [FormField]
    var errors: FieldErrors
    var action: String
    var deleteAction: String
    var people: Int
    var hasPeople: Bool
    var backHref = SiteRoute.departments.path
  }

  struct Form: Content {
    var code: String?
    var name: String?
  }

  @Sendable static func index(req: Request) async throws -> Response {
    try await renderIndex(req, values: [:], errors: [:])
  }

  static func renderIndex(_ req: Request, values: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok)
    async throws -> Response
  {
    let organisationID = try req.requireOrganisationID()
    let departments = try await Department.query(in: organisationID, on: req.db).sort(\.$code).all()
    let counts = try await Register.peopleByDepartment(organisationID: organisationID, on: req.db)
    let rows = departments.compactMap { department -> IndexView.Row? in
      guard let id = department.id else { return nil }
      return IndexView.Row(
        code: department.code, name: department.name, people: counts[id] ?? 0, href: SiteRoute.department(id).path,
        peopleHref: SiteRoute.people.path(query: [("department", id.uuidString.lowercased())]))
    }
    return try await req.renderPage(
      "departments", title: req.t("departments.title"), body: IndexView(
        rows: rows.nonEmpty, fields: fields(req, values: values, errors: FieldErrors(errors), codeHint: true),
        errors: FieldErrors(errors)),
      status: status)
  }

  @Sendable static func create(req: Request) async throws -> Response {
    let form = try req.content.decode(Form.self)
    do {
      _ = try await Register.saveDepartment(
        code: form.code ?? "", name: form.name ?? "", into: nil, organisationID: try req.requireOrganisationID(),
        actor: req.auditActor, now: req.now, on: req.db)
      return req.redirect(to: SiteRoute.departments, flash: .saved)
    } catch let invalid as ValidationFailure {
      return try await renderIndex(
        req, values: ["code": form.code ?? "", "name": form.name ?? ""], errors: req.messages(invalid.issues),
        status: .unprocessableEntity)
    }
  }

  @Sendable static func edit(req: Request) async throws -> Response {
    let department = try await req.find(Department.self, "departmentID")
    return try await renderEdit(req, department: department, values: ["code": department.code, "name": department.name], errors: [:])
  }

  static func renderEdit(
    _ req: Request, department: Department, values: [String: String], errors: [String: String],
    status: HTTPResponseStatus = .ok
  ) async throws -> Response {
    let id = try department.requireID()
    let people = try await Person.query(in: department.$organisation.id, on: req.db).filter(\.$department.$id == id).count()
    return try await req.renderPage(
      "department", title: department.name,
      body: EditView(
        fields: fields(req, values: values, errors: FieldErrors(errors), codeHint: false), errors: FieldErrors(errors),
        action: SiteRoute.department(id).path,
        deleteAction: SiteRoute.departmentDelete(id).path, people: people, hasPeople: people > 0),
      status: status)
  }

  @Sendable static func update(req: Request) async throws -> Response {
    let department = try await req.find(Department.self, "departmentID")
    let form = try req.content.decode(Form.self)
    do {
      _ = try await Register.saveDepartment(
        code: form.code ?? "", name: form.name ?? "", into: department, organisationID: try req.requireOrganisationID(),
        actor: req.auditActor, now: req.now, on: req.db)
      return req.redirect(to: SiteRoute.departments, flash: .saved)
    } catch let invalid as ValidationFailure {
      return try await renderEdit(
        req, department: department, values: ["code": form.code ?? "", "name": form.name ?? ""],
        errors: req.messages(invalid.issues), status: .unprocessableEntity)
    }
  }

  @Sendable static func delete(req: Request) async throws -> Response {
    let department = try await req.find(Department.self, "departmentID")
    guard try await Register.deleteDepartment(department, actor: req.auditActor, now: req.now, on: req.db) else {
      return req.redirect(to: SiteRoute.department(try department.requireID()), flash: .errorDepartmentInUse)
    }
    return req.redirect(to: SiteRoute.departments, flash: .deleted)
  }
}
