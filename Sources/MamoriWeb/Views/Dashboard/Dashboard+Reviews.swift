import Foundation
import MamoriCore
import Vapor

/// The home page's access review block: how many grants to the user's own assets wait for their
/// decision in running campaigns, linking to their review page. Shown only when there are some.
extension Dashboard {
  struct ReviewsCard: Encodable, Sendable {
    var text: String
    var href: String
    var due: String?
  }

  static func reviewsCard(_ req: Request) async throws -> ReviewsCard? {
    guard let user = req.currentUser, let personID = user.personID, user.organisationID != nil,
      Policy.can(user.principal, .reviewOwnAssets)
    else { return nil }
    let tenant = try await req.tenant()
    let pending = try await ReviewPages.pendingCount(personID: personID, organisationID: tenant.organisationID, on: req.db)
    guard pending.count > 0 else { return nil }
    return ReviewsCard(
      text: req.t("reviews.home_pending", ["count": "\(pending.count)"]), href: SiteRoute.myReviews.path,
      due: pending.due.map { req.t("reviews.home_due", ["date": req.display($0) ?? ""]) })
  }
}
