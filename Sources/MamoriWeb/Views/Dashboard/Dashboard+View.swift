import Foundation
import MamoriCore
import Vapor

extension Dashboard {
  /// The dashboard as the template shows it: every text translated, every date formatted.
  struct View: Encodable, Sendable {
    struct Stat: Encodable, Sendable {
      var label: String
      var value: String
      var href: String?
    }

    struct Leaver: Encodable, Sendable {
      var name: String
      var href: String
      var department: String
      var employment: String
      var notice: String
      var exit: String
      var remaining: String
    }

    struct Audit: Encodable, Sendable {
      var organisation: String
      var href: String
      var until: String
    }

    struct OwnRecord: Encodable, Sendable {
      var name: String
      var department: String
      var title: String
      var employment: String
    }

    var greeting: String
    var today: String
    var organisation: String?
    var registerStats: [Stat]?
    var accountStats: [Stat]?
    var leavers: [Leaver]?
    var auditGrants: [String]?
    var audits: [Audit]?
    var ownRecord: OwnRecord?
    var operatorStats: [Stat]?
    var findings: FindingsSummary?
    /// First steps for an organisation whose register is still empty.
    var startSteps: [Stat]?
    var isManager: Bool
    /// The self-check's card (Dashboard+SelfCheck), for those who run it.
    var selfCheck: SelfCheckCard? = nil
    /// The person's own to-dos, one section per kind (Dashboard+ToDo); nil outside an organisation.
    var toDo: [ToDoSection]? = nil
    /// An organisation account not linked to a person of the register: it has no to-dos.
    var toDoUnlinked = false
  }

  static func view(_ model: Model, user: CurrentUser, req: Request) -> View {
    let isManager = Policy.can(user.principal, .manageRegister)
    var registerStats: [View.Stat] = []
    if model.peopleTotal > 0 {
      registerStats.append(.init(label: req.t("dashboard.people_total"), value: "\(model.peopleTotal)", href: SiteRoute.people.path))
      for (type, count) in model.peopleByType {
        registerStats.append(
          .init(
            label: req.t(type.labelKey), value: "\(count)",
            href: SiteRoute.people.path(query: [("type", type.rawValue)])))
      }
    }
    if model.departmentCount > 0 {
      registerStats.append(
        .init(label: req.t("dashboard.departments"), value: "\(model.departmentCount)", href: SiteRoute.departments.path))
    }
    var accountStats: [View.Stat] = []
    if isManager {
      accountStats.append(
        .init(label: req.t("dashboard.accounts_active"), value: "\(model.activeAccounts)", href: SiteRoute.organisationUsers.path))
      if model.invitedAccounts > 0 {
        accountStats.append(
          .init(
            label: req.t("dashboard.accounts_invited"), value: "\(model.invitedAccounts)",
            href: SiteRoute.organisationUsers.path))
      }
    }
    let leavers = model.leavers.map { leaver in
      let remaining: String
      if let exit = leaver.exitDate {
        let days = model.today.days(until: exit)
        remaining = days == 0 ? req.t("dashboard.exit_today") : req.t("dashboard.days_left", ["days": "\(days)"])
      } else {
        remaining = req.t("dashboard.exit_unset")
      }
      return View.Leaver(
        name: leaver.name, href: SiteRoute.person(leaver.personID).path, department: leaver.department ?? "",
        employment: req.t(leaver.employment.labelKey), notice: req.display(leaver.noticeDate) ?? "—",
        exit: req.display(leaver.exitDate) ?? "—", remaining: remaining)
    }
    var operatorStats: [View.Stat] = []
    if let counts = model.operatorCounts {
      operatorStats = [
        .init(label: req.t("dashboard.organisations"), value: "\(counts.organisations)", href: SiteRoute.adminOrganisations.path),
        .init(label: req.t("dashboard.bodies"), value: "\(counts.bodies)", href: SiteRoute.adminBodies.path),
        .init(label: req.t("dashboard.users"), value: "\(counts.users)", href: nil),
      ]
    }
    var view = View(
      greeting: req.t("dashboard.greeting", ["name": user.displayName]),
      today: DateDisplay.dateWithWeekday(model.today, req.language),
      organisation: model.organisationName,
      registerStats: registerStats.nonEmpty,
      accountStats: accountStats.nonEmpty,
      leavers: leavers.nonEmpty,
      auditGrants: model.auditGrants.map { grant in
        req.t("dashboard.audit_grant", ["body": grant.bodyName, "until": req.display(grant.endsOn) ?? "—"])
      }.nonEmpty,
      audits: model.audits.map {
        View.Audit(organisation: $0.organisationName, href: SiteRoute.audit($0.accessID).path, until: req.display($0.endsOn) ?? "—")
      }.nonEmpty,
      ownRecord: model.ownPerson.map { person in
        View.OwnRecord(
          name: person.fullName, department: model.ownDepartment ?? "—", title: person.jobTitle,
          employment: req.t(person.employment.labelKey))
      },
      operatorStats: operatorStats.nonEmpty,
      findings: findingsSummary(model.findings, req: req),
      startSteps: isManager && model.peopleTotal == 0
        ? [
          .init(label: req.t("dashboard.start_selfcheck"), value: "1", href: SiteRoute.assessments.path + "#start-heading"),
          .init(label: req.t("dashboard.start_departments"), value: "2", href: SiteRoute.departments.path),
          .init(label: req.t("dashboard.start_people"), value: "3", href: SiteRoute.personNew.path),
          .init(label: req.t("dashboard.start_users"), value: "4", href: SiteRoute.organisationUsers.path),
        ] : nil,
      isManager: isManager)
    view.toDo = toDoSections(model, user: user, req: req)
    view.toDoUnlinked = user.organisationID != nil && !model.toDo.linked && !isManager
    return view
  }
}
