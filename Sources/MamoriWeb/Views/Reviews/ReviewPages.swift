import Fluent
import Foundation
import MamoriCore
import SQLKit
import Vapor

/// The handlers of the access review pages: decode, call ``AccessReviews``, present.
extension ReviewPages {
  /// `/reviews`: the campaigns and the form that opens one.
  @Sendable static func index(req: Request) async throws -> Response {
    let tenant = try await req.tenant()
    return try await renderIndex(req, values: ["due_on": tenant.today.adding(days: 30).iso], errors: [:])
  }

  static func renderIndex(_ req: Request, values: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok)
    async throws -> Response
  {
    let tenant = try await req.tenant()
    let campaigns = try await campaigns(organisationID: tenant.organisationID, on: req.db)
    return try await req.renderPage(
      "reviews", title: req.t("reviews.title"),
      body: indexView(campaigns, today: tenant.today, values: values, errors: errors, req: req), status: status)
  }

  struct OpenForm: Content {
    var name: String?
    var due_on: String?
  }

  @Sendable static func open(req: Request) async throws -> Response {
    let form = try req.content.decode(OpenForm.self)
    let tenant = try await req.tenant()
    let draft = AccessReviewDraft(name: form.name ?? "", dueOn: form.due_on ?? "")
    do {
      let review = try await AccessReviews.open(
        draft, organisationID: tenant.organisationID, createdBy: try req.requireUser().id, today: tenant.today,
        actor: req.auditActor, now: req.now, on: req.db)
      return req.redirect(to: SiteRoute.review(try review.requireID()), flash: .reviewOpened)
    } catch let invalid as ValidationFailure {
      return try await renderIndex(
        req, values: ["name": draft.name, "due_on": draft.dueOn], errors: req.messages(invalid.issues), status: .unprocessableEntity)
    }
  }

  /// `/reviews/:reviewID`: progress per owner and the items, filterable by owner and decision.
  @Sendable static func show(req: Request) async throws -> Response {
    let review = try await req.find(AccessReview.self, "reviewID")
    let tenant = try await req.tenant()
    let reviewID = try review.requireID()
    let filter = Filter(query: req.query)
    let owners = try await progress(reviewID: reviewID, organisationID: tenant.organisationID, on: req.db)
    let reviewCondition = SQLBinaryExpression(SQLColumn("review_id", table: "i"), .equal, SQLBind(reviewID))
    let (items, matching) = try await items(
      organisationID: tenant.organisationID, where: [reviewCondition] + filter.conditions, page: filter.page, on: req.db)
    let campaign = Campaign(
      id: reviewID, name: review.name, startsOn: review.startsOn, dueOn: review.dueOn, closedOn: review.closedOn, createdBy: nil,
      total: owners.reduce(0) { $0 + $1.total }, decided: owners.reduce(0) { $0 + $1.decided })
    return try await req.renderPage(
      "review", title: review.name,
      body: showView(
        campaign, owners: owners, items: items, matching: matching, filter: filter, today: tenant.today, user: req.currentUser,
        req: req))
  }

  @Sendable static func close(req: Request) async throws -> Response {
    let review = try await req.find(AccessReview.self, "reviewID")
    let tenant = try await req.tenant()
    try await AccessReviews.close(
      review, closedBy: try req.requireUser().id, today: tenant.today, actor: req.auditActor, now: req.now, on: req.db)
    return req.redirect(to: SiteRoute.review(try review.requireID()), flash: .reviewClosed)
  }

  struct DecisionForm: Content {
    var decision: String?
    var comment: String?
    var from: String?
  }

  /// A decision from the owner's page or, on an owner's behalf, from the campaign's page; back to where
  /// the button was.
  @Sendable static func decide(req: Request) async throws -> Response {
    let item = try await req.find(AccessReviewItem.self, "reviewItemID")
    let user = try req.requireUser()
    let tenant = try await req.tenant()
    let form = try req.content.decode(DecisionForm.self)
    let decision = form.decision.flatMap(ReviewDecision.init(rawValue:))
    let back =
      form.from == "campaign" && Policy.can(user.principal, .manageRegister)
      ? SiteRoute.review(item.$review.id).path : SiteRoute.myReviews.path
    do {
      try await AccessReviews.decide(
        item, decision: decision, comment: form.comment ?? "",
        reviewer: .init(userID: user.id, principal: user.principal, personID: user.personID), today: tenant.today,
        actor: req.auditActor, now: req.now, on: req.db)
    } catch let invalid as ValidationFailure {
      let keys = Set(invalid.issues.map(\.key))
      let message: FlashMessage =
        keys.contains("validation.review_closed")
        ? .errorReviewClosed : keys.contains("validation.review_decided") ? .errorReviewDecided : .errorReviewInvalid
      return req.redirect(to: back, flash: message)
    }
    return req.redirect(to: back, flash: decision == .revoke ? .reviewRevoked : .reviewConfirmed)
  }

  /// `/my-reviews`: the grants to the signed-in user's own assets in running campaigns.
  @Sendable static func mine(req: Request) async throws -> Response {
    let user = try req.requireUser()
    let tenant = try await req.tenant()
    let page = max(1, min(100_000, (try? req.query.get(Int.self, at: "page")) ?? 1))
    var items: [Item] = []
    var matching = 0
    var pending = 0
    if let personID = user.personID {
      (items, matching) = try await ownItems(personID: personID, organisationID: tenant.organisationID, page: page, on: req.db)
      pending = try await pendingCount(personID: personID, organisationID: tenant.organisationID, on: req.db).count
    }
    return try await req.renderPage(
      "my-reviews", title: req.t("reviews.mine_title"),
      body: mineView(items, matching: matching, page: page, pending: pending, today: tenant.today, user: user, req: req))
  }
}
