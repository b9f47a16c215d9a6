import Fluent
import Foundation
import MamoriCore
import Vapor

/// One asset: what it is, its level's handling rule, its core-technology answers and who holds grants.
enum AssetShow {
  struct Model {
    var asset: Asset
    var rule: HandlingRule?
    var grants: [Grant]
    var candidates: [Person]
    var today: CivilDate
    /// The access review items of this asset's grants, newest campaign first (at most `reviewLimit`).
    var reviewItems: [AccessReviewItem] = []
  }

  /// The most review decisions the asset page lists; the campaigns' pages have the rest.
  static let reviewLimit = 100

  struct View: Encodable, Sendable {
    /// `maxlength` of the grant form's reason, from the grant's rule.
    var reasonLimit = GrantDraft.maximumReason
    struct Fact: Encodable, Sendable {
      var label: String
      var value: String
    }

    struct GrantRow: Encodable, Sendable {
      var person: String
      var personHref: String
      var reason: String
      var grantedOn: String
      var grantedBy: String
      var expiresOn: String
      var state: String
      var stateCode: String
      var revokeAction: String?
    }

    var code: String
    var name: String
    var level: String
    var levelCode: String
    var facts: [Fact]
    var description: String?
    var core: [Fact]?
    var rule: [Fact]?
    var rulesHref: String
    var grants: [GrantRow]?
    var candidates: [PeopleIndex.View.Option]?
    var grantAction: String
    var values: [String: String]
    var errors: FieldErrors
    var editHref: String
    var deleteAction: String
    var backHref: String
    /// The review campaigns' decisions on this asset's grants (AssetShow.reviewRows).
    var reviews: [ReviewRow]? = nil
    var reviewsLimited: String? = nil
  }

  struct ReviewRow: Encodable, Sendable {
    var campaign: String
    var campaignHref: String
    var person: String
    var personHref: String
    var decision: String
    var decisionCode: String
    var decidedBy: String
    var comment: String
  }

  static func load(_ req: Request, asset: Asset) async throws -> Model {
    let tenant = try await req.tenant()
    try await asset.$owner.load(on: req.db)
    let rule = try await HandlingRule.query(in: tenant.organisationID, on: req.db).filter(\.$level == asset.level).first()
    let grants = try await Grant.query(in: tenant.organisationID, on: req.db).filter(\.$asset.$id == asset.requireID())
      .with(\.$person).with(\.$grantedBy).sort(\.$grantedOn, .descending).all()
    // Everyone not yet past their last working day may be granted access.
    let candidates = try await Person.query(in: tenant.organisationID, on: req.db)
      .group(.or) { $0.filter(\.$exitDate == nil).filter(\.$exitDate >= tenant.today) }
      .sort(\.$code).all()
    // The reviews of its grants: one query for the items, one per relation (campaigns, grants with
    // their people, deciders), whatever the number of rows.
    let reviewItems = try await AccessReviewItem.query(in: tenant.organisationID, on: req.db).filter(\.$asset.$id == asset.requireID())
      .join(AccessReview.self, on: \AccessReviewItem.$review.$id == \AccessReview.$id)
      .sort(AccessReview.self, \.$startsOn, .descending).sort(AccessReview.self, \.$createdAt, .descending).sort(\.$createdAt)
      .with(\.$review).with(\.$grant) { $0.with(\.$person) }.with(\.$decidedBy)
      .range(..<(reviewLimit + 1)).all()
    return Model(asset: asset, rule: rule, grants: grants, candidates: candidates, today: tenant.today, reviewItems: reviewItems)
  }

  static func ruleFacts(_ rule: HandlingRule?, req: Request) -> [View.Fact]? {
    guard let rule else { return nil }
    let facts: [View.Fact] = [
      ("marking", rule.marking), ("copying", rule.copying), ("printing", rule.printing), ("taking_out", rule.takingOut),
      ("sending", rule.sending), ("storage", rule.storage), ("disposal", rule.disposal),
    ].filter { !$0.1.isEmpty }.map { .init(label: req.t("handling_rules.field.\($0.0)"), value: $0.1) }
    return facts.nonEmpty
  }

