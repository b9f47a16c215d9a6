import Foundation
import MamoriCore
import Vapor

/// The access review pages as templates show them: texts translated, dates formatted, links built.
extension ReviewPages {
  struct CampaignRow: Encodable, Sendable {
    var name: String
    var href: String
    var period: String
    var state: String
    var stateCode: String
    var progress: String
    var createdBy: String
  }

  struct IndexView: Encodable, Sendable {
    var rows: [CampaignRow]?
    var fields: [FormField]
    var errors: FieldErrors
    var action = SiteRoute.reviews.path
    /// The running campaign's name when one runs (a new one waits for it to close).
    var running: String?
    var runningHref: String?
  }

  struct ItemRow: Encodable, Sendable {
    var id: String
    var campaign: String?
    var asset: String
    var assetHref: String?
    var level: String
    var levelCode: String
    var person: String
    var personHref: String?
    var reason: String
    var grantedOn: String
    var expiresOn: String
    /// Set when the grant ended after the campaign was opened (revoked or expired).
    var grantState: String?
    var owner: String
    var decision: String?
    var decisionCode: String
    var decided: String?
    var comment: String?
    /// Where the decision form posts, when this user may decide the item now.
    var decideAction: String?
    var onBehalf: Bool
  }

  struct OwnerRow: Encodable, Sendable {
    var name: String
    var account: String?
    var progress: String
    var complete: Bool
    var href: String
  }

  struct ShowView: Encodable, Sendable {
    var name: String
    var period: String
    var state: String
    var stateCode: String
    var progress: String
    var owners: [OwnerRow]?
    var ownerOptions: [FormField.Option]
    var decisionOptions: [FormField.Option]
    var filterAction: String
    var summary: String
    var clearHref: String?
    var items: [ItemRow]?
    var pages: [PeopleIndex.View.PageLink]?
    var closeAction: String?
    var backHref = SiteRoute.reviews.path
    var commentMax = AccessReviewDraft.comment.maximum
    var from = "campaign"
    var showOwner = true
    var showCampaign = false
  }

  struct MineView: Encodable, Sendable {
    var summary: String
    var items: [ItemRow]?
    var pages: [PeopleIndex.View.PageLink]?
    /// The user's account is linked to no person of the register, so no asset can be theirs.
    var unlinked: Bool
    var commentMax = AccessReviewDraft.comment.maximum
    var from = "mine"
    var showOwner = false
    var showCampaign = true
  }

  static func state(closedOn: CivilDate?, dueOn: CivilDate, today: CivilDate) -> String {
    if closedOn != nil { return "closed" }
    return dueOn < today ? "overdue" : "running"
  }

  static func period(_ start: CivilDate, _ end: CivilDate, req: Request) -> String {
    req.t("reviews.period", ["from": req.display(start) ?? "", "to": req.display(end) ?? ""])
  }

  static func formFields(values: [String: String], errors: FieldErrors, req: Request) -> [FormField] {
    [
      .text(AccessReviewDraft.name, label: req.t("reviews.field.name"), value: values["name"], errors: errors, hint: req.t("reviews.name_hint")),
      FormField(
        name: "due_on", label: req.t("reviews.field.due_on"), type: "date", value: values["due_on"] ?? "", required: true,
        hint: req.t("reviews.due_hint"), error: errors.messages["due_on"]),
    ]
  }

  static func indexView(_ campaigns: [Campaign], today: CivilDate, values: [String: String], errors: [String: String], req: Request)
    -> IndexView
  {
    let running = campaigns.first { $0.closedOn == nil }
    return IndexView(
      rows: campaigns.map { campaign in
        let state = state(closedOn: campaign.closedOn, dueOn: campaign.dueOn, today: today)
        return CampaignRow(
          name: campaign.name, href: SiteRoute.review(campaign.id).path, period: period(campaign.startsOn, campaign.dueOn, req: req),
          state: req.t("reviews.state.\(state)"), stateCode: state,
          progress: req.t("reviews.progress", ["decided": "\(campaign.decided)", "all": "\(campaign.total)"]),
          createdBy: campaign.createdBy ?? "—")
      }.nonEmpty,
      fields: formFields(values: values, errors: FieldErrors(errors), req: req), errors: FieldErrors(errors),
      running: running?.name, runningHref: running.map { SiteRoute.review($0.id).path })
  }

