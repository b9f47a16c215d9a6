import Foundation
import MamoriCore
import Vapor

/// Pledges as the person page and the pledges list show them.
extension PledgesPage {
  struct Row: Encodable, Sendable {
    var person: String?
    var personHref: String?
    var kind: String
    var kindCode: String
    var signedOn: String
    /// Set when the person acknowledged the pledge in Mamori (nil for one recorded from paper).
    var method: String?
    var scope: String
    var group: String
    var file: String?
    var fileHref: String?
    var recordedBy: String
    var deleteAction: String?
  }

  /// The person page's pledges and the form that records one.
  struct Section: Encodable, Sendable {
    var rows: [Row]?
    var action: String
    /// Kind, signed on, scope, asset group and the scanned file.
    var fields: [FormField]
    var leaver: LeaverState?
  }

  /// The person's leaver case, as the person page summarises it.
  struct LeaverState: Encodable, Sendable {
    var status: String
    var statusCode: String
    var progress: String
    var overdue: String?
    var href: String
  }

  static func row(_ pledge: Pledge, person: Person?, userNames: [UUID: String], withDelete: Bool, req: Request) -> Row {
    Row(
      person: person?.fullName, personHref: person.map { SiteRoute.person($0.id).path },
      kind: req.t(pledge.kind.labelKey), kindCode: pledge.kind.rawValue, signedOn: req.display(pledge.signedOn) ?? "",
      method: pledge.method == .acknowledged ? req.t(pledge.method.labelKey) : nil,
      scope: pledge.scope.isEmpty ? "—" : pledge.scope, group: pledge.assetGroup.isEmpty ? req.t("pledges.whole_organisation") : pledge.assetGroup,
      file: pledge.fileName, fileHref: pledge.storageKey == nil ? nil : SiteRoute.pledgeFile(pledge.id).path,
      recordedBy: pledge.$recordedBy.id.flatMap { userNames[$0] } ?? "—",
      deleteAction: withDelete ? SiteRoute.pledgeDelete(pledge.id).path : nil)
  }

  static func section(
    person: Person, pledges: [Pledge], userNames: [UUID: String], groups: [String], leaver: (LeaverCase, [LeaverTask])?,
    today: CivilDate, values: [String: String] = [:], errors: FieldErrors = [:], req: Request
  ) -> Section {
    let kind = values["kind"] ?? PledgeKind.required(for: person.employment).rawValue
    let group = values["asset_group"] ?? ""
    var leaverState: LeaverState?
    if let leaver {
      let (leaverCase, tasks) = leaver
      let overdue = tasks.filter { $0.isOverdue(on: today) }.count
      leaverState = LeaverState(
        status: req.t("leavers.status.\(leaverCase.status.rawValue)"), statusCode: leaverCase.status.rawValue,
        progress: req.t("leavers.progress", ["done": "\(tasks.filter(\.isDone).count)", "total": "\(tasks.count)"]),
        overdue: overdue > 0 ? req.t("leavers.overdue_count", ["count": "\(overdue)"]) : nil,
        href: SiteRoute.leaver(leaverCase.id).path)
    }
    return Section(
      rows: pledges.map { row($0, person: nil, userNames: userNames, withDelete: true, req: req) }.nonEmpty,
      action: SiteRoute.personPledges(person.id).path,
      fields: [.select(
        "kind", label: req.t("pledges.field.kind"),
        options: PledgeKind.allCases.map { FormField.Option(value: $0.rawValue, label: req.t($0.labelKey), selected: $0.rawValue == kind) },
        errors: errors, required: true),
      FormField(
        name: "signed_on", label: req.t("pledges.field.signed_on"), type: "date", value: values["signed_on"] ?? today.iso, required: true,
        error: errors.messages["signed_on"]),
      .text(PledgeDraft.scopeRule, label: req.t("pledges.field.scope"), value: values["scope"], errors: errors,
        hint: req.t("pledges.scope_hint")),
      .select(
        "asset_group", label: req.t("pledges.field.asset_group"),
        options: [FormField.Option(value: "", label: req.t("pledges.whole_organisation"), selected: group.isEmpty)]
          + groups.map { FormField.Option(value: $0, label: $0, selected: $0 == group) },
        errors: errors),
      FormField(
        name: "file", label: req.t("pledges.field.file"), type: "file", hint: req.t("assessments.evidence_hint"),
        error: errors.messages["file"])],
      leaver: leaverState)
  }

  /// The person page's open requests and request form; the kind proposed is the one the person's
  /// employment requires.
  static func requestSection(
    person: Person, model: PersonModel, today: CivilDate, values: [String: String], errors: FieldErrors, req: Request
  ) -> PledgeRequestPages.Section {
    PledgeRequestPages.Section(
      withPerson: false,
      rows: model.requests.map { PledgeRequestPages.row($0, person: nil, userNames: model.userNames, today: today, req: req) }.nonEmpty,
      action: SiteRoute.personPledgeRequests(person.id).path,
      fields: PledgeRequestPages.fields(
        kind: PledgeKind.required(for: person.employment), groups: model.groups, withLogin: false, today: today, values: values,
        errors: errors, req: req))
  }

  struct ListView: Encodable, Sendable {
    var kinds: [PeopleIndex.View.Option]
    var rows: [Row]?
    var summary: String
    var pages: [PeopleIndex.View.PageLink]?
    var action = SiteRoute.pledges.path
    /// Open requests of the organisation and the form that makes one by login name.
    var pledgeRequests: PledgeRequestPages.Section? = nil
  }
}
