import Foundation
import MamoriCore
import Vapor

extension LeaversPage {
  struct ListView: Encodable, Sendable {
    struct Row: Encodable, Sendable {
      var name: String
      var href: String
      var code: String
      var employment: String
      var exit: String
      var leaving: String
      var status: String
      var statusCode: String
      var progress: String
      var overdue: String?
      var nextDue: String
    }

    var statuses: [PeopleIndex.View.Option]
    var rows: [Row]?
    var summary: String
    var pages: [PeopleIndex.View.PageLink]?
    var action = SiteRoute.leavers.path
    var pledgesHref = SiteRoute.pledges.path
  }

  static func listView(_ model: ListModel, req: Request) -> ListView {
    let rows = model.rows.map { row -> ListView.Row in
      let done = row.tasks.filter(\.isDone).count
      let overdue = row.tasks.filter { $0.isOverdue(on: model.today) }.count
      let nextDue = row.tasks.filter { !$0.isDone }.compactMap(\.dueOn).min()
      return ListView.Row(
        name: row.person.fullName, href: SiteRoute.leaver(row.leaverCase.id).path, code: row.person.code,
        employment: req.t(row.person.employment.labelKey), exit: req.display(row.person.exitDate) ?? "—",
        leaving: req.display(row.person.leavingDate) ?? "—", status: req.t("leavers.status.\(row.leaverCase.status.rawValue)"),
        statusCode: row.leaverCase.status.rawValue,
        progress: req.t("leavers.progress", ["done": "\(done)", "total": "\(row.tasks.count)"]),
        overdue: overdue > 0 ? req.t("leavers.overdue_count", ["count": "\(overdue)"]) : nil,
        nextDue: req.display(nextDue) ?? "—")
    }
    let pages: [PeopleIndex.View.PageLink] =
      model.pageCount > 1
      ? (1...model.pageCount).map { number in
        PeopleIndex.View.PageLink(
          label: "\(number)",
          href: SiteRoute.leavers.path(query: [("status", model.status.rawValue), ("page", "\(number)")]),
          current: number == model.page)
      } : []
    return ListView(
      statuses: StatusFilter.allCases.map {
        PeopleIndex.View.Option(value: $0.rawValue, label: req.t("leavers.filter.\($0.rawValue)"), selected: $0 == model.status)
      },
      rows: rows.nonEmpty, summary: req.t("leavers.summary", ["count": "\(model.matching)"]), pages: pages.nonEmpty)
  }

  struct CaseView: Encodable, Sendable {
    struct Item: Encodable, Sendable {
      var kind: String
      var label: String
      var hint: String
      /// Owner, due day and note.
      var fields: [FormField]
      var doneName: String
      var done: Bool
      var doneText: String?
      var overdue: Bool
      var dueText: String
    }

    struct GrantRow: Encodable, Sendable {
      var asset: String
      var assetHref: String
      var level: String
      var levelCode: String
      var grantedOn: String
    }

    struct PledgeRow: Encodable, Sendable {
      var kind: String
      var signedOn: String
    }

    var name: String
    var personHref: String
    var status: String
    var statusCode: String
    var facts: [PersonShow.View.Fact]
    var items: [Item]
    var saveAction: String
    var grants: [GrantRow]?
    var revokeAllAction: String?
    var revokeAllLabel: String
    var window: String
    var windowSource: String
    var pledges: [PledgeRow]?
    var leavingPledgeMissing: Bool
    var backHref = SiteRoute.leavers.path
  }

