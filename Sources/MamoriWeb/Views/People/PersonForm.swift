import Foundation
import MamoriCore
import Vapor

/// The form to add or edit a person.
enum PersonFormPage {
  struct View: Encodable, Sendable {
    var isNew: Bool
    var action: String
    var cancelHref: String
    var values: [String: String]
    var errors: FieldErrors
    var departments: [PeopleIndex.View.Option]
    var types: [PeopleIndex.View.Option]
    var languages: [PeopleIndex.View.Option]
    /// `maxlength` of each text field, from the draft's rules.
    var limits = PersonDraft.limits
  }

  struct Form: Content {
    var code: String?
    var login_name: String?
    var family_name: String?
    var given_name: String?
    var full_name: String?
    var email: String?
    var department_id: String?
    var employment_type: String?
    var job_title: String?
    var hire_date: String?
    var notice_date: String?
    var exit_date: String?
    var leaving_date: String?
    var training_language: String?
    var key_person: String?
    var notes: String?

    var draft: PersonDraft {
      PersonDraft(
        code: code ?? "", loginName: login_name ?? "", familyName: family_name ?? "", givenName: given_name ?? "",
        fullName: full_name ?? "", email: email ?? "", employmentType: employment_type ?? "", jobTitle: job_title ?? "",
        hireDate: hire_date ?? "", noticeDate: notice_date ?? "", exitDate: exit_date ?? "",
        leavingDate: leaving_date ?? "", trainingLanguage: training_language ?? Language.ja.rawValue, isKeyPerson: key_person == "on",
        notes: notes ?? "")
    }

    var departmentID: UUID? { department_id.flatMap(UUID.init(uuidString:)) }

    var values: [String: String] {
      [
        "code": code ?? "", "login_name": login_name ?? "", "family_name": family_name ?? "",
        "given_name": given_name ?? "", "full_name": full_name ?? "", "email": email ?? "",
        "department_id": (department_id ?? "").lowercased(), "employment_type": employment_type ?? "",
        "job_title": job_title ?? "", "hire_date": hire_date ?? "", "notice_date": notice_date ?? "",
        "exit_date": exit_date ?? "", "leaving_date": leaving_date ?? "", "training_language": training_language ?? "",
        "key_person": key_person == "on" ? "on" : "", "notes": notes ?? "",
      ]
    }
  }

  static func values(of person: Person) -> [String: String] {
    [
      "code": person.code, "login_name": person.loginName, "family_name": person.familyName,
      "given_name": person.givenName, "full_name": person.fullName, "email": person.email ?? "",
      "department_id": person.$department.id?.uuidString.lowercased() ?? "", "employment_type": person.employmentType.rawValue,
      "job_title": person.jobTitle, "hire_date": person.hireDate?.iso ?? "", "notice_date": person.noticeDate?.iso ?? "",
      "exit_date": person.exitDate?.iso ?? "", "leaving_date": person.leavingDate?.iso ?? "",
      "training_language": person.trainingLanguage.rawValue, "key_person": person.isKeyPerson ? "on" : "", "notes": person.notes,
    ]
  }

  static func render(
    _ req: Request, person: Person?, values: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok
  ) async throws -> Response {
    let departments = try await Department.query(in: try req.requireOrganisationID(), on: req.db).sort(\.$code).all()
    let action = person?.id.map { SiteRoute.person($0).path } ?? SiteRoute.people.path
    return try await req.renderPage(
      "person-form", title: person.map { req.t("people.edit_title", ["name": $0.fullName]) } ?? req.t("people.new_title"),
      body: View(
        isNew: person == nil, action: action, cancelHref: person?.id.map { SiteRoute.person($0).path } ?? SiteRoute.people.path,
        values: values, errors: FieldErrors(errors),
        departments: departments.compactMap { department in
          department.id.map {
            .init(value: $0.uuidString.lowercased(), label: department.name, selected: $0.uuidString.lowercased() == values["department_id"])
          }
        },
        types: EmploymentType.allCases.map {
          .init(value: $0.rawValue, label: req.t($0.labelKey), selected: $0.rawValue == values["employment_type"])
        },
        languages: Language.allCases.map {
          .init(value: $0.rawValue, label: req.t("language.\($0.rawValue)"), selected: $0.rawValue == (values["training_language"] ?? "ja"))
        }),
      status: status)
  }
}
