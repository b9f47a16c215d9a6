import Fluent
import Foundation
import MamoriCore

extension DemoSeeder {
  /// Two access review campaigns over the demo's grants: last quarter's, closed with every grant
  /// decided (a few revoked), and this quarter's, past its due day and still open with some grants
  /// undecided — so that `grant-not-reviewed` appears and the member account has grants to review.
  /// Owners with an account decide their own; the officer decides, on their behalf, for assets whose
  /// owner has no account or which have none.
  static func seedReviews(organisationID: UUID, officerID: UUID?, today: CivilDate, on database: any Database) async throws -> [UUID] {
    var userByPerson: [UUID: UUID] = [:]
    var memberPerson: UUID?
    for user in try await User.query(in: organisationID, on: database).all() {
      guard let person = user.$person.id, let id = user.id else { continue }
      userByPerson[person] = id
      if user.role == .member { memberPerson = person }
    }
    var ownerByAsset: [UUID: UUID] = [:]
    var codeByAsset: [UUID: String] = [:]
    for asset in try await Asset.query(in: organisationID, on: database).all() {
      guard let id = asset.id else { continue }
      codeByAsset[id] = asset.code
      if let owner = asset.$owner.id { ownerByAsset[id] = owner }
    }
    var codeByPerson: [UUID: String] = [:]
    for person in try await Person.query(in: organisationID, on: database).all() { codeByPerson[person.id!] = person.code }
    let grants = try await Grant.query(in: organisationID, on: database).sort(\.$grantedOn).sort(\.$id).all()
    func inForce(_ grant: Grant, on day: CivilDate) -> Bool {
      grant.revokedOn == nil && grant.grantedOn <= day && (grant.expiresOn.map { $0 >= day } ?? true)
    }
    var reviewIDs: [UUID] = []
    for plan in DemoReviews.campaigns(today: today) {
      let review = AccessReview()
      review.id = UUID.random()
      review.$organisation.id = organisationID
      review.$createdBy.id = officerID
      review.name = plan.name
      review.startsOn = plan.startsOn
      review.dueOn = plan.dueOn
      if let closed = plan.closedOn {
        review.closedOn = closed
        review.$closedBy.id = officerID
      }
      try await review.create(on: database)
      let reviewID = try review.requireID()
      reviewIDs.append(reviewID)
      var items: [AccessReviewItem] = []
      for (index, grant) in grants.enumerated() where inForce(grant, on: review.startsOn) {
        let item = AccessReviewItem()
        item.$organisation.id = organisationID
        item.$review.id = reviewID
        item.$grant.id = try grant.requireID()
        item.$asset.id = grant.$asset.id
        item.$owner.id = ownerByAsset[grant.$asset.id]
        item.comment = ""
        item.onBehalf = false
        let decision = DemoReviews.decision(
          assetCode: codeByAsset[grant.$asset.id] ?? "", personCode: codeByPerson[grant.$person.id] ?? "",
          closed: plan.closedOn != nil, ownedByMember: item.$owner.id != nil && item.$owner.id == memberPerson)
        if let decision {
          let ownerUser = item.$owner.id.flatMap { userByPerson[$0] }
          let revoke = decision == .revoke
          item.decision = decision
          item.comment = revoke ? "担当替えのため不要（デモ）" : ""
          item.$decidedBy.id = ownerUser ?? officerID
          item.onBehalf = ownerUser == nil
          let day = (plan.closedOn ?? today).adding(days: -3 - index % 5)
          item.decidedAt = Date(timeIntervalSince1970: Double(day.daysSinceEpoch) * 86_400 + 2 * 3600)
          if revoke {
            grant.revokedOn = day
            grant.$revokedBy.id = item.$decidedBy.id
            try await grant.save(on: database)
          }
        }
        items.append(item)
      }
      for start in stride(from: 0, to: items.count, by: 200) {
        try await Array(items[start..<min(start + 200, items.count)]).create(on: database)
      }
    }
    return reviewIDs
  }
}