  static func caseView(_ model: CaseModel, values: [String: String]? = nil, errors: FieldErrors = [:], req: Request) -> CaseView {
    let person = model.person
    let userOptions = model.users.compactMap { user -> (UUID, String)? in
      guard let id = user.id else { return nil }
      return (id, user.displayName)
    }
    let names = Dictionary(userOptions, uniquingKeysWith: { first, _ in first })
    let items = model.tasks.map { task -> CaseView.Item in
      let kind = task.kind
      func value(_ name: String, _ stored: String) -> String { values?[Leavers.field(name, kind)] ?? stored }
      let owner = value("owner", task.$owner.id?.uuidString.lowercased() ?? "")
      var doneText: String?
      if let day = task.doneOn {
        doneText = req.t(
          "leavers.done_by", ["date": req.display(day) ?? "", "name": task.$doneBy.id.flatMap { names[$0] } ?? req.t("leavers.someone")])
      }
      return CaseView.Item(
        kind: kind.rawValue, label: req.t(kind.labelKey), hint: req.t(kind.hintKey),
        fields: [.select(
          Leavers.field("owner", kind), label: req.t("leavers.field.owner"),
          options: [FormField.Option(value: "", label: req.t("leavers.no_owner"), selected: owner.isEmpty)]
            + userOptions.map { FormField.Option(value: $0.0.uuidString.lowercased(), label: $0.1, selected: $0.0.uuidString.lowercased() == owner) },
          errors: errors),
        FormField(
          name: Leavers.field("due", kind), label: req.t("leavers.field.due"), type: "date", value: value("due", task.dueOn?.iso ?? ""),
          error: errors.messages[Leavers.field("due", kind)]),
        .text(
          Leavers.noteRule.named(Leavers.field("note", kind)), label: req.t("leavers.field.note"), value: value("note", task.note),
          errors: errors)],
        doneName: Leavers.field("done", kind), done: values.map { $0[Leavers.field("done", kind)] != nil } ?? task.isDone,
        doneText: doneText, overdue: task.isOverdue(on: model.today),
        dueText: req.t("leavers.due_on", ["date": req.display(task.dueOn) ?? req.t("leavers.due_unknown")]))
    }
    let window = LeaverChecklist.monitoringWindow(notice: person.noticeDate, exit: person.exitDate)
    let windowText =
      window.map {
        req.t("leavers.window", ["start": req.display($0.lowerBound) ?? "", "end": req.display($0.upperBound) ?? ""])
      } ?? req.t("leavers.window_unknown")
    let facts: [PersonShow.View.Fact] = [
      .init(label: req.t("people.field.code"), value: person.code),
      .init(label: req.t("people.field.employment_type"), value: req.t(person.employment.labelKey)),
      .init(label: req.t("people.field.notice_date"), value: req.display(person.noticeDate) ?? "—"),
      .init(label: req.t("people.field.exit_date"), value: req.display(person.exitDate) ?? "—"),
      .init(label: req.t("people.field.leaving_date"), value: req.display(person.leavingDate) ?? "—"),
      .init(label: req.t("leavers.opened_on"), value: req.display(model.leaverCase.openedOn) ?? ""),
    ]
    let caseID = model.leaverCase.id
    return CaseView(
      name: person.fullName, personHref: SiteRoute.person(person.id).path,
      status: req.t("leavers.status.\(model.leaverCase.status.rawValue)"), statusCode: model.leaverCase.status.rawValue,
      facts: facts, items: items, saveAction: SiteRoute.leaver(caseID).path,
      grants: model.grants.map { grant in
        CaseView.GrantRow(
          asset: "\(grant.asset.code) \(grant.asset.name)", assetHref: SiteRoute.asset(grant.$asset.id).path,
          level: req.t(grant.asset.level.labelKey), levelCode: grant.asset.level.rawValue,
          grantedOn: req.display(grant.grantedOn) ?? "")
      }.nonEmpty,
      revokeAllAction: model.grants.isEmpty ? nil : SiteRoute.leaverRevokeAll(caseID).path,
      revokeAllLabel: req.t("leavers.revoke_all", ["count": "\(model.grants.count)"]),
      window: windowText,
      windowSource: req.t("leavers.window_source", ["days": "\(LeaverChecklist.monitoringDaysAfterLeaving)"]),
      pledges: model.pledges.map { CaseView.PledgeRow(kind: req.t($0.kind.labelKey), signedOn: req.display($0.signedOn) ?? "") }
        .nonEmpty,
      leavingPledgeMissing: !model.pledges.contains { $0.kind == .leaving })
  }
}
