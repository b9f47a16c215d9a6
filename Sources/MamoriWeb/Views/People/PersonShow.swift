import Fluent
import Foundation
import MamoriCore
import Vapor

/// One person's record.
enum PersonShow {
  struct View: Encodable, Sendable {
    struct Fact: Encodable, Sendable {
      var label: String
      var value: String
    }

    var name: String
    var status: String
    var statusCode: String
    var facts: [Fact]
    var notes: String?
    var accounts: [String]?
    var leaverNote: String?
    var editHref: String
    var deleteAction: String
    var backHref: String
  }

  static func view(person: Person, accounts: [User], today: CivilDate, req: Request) throws -> View {
    let id = try person.requireID()
    let status = person.status(on: today)
    var leaverNote: String?
    if status == .leaving, let exit = person.exitDay {
      leaverNote = req.t("people.leaver_note", ["date": req.display(exit) ?? "", "days": "\(today.days(until: exit))"])
    }
    let facts: [View.Fact] = [
      .init(label: req.t("people.field.code"), value: person.code),
      .init(label: req.t("people.field.login_name"), value: person.loginName),
      .init(label: req.t("people.field.department"), value: person.department?.name ?? "—"),
      .init(label: req.t("people.field.job_title"), value: person.jobTitle.isEmpty ? "—" : person.jobTitle),
      .init(label: req.t("people.field.employment_type"), value: req.t(person.employment.labelKey)),
      .init(label: req.t("people.field.email"), value: person.email ?? "—"),
      .init(label: req.t("people.field.hire_date"), value: req.display(person.hireDay) ?? "—"),
      .init(label: req.t("people.field.notice_date"), value: req.display(person.noticeDay) ?? "—"),
      .init(label: req.t("people.field.exit_date"), value: req.display(person.exitDay) ?? "—"),
    ]
    return View(
      name: person.fullName, status: req.t(status.labelKey), statusCode: status.rawValue, facts: facts,
      notes: person.notes.isEmpty ? nil : person.notes,
      accounts: accounts.map { "\($0.displayName) <\($0.email)> · \(req.t($0.status.labelKey))" }.nonEmpty,
      leaverNote: leaverNote, editHref: SiteRoute.personEdit(id).path, deleteAction: SiteRoute.personDelete(id).path,
      backHref: SiteRoute.people.path)
  }
}
