import Fluent
import Foundation
import MamoriCore
import SQLKit
import Vapor

/// Access review campaigns (アクセス権の棚卸し): opening one takes every grant in force from the register,
/// each asset's owner confirms or revokes the grants to their assets, officers follow the progress and
/// close it. Pages and the command line call these operations; each writes in one transaction with its
/// audit entry.
enum AccessReviews {
  /// The user deciding: their account, role and the person of the register their account is linked to.
  struct Reviewer: Sendable {
    var userID: UUID?
    var principal: Principal?
    var personID: UUID?
  }

  /// Opens a campaign on `today` with every grant in force that day (granted on or before it, not
  /// revoked, not expired), each with its asset and the asset's owner. One campaign runs at a time, so
  /// that an owner never sees the same grant in two campaigns.
  static func open(
    _ draft: AccessReviewDraft, organisationID: UUID, createdBy: UUID?, today: CivilDate, actor: AuditActor, now: Date,
    on database: any Database
  ) async throws -> AccessReview {
    let draft = draft.normalised
    var issues = draft.validate(today: today)
    if try await AccessReview.query(in: organisationID, on: database).filter(\.$closedOn == nil).first() != nil {
      issues.append(ValidationIssue(field: "name", key: "validation.review_running"))
    }
    guard issues.isEmpty, let due = draft.dueDay else { throw ValidationFailure(issues: issues) }
    let grants = try await Grant.query(in: organisationID, on: database).filter(\.$revokedOn == nil)
      .filter(\.$grantedOn <= today).group(.or) { $0.filter(\.$expiresOn == nil).filter(\.$expiresOn >= today) }.all()
    let assetIDs = Set(grants.map { $0.$asset.id })
    var ownerByAsset: [UUID: UUID?] = [:]
    for asset in try await Asset.query(in: organisationID, on: database).filter(\.$id ~~ Array(assetIDs)).all() {
      ownerByAsset[try asset.requireID()] = asset.$owner.id
    }
    let review = AccessReview()
    let reviewID = UUID.random()
    review.id = reviewID
    review.$organisation.id = organisationID
    review.$createdBy.id = createdBy
    review.name = draft.name
    review.startsOn = today
    review.dueOn = due
    let items = try grants.map { grant -> AccessReviewItem in
      let item = AccessReviewItem()
      item.$organisation.id = organisationID
      item.$review.id = reviewID
      item.$grant.id = try grant.requireID()
      item.$asset.id = grant.$asset.id
      item.$owner.id = ownerByAsset[grant.$asset.id] ?? nil
      item.comment = ""
      item.onBehalf = false
      return item
    }
    try await database.transaction { database in
      try await review.create(on: database)
      // In slices, to stay under the databases' limit of bound parameters per statement.
      for start in stride(from: 0, to: items.count, by: 500) {
        try await Array(items[start..<min(start + 500, items.count)]).create(on: database)
      }
      let after = AuditChain.json(
        OpenedRecord(
          id: reviewID.uuidString.lowercased(), name: review.name, startsOn: today.iso, dueOn: due.iso, items: items.count))
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(organisationID), action: "access_review.open", recordType: "access_review",
          recordID: reviewID.uuidString.lowercased(), after: after),
        by: actor, now: now, on: database)
    }
    return review
  }

  /// The audit entry of an opened campaign: what it is and how many grants it took.
  private struct OpenedRecord: Encodable {
    var id: String
    var name: String
    var startsOn: String
    var dueOn: String
    var items: Int
  }

  /// The policy's view of an item: its owner, and whether the owner has an account to sign in with.
  static func subject(of item: AccessReviewItem, on database: any Database) async throws -> ReviewSubject {
    guard let owner = item.$owner.id else { return ReviewSubject(ownerPersonID: nil, ownerHasAccount: false) }
    let accounts = try await User.query(in: item.$organisation.id, on: database).filter(\.$person.$id == owner)
      .filter(\.$status != .disabled).count()
    return ReviewSubject(ownerPersonID: owner, ownerHasAccount: accounts > 0)
  }

  /// Records the owner's decision on one grant. An item the reviewer may not decide is not found (404),
  /// like another organisation's; a decision is final, and a closed campaign takes none. Revoking goes
  /// through ``AssetRegister/revoke(_:by:today:actor:now:on:)`` inside the same transaction, so the grant's
  /// revocation and its audit entry are those of any other revocation.
  static func decide(
    _ item: AccessReviewItem, decision: ReviewDecision?, comment: String, reviewer: Reviewer, today: CivilDate, actor: AuditActor,
    now: Date, on database: any Database
  ) async throws {
    guard let right = Policy.can(reviewer.principal, personID: reviewer.personID, decide: try await subject(of: item, on: database))
    else { throw Abort(.notFound) }
    guard let review = try await AccessReview.query(in: item.$organisation.id, on: database).filter(\.$id == item.$review.id).first()
    else { throw Abort(.notFound) }
    let comment = comment.trimmingCharacters(in: .whitespacesAndNewlines)
    var issues: [ValidationIssue] = []
    if review.isClosed { issues.append(ValidationIssue(field: "decision", key: "validation.review_closed")) }
    if item.decision != nil { issues.append(ValidationIssue(field: "decision", key: "validation.review_decided")) }
    if decision == nil { issues.append(ValidationIssue(field: "decision", key: "validation.choice")) }
    if let issue = AccessReviewDraft.comment.check(comment) { issues.append(issue) }
    guard issues.isEmpty, let decision else { throw ValidationFailure(issues: issues) }
    guard let grant = try await Grant.query(in: item.$organisation.id, on: database).filter(\.$id == item.$grant.id).first() else {
      throw Abort(.notFound)
    }
    let before = AuditChain.json(item)
    item.decision = decision
    item.comment = comment
    item.$decidedBy.id = reviewer.userID
    item.decidedAt = now
    item.onBehalf = right == .onBehalf
    try await database.transaction { database in
      try await item.save(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(item.$organisation.id), action: "access_review.decide", recordType: "access_review_item",
          recordID: try item.requireID().uuidString.lowercased(), before: before, after: AuditChain.json(item)),
        by: actor, now: now, on: database)
      if decision == .revoke {
        try await AssetRegister.revoke(grant, by: reviewer.userID, today: today, actor: actor, now: now, on: database)
      }
    }
  }

  /// Ends a campaign: no more decisions. Undecided grants stay undecided (and stay findings once the
  /// due day has passed); closing twice changes nothing.
  static func close(_ review: AccessReview, closedBy: UUID?, today: CivilDate, actor: AuditActor, now: Date, on database: any Database)
    async throws
  {
    guard !review.isClosed else { return }
    let before = AuditChain.json(review)
    review.closedOn = today
    review.$closedBy.id = closedBy
    try await database.transaction { database in
      try await review.save(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(review.$organisation.id), action: "access_review.close", recordType: "access_review",
          recordID: try review.requireID().uuidString.lowercased(), before: before, after: AuditChain.json(review)),
        by: actor, now: now, on: database)
    }
  }

  /// The review items of grants not revoked, as `grant-not-reviewed` reads them, in one statement read
  /// by column.
  static func findingRows(organisationID: UUID, on database: any Database) async throws -> [RegisterSnapshot.ReviewItem] {
    let sql = try database.sql()
    return try await sql.raw("""
      SELECT i.grant_id, p.login_name, a.code, g.expires_on, r.name, r.starts_on, r.due_on, i.decision
      FROM access_review_items i
        JOIN access_reviews r ON r.id = i.review_id
        JOIN grants g ON g.id = i.grant_id
        JOIN people p ON p.id = g.person_id
        JOIN assets a ON a.id = i.asset_id
      WHERE i.organisation_id = \(bind: organisationID) AND g.revoked_on IS NULL
      """).all().compactMap { row in
      guard let starts = CivilDate(iso: try row.decode(column: "starts_on", as: String.self)),
        let due = CivilDate(iso: try row.decode(column: "due_on", as: String.self))
      else { return nil }
      return RegisterSnapshot.ReviewItem(
        grantID: try row.decode(column: "grant_id", as: UUID.self).uuidString,
        loginName: try row.decode(column: "login_name", as: String.self), assetCode: try row.decode(column: "code", as: String.self),
        grantExpiresOn: try row.decode(column: "expires_on", as: String?.self).flatMap { CivilDate(iso: $0) },
        campaign: try row.decode(column: "name", as: String.self), startsOn: starts, dueOn: due,
        decided: try row.decode(column: "decision", as: String?.self) != nil)
    }
  }
}

extension AccessReview: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<AccessReview> {
    AccessReview.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}

extension AccessReviewItem: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<AccessReviewItem> {
    AccessReviewItem.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}
