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
    var grants: [GrantRow]?
    var grantsLead: String
    var editHref: String
    var deleteAction: String
    var backHref: String
    /// The courses assigned to the person (PersonShow+Training); nil when none is.
    var training: [TrainingRow]? = nil
    /// Pledges, the form that records one and the leaver case (Views/Pledges).
    var pledges: PledgesPage.Section?
    /// Open pledge requests and the form that makes one (Views/Pledges/PledgeRequestPages).
    var pledgeRequests: PledgeRequestPages.Section? = nil
  }

  struct GrantRow: Encodable, Sendable {
    var asset: String
    var assetHref: String
    var level: String
    var levelCode: String
    var grantedOn: String
    var expiresOn: String
    var state: String
    var stateCode: String
    var revokeAction: String?
  }

  /// The person's grants, newest first, in one query with their assets.
  static func grants(of person: Person, organisationID: UUID, on database: any Database) async throws -> [Grant] {
    try await Grant.query(in: organisationID, on: database).filter(\.$person.$id == person.requireID()).with(\.$asset)
      .sort(\.$grantedOn, .descending).all()
  }

  static func view(person: Person, accounts: [User], grants: [Grant], today: CivilDate, req: Request) throws -> View {
    let id = try person.requireID()
    let status = person.status(on: today)
    var leaverNote: String?
    if status == .leaving, let exit = person.exitDay {
      leaverNote = req.t("people.leaver_note", ["date": req.display(exit) ?? "", "days": "\(today.days(until: exit))"])
    }
    // After the last working day every grant still held is a finding (leaver-holds-grant).
    let held = grants.filter { !$0.isRevoked }.count
    if status == .left, held > 0, let exit = person.exitDay {
      leaverNote = req.t("people.left_holds_grants", ["date": req.display(exit) ?? "", "count": "\(held)"])
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
      .init(label: req.t("people.field.leaving_date"), value: req.display(person.leavingDate) ?? "—"),
      .init(label: req.t("people.field.training_language"), value: req.t("language.\(person.trainingLanguage.rawValue)")),
      .init(label: req.t("people.field.key_person"), value: req.t(person.isKeyPerson ? "common.answer_yes" : "common.answer_no")),
    ]
    return View(
      name: person.fullName, status: req.t(status.labelKey), statusCode: status.rawValue, facts: facts,
      notes: person.notes.isEmpty ? nil : person.notes,
      accounts: accounts.map { "\($0.displayName) <\($0.email)> · \(req.t($0.status.labelKey))" }.nonEmpty,
      leaverNote: leaverNote,
      grants: grants.compactMap { grant -> GrantRow? in
        guard let grantID = grant.id else { return nil }
        let state = grant.isRevoked ? "revoked" : grant.isExpired(on: today) ? "expired" : "valid"
        return GrantRow(
          asset: "\(grant.asset.code) \(grant.asset.name)", assetHref: SiteRoute.asset(grant.$asset.id).path,
          level: req.t(grant.asset.level.labelKey), levelCode: grant.asset.level.rawValue,
          grantedOn: req.display(grant.grantedOn) ?? "", expiresOn: req.display(grant.expiresOn) ?? req.t("grants.no_expiry"),
          state: state == "revoked"
            ? req.t("grants.state.revoked", ["date": req.display(grant.revokedOn) ?? ""]) : req.t("grants.state.\(state)"),
          stateCode: state, revokeAction: grant.isRevoked ? nil : SiteRoute.grantRevoke(grantID).path)
      }.nonEmpty,
      grantsLead: req.t("people.grants_lead"),
      editHref: SiteRoute.personEdit(id).path, deleteAction: SiteRoute.personDelete(id).path,
      backHref: SiteRoute.people.path)
  }
}