  /// One item as a row; `user` decides whether it carries a decision form and links to register pages.
  static func itemRow(_ item: Item, today: CivilDate, user: CurrentUser?, showCampaign: Bool, req: Request) -> ItemRow {
    let manager = user.map { Policy.can($0.principal, .manageRegister) } ?? false
    let right = Policy.can(user?.principal, personID: user?.personID, decide: item.subject)
    var grantState: String?
    if let revoked = item.revokedOn {
      grantState = req.t("grants.state.revoked", ["date": req.display(revoked) ?? ""])
    } else if let expiry = item.expiresOn, expiry < today {
      grantState = req.t("grants.state.expired")
    }
    var decided: String?
    if item.decision != nil {
      decided = req.t(
        item.onBehalf ? "reviews.decided_on_behalf" : "reviews.decided_by",
        ["name": item.decidedBy ?? "—", "at": req.display(item.decidedAt) ?? ""])
    }
    return ItemRow(
      id: item.id.uuidString.lowercased(), campaign: showCampaign ? item.reviewName : nil, asset: "\(item.assetCode) \(item.assetName)",
      assetHref: manager ? SiteRoute.asset(item.assetID).path : nil, level: req.t(item.level.labelKey), levelCode: item.level.rawValue,
      person: "\(item.personName) (\(item.loginName))", personHref: manager ? SiteRoute.person(item.personID).path : nil,
      reason: item.reason.isEmpty ? "—" : item.reason, grantedOn: req.display(item.grantedOn) ?? "—",
      expiresOn: req.display(item.expiresOn) ?? req.t("grants.no_expiry"), grantState: grantState,
      owner: item.ownerName.map { item.ownerID != nil && !item.ownerHasAccount ? req.t("reviews.owner_no_account", ["name": $0]) : $0 }
        ?? req.t("reviews.no_owner"),
      decision: item.decision.map { req.t($0.labelKey) }, decisionCode: item.decision?.rawValue ?? "pending", decided: decided,
      comment: item.comment.isEmpty ? nil : item.comment,
      decideAction: item.decision == nil && !item.isClosed && right != nil ? SiteRoute.reviewItemDecision(item.id).path : nil,
      onBehalf: right == .onBehalf)
  }

  static func pageLinks(_ matching: Int, page: Int, href: ([(String, String)]) -> String, query: [(String, String)])
    -> [PeopleIndex.View.PageLink]?
  {
    let pageCount = max(1, (matching + pageSize - 1) / pageSize)
    guard pageCount > 1 else { return nil }
    return (1...pageCount).map { number in
      PeopleIndex.View.PageLink(label: "\(number)", href: href(query + [("page", "\(number)")]), current: number == page)
    }
  }

  static func showView(
    _ campaign: Campaign, owners: [OwnerProgress], items: [Item], matching: Int, filter: Filter, today: CivilDate, user: CurrentUser?,
    req: Request
  ) -> ShowView {
    let state = state(closedOn: campaign.closedOn, dueOn: campaign.dueOn, today: today)
    let route = SiteRoute.review(campaign.id)
    var ownerOptions = [FormField.Option(value: "", label: req.t("reviews.filter_all_owners"), selected: filter.owner == nil)]
    for owner in owners {
      let value = owner.ownerID?.uuidString.lowercased() ?? "none"
      ownerOptions.append(.init(value: value, label: owner.name ?? req.t("reviews.no_owner"), selected: filter.owner == value))
    }
    let decisionOptions = [("", "reviews.filter_all_decisions"), ("pending", "reviews.decision.pending"), ("confirm", "reviews.decision.confirm"), ("revoke", "reviews.decision.revoke")]
      .map { FormField.Option(value: $0.0, label: req.t($0.1), selected: (filter.decision ?? "") == $0.0) }
    return ShowView(
      name: campaign.name, period: period(campaign.startsOn, campaign.dueOn, req: req), state: req.t("reviews.state.\(state)"),
      stateCode: state, progress: req.t("reviews.progress", ["decided": "\(campaign.decided)", "all": "\(campaign.total)"]),
      owners: owners.map { owner in
        OwnerRow(
          name: owner.name ?? req.t("reviews.no_owner"),
          account: owner.ownerID != nil && !owner.hasAccount ? req.t("reviews.no_account") : nil,
          progress: req.t("reviews.progress", ["decided": "\(owner.decided)", "all": "\(owner.total)"]),
          complete: owner.decided == owner.total,
          href: route.path(query: [("owner", owner.ownerID?.uuidString.lowercased() ?? "none")]))
      }.nonEmpty,
      ownerOptions: ownerOptions, decisionOptions: decisionOptions, filterAction: route.path,
      summary: req.t("reviews.items_count", ["count": "\(matching)"]), clearHref: filter.query.isEmpty ? nil : route.path,
      items: items.map { itemRow($0, today: today, user: user, showCampaign: false, req: req) }.nonEmpty,
      pages: pageLinks(matching, page: filter.page, href: { route.path(query: $0) }, query: filter.query),
      closeAction: campaign.closedOn == nil ? SiteRoute.reviewClose(campaign.id).path : nil)
  }

  static func mineView(_ items: [Item], matching: Int, page: Int, pending: Int, today: CivilDate, user: CurrentUser?, req: Request)
    -> MineView
  {
    MineView(
      summary: req.t("reviews.mine_summary", ["count": "\(pending)"]),
      items: items.map { itemRow($0, today: today, user: user, showCampaign: true, req: req) }.nonEmpty,
      pages: pageLinks(matching, page: page, href: { SiteRoute.myReviews.path(query: $0) }, query: []),
      unlinked: user?.personID == nil)
  }
}