  static func reviewRows(_ items: [AccessReviewItem], req: Request) -> [ReviewRow] {
    items.prefix(reviewLimit).map { item in
      let decision = item.decision?.rawValue ?? "pending"
      var decidedBy = "—"
      if let at = item.decidedAt {
        decidedBy = req.t(
          item.onBehalf ? "reviews.decided_on_behalf" : "reviews.decided_by",
          ["name": item.decidedBy?.displayName ?? "—", "at": req.display(at) ?? ""])
      }
      return ReviewRow(
        campaign: item.review.name, campaignHref: SiteRoute.review(item.$review.id).path, person: item.grant.person.fullName,
        personHref: SiteRoute.person(item.grant.$person.id).path, decision: req.t("reviews.decision.\(decision)"), decisionCode: decision,
        decidedBy: decidedBy, comment: item.comment.isEmpty ? "—" : item.comment)
    }
  }

  static func view(_ model: Model, values: [String: String], errors: [String: String], req: Request) throws -> View {
    let asset = model.asset
    let id = try asset.requireID()
    let facts: [View.Fact] = [
      .init(label: req.t("assets.field.code"), value: asset.code),
      .init(label: req.t("assets.field.form"), value: req.t(asset.form.labelKey)),
      .init(label: req.t("assets.field.location"), value: asset.location),
      .init(label: req.t("assets.field.group"), value: asset.group.isEmpty ? "—" : asset.group),
      .init(label: req.t("assets.field.owner"), value: asset.owner?.fullName ?? req.t("assets.no_owner")),
      .init(label: req.t("assets.field.retention"), value: asset.retention.isEmpty ? "—" : asset.retention),
      .init(label: req.t("assets.field.disposal"), value: asset.disposal.isEmpty ? "—" : asset.disposal),
    ]
    var core: [View.Fact]?
    if asset.isCore {
      core = [
        .init(label: req.t("assets.field.core_source"), value: asset.coreSource),
        .init(label: req.t("assets.field.core_superiority"), value: asset.coreSuperiority),
        .init(label: req.t("assets.field.core_existence"), value: asset.coreExistence),
        .init(
          label: req.t("assets.field.designated_technology"),
          value: asset.designatedTechnology.map { "\($0.number). " + req.t($0.labelKey) } ?? req.t("assets.designated_none")),
      ]
    }
    let grants = model.grants.compactMap { grant -> View.GrantRow? in
      guard let grantID = grant.id else { return nil }
      let state: String
      if grant.isRevoked {
        state = "revoked"
      } else if grant.isExpired(on: model.today) {
        state = "expired"
      } else {
        state = "valid"
      }
      return View.GrantRow(
        person: grant.person.fullName, personHref: SiteRoute.person(grant.$person.id).path,
        reason: grant.reason.isEmpty ? "—" : grant.reason, grantedOn: req.display(grant.grantedOn) ?? "",
        grantedBy: grant.grantedBy?.displayName ?? "—", expiresOn: req.display(grant.expiresOn) ?? req.t("grants.no_expiry"),
        state: state == "revoked"
          ? req.t("grants.state.revoked", ["date": req.display(grant.revokedOn) ?? ""]) : req.t("grants.state.\(state)"),
        stateCode: state, revokeAction: grant.isRevoked ? nil : SiteRoute.grantRevoke(grantID).path)
    }
    var values = values
    if values["granted_on"] == nil { values["granted_on"] = model.today.iso }
    return View(
      code: asset.code, name: asset.name, level: req.t(asset.level.labelKey), levelCode: asset.level.rawValue, facts: facts,
      description: asset.details.isEmpty ? nil : asset.details, core: core, rule: ruleFacts(model.rule, req: req),
      rulesHref: SiteRoute.handlingRules.path, grants: grants.nonEmpty,
      candidates: model.candidates.compactMap { person in
        person.id.map {
          .init(
            value: $0.uuidString.lowercased(), label: "\(person.fullName) (\(person.loginName))",
            selected: $0.uuidString.lowercased() == values["person_id"])
        }
      }.nonEmpty,
      grantAction: SiteRoute.assetGrants(id).path, values: values, errors: FieldErrors(errors),
      editHref: SiteRoute.assetEdit(id).path, deleteAction: SiteRoute.assetDelete(id).path, backHref: SiteRoute.assets.path,
      reviews: reviewRows(model.reviewItems, req: req).nonEmpty,
      reviewsLimited: model.reviewItems.count > reviewLimit ? req.t("assets.reviews_limited", ["count": "\(reviewLimit)"]) : nil)
  }
}
