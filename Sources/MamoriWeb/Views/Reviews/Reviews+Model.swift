import Fluent
import Foundation
import MamoriCore
import SQLKit
import Vapor

/// The data of the access review pages: campaigns with their counts, an owner's progress and review
/// items, each list in one statement read by column (decision 46), items fifty a page (decision 49).
enum ReviewPages {
  static let pageSize = 50

  struct Campaign: Sendable {
    var id: UUID
    var name: String
    var startsOn: CivilDate
    var dueOn: CivilDate
    var closedOn: CivilDate?
    var createdBy: String?
    var total: Int
    var decided: Int
  }

  struct Item: Sendable {
    var id: UUID
    var reviewID: UUID
    var reviewName: String
    var dueOn: CivilDate
    var isClosed: Bool
    var assetID: UUID
    var assetCode: String
    var assetName: String
    var level: AssetLevel
    var personID: UUID
    var personName: String
    var loginName: String
    var reason: String
    var grantedOn: CivilDate?
    var expiresOn: CivilDate?
    var revokedOn: CivilDate?
    var ownerID: UUID?
    var ownerName: String?
    var ownerHasAccount: Bool
    var decision: ReviewDecision?
    var comment: String
    var decidedBy: String?
    var decidedAt: Date?
    var onBehalf: Bool

    var subject: ReviewSubject { ReviewSubject(ownerPersonID: ownerID, ownerHasAccount: ownerHasAccount) }
  }

  struct OwnerProgress: Sendable {
    var ownerID: UUID?
    var name: String?
    var hasAccount: Bool
    var total: Int
    var decided: Int
  }

  /// The items list's filter: by owner (a person's id, or `none`) and by decision (`pending`,
  /// `confirm`, `revoke`).
  struct Filter: Sendable, Equatable {
    var owner: String?
    var decision: String?
    var page = 1

    init(owner: String? = nil, decision: String? = nil, page: Int = 1) {
      self.owner = owner
      self.decision = decision
      self.page = page
    }

    init(query: any URLQueryContainer) {
      let owner = (try? query.get(String.self, at: "owner"))?.lowercased()
      self.owner = owner == "none" || owner.flatMap(UUID.init(uuidString:)) != nil ? owner : nil
      let decision = try? query.get(String.self, at: "decision")
      self.decision = decision == "pending" || decision.flatMap(ReviewDecision.init(rawValue:)) != nil ? decision : nil
      page = max(1, min(100_000, (try? query.get(Int.self, at: "page")) ?? 1))
    }

    var query: [(String, String)] {
      [owner.map { ("owner", $0) }, decision.map { ("decision", $0) }].compactMap { $0 }
    }

    var conditions: [any SQLExpression] {
      var conditions: [any SQLExpression] = []
      if owner == "none" {
        conditions.append(SQLBinaryExpression(SQLColumn("owner_id", table: "i"), .is, SQLLiteral.null))
      } else if let owner = owner.flatMap(UUID.init(uuidString:)) {
        conditions.append(SQLBinaryExpression(SQLColumn("owner_id", table: "i"), .equal, SQLBind(owner)))
      }
      switch decision {
      case "pending": conditions.append(SQLBinaryExpression(SQLColumn("decision", table: "i"), .is, SQLLiteral.null))
      case .some(let value): conditions.append(SQLBinaryExpression(SQLColumn("decision", table: "i"), .equal, SQLBind(value)))
      case nil: break
      }
      return conditions
    }
  }

  /// Every campaign of the organisation, newest first, with its items counted by the database.
  static func campaigns(organisationID: UUID, on database: any Database) async throws -> [Campaign] {
    try await database.sql().raw("""
      SELECT r.id, r.name, r.starts_on, r.due_on, r.closed_on, u.display_name,
        (SELECT count(*) FROM access_review_items i WHERE i.review_id = r.id AND i.organisation_id = \(bind: organisationID)) AS total,
        (SELECT count(*) FROM access_review_items i WHERE i.review_id = r.id AND i.organisation_id = \(bind: organisationID)
          AND i.decision IS NOT NULL) AS decided
      FROM access_reviews r LEFT JOIN users u ON u.id = r.created_by_id
      WHERE r.organisation_id = \(bind: organisationID)
      ORDER BY r.starts_on DESC, r.created_at DESC
      """).all().map { row in
      Campaign(
        id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
        startsOn: CivilDate(iso: try row.decode(column: "starts_on", as: String.self)) ?? CivilDate(daysSinceEpoch: 0),
        dueOn: CivilDate(iso: try row.decode(column: "due_on", as: String.self)) ?? CivilDate(daysSinceEpoch: 0),
        closedOn: try row.decode(column: "closed_on", as: String?.self).flatMap { CivilDate(iso: $0) },
        createdBy: try row.decode(column: "display_name", as: String?.self), total: try row.decode(column: "total", as: Int.self),
        decided: try row.decode(column: "decided", as: Int.self))
    }
  }

  /// People of the organisation who can sign in (an invited or active account linked to them).
  static func peopleWithAccounts(organisationID: UUID, on database: any Database) async throws -> Set<UUID> {
    Set(
      try await database.sql().raw("""
        SELECT DISTINCT person_id FROM users
        WHERE organisation_id = \(bind: organisationID) AND person_id IS NOT NULL AND status <> \(bind: User.Status.disabled.rawValue)
        """).all().map { try $0.decode(column: "person_id", as: UUID.self) })
  }

  /// Decided and total items per owner of one campaign, owners by name, "no owner" last.
  static func progress(reviewID: UUID, organisationID: UUID, on database: any Database) async throws -> [OwnerProgress] {
    let accounts = try await peopleWithAccounts(organisationID: organisationID, on: database)
    return try await database.sql().raw("""
      SELECT i.owner_id, o.full_name, count(*) AS total, count(i.decision) AS decided
      FROM access_review_items i LEFT JOIN people o ON o.id = i.owner_id
      WHERE i.organisation_id = \(bind: organisationID) AND i.review_id = \(bind: reviewID)
      GROUP BY i.owner_id, o.full_name
      """).all().map { row in
      let owner = try row.decode(column: "owner_id", as: UUID?.self)
      return OwnerProgress(
        ownerID: owner, name: try row.decode(column: "full_name", as: String?.self),
        hasAccount: owner.map { accounts.contains($0) } ?? false, total: try row.decode(column: "total", as: Int.self),
        decided: try row.decode(column: "decided", as: Int.self))
    }.sorted { ($0.name == nil ? 1 : 0, $0.name ?? "") < ($1.name == nil ? 1 : 0, $1.name ?? "") }
  }

  /// Review items matching `conditions`, undecided first, then by owner, asset and person; with the
  /// number of all matching items.
  static func items(
    organisationID: UUID, where conditions: [any SQLExpression], page: Int, on database: any Database
  ) async throws -> (items: [Item], matching: Int) {
    let sql = try database.sql()
    let accounts = try await peopleWithAccounts(organisationID: organisationID, on: database)
    let condition = SQLConditions.all(conditions) ?? SQLLiteral.boolean(true)
    let matching = try await sql.raw("""
      SELECT count(*) AS n FROM access_review_items i
      WHERE i.organisation_id = \(bind: organisationID) AND \(condition)
      """).first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
    let rows = try await sql.raw("""
      SELECT i.id, i.review_id, r.name AS review_name, r.due_on, r.closed_on, i.asset_id, a.code, a.name AS asset_name, a.level,
        g.person_id, p.full_name, p.login_name, g.reason, g.granted_on, g.expires_on, g.revoked_on,
        i.owner_id, o.full_name AS owner_name, i.decision, i.comment, u.display_name AS decided_by, i.decided_at, i.on_behalf
      FROM access_review_items i
        JOIN access_reviews r ON r.id = i.review_id
        JOIN grants g ON g.id = i.grant_id
        JOIN people p ON p.id = g.person_id
        JOIN assets a ON a.id = i.asset_id
        LEFT JOIN people o ON o.id = i.owner_id
        LEFT JOIN users u ON u.id = i.decided_by_id
      WHERE i.organisation_id = \(bind: organisationID) AND \(condition)
      ORDER BY CASE WHEN i.decision IS NULL THEN 0 ELSE 1 END, o.full_name, a.code, p.login_name, i.id
      LIMIT \(literal: pageSize) OFFSET \(literal: (max(1, page) - 1) * pageSize)
      """).all()
    let items = try rows.map { row in
      let owner = try row.decode(column: "owner_id", as: UUID?.self)
      return Item(
        id: try row.decode(column: "id", as: UUID.self), reviewID: try row.decode(column: "review_id", as: UUID.self),
        reviewName: try row.decode(column: "review_name", as: String.self),
        dueOn: CivilDate(iso: try row.decode(column: "due_on", as: String.self)) ?? CivilDate(daysSinceEpoch: 0),
        isClosed: try row.decode(column: "closed_on", as: String?.self) != nil,
        assetID: try row.decode(column: "asset_id", as: UUID.self), assetCode: try row.decode(column: "code", as: String.self),
        assetName: try row.decode(column: "asset_name", as: String.self),
        level: AssetLevel(rawValue: try row.decode(column: "level", as: String.self)) ?? .secret,
        personID: try row.decode(column: "person_id", as: UUID.self), personName: try row.decode(column: "full_name", as: String.self),
        loginName: try row.decode(column: "login_name", as: String.self), reason: try row.decode(column: "reason", as: String.self),
        grantedOn: CivilDate(iso: try row.decode(column: "granted_on", as: String.self)),
        expiresOn: try row.decode(column: "expires_on", as: String?.self).flatMap { CivilDate(iso: $0) },
        revokedOn: try row.decode(column: "revoked_on", as: String?.self).flatMap { CivilDate(iso: $0) },
        ownerID: owner, ownerName: try row.decode(column: "owner_name", as: String?.self),
        ownerHasAccount: owner.map { accounts.contains($0) } ?? false,
        decision: try row.decode(column: "decision", as: String?.self).flatMap(ReviewDecision.init(rawValue:)),
        comment: try row.decode(column: "comment", as: String.self), decidedBy: try row.decode(column: "decided_by", as: String?.self),
        decidedAt: try row.decode(column: "decided_at", as: Date?.self), onBehalf: try row.decode(column: "on_behalf", as: Bool.self))
    }
    return (items, matching)
  }

  /// The items of running campaigns whose asset `personID` owns: what the owner's page lists.
  static func ownItems(personID: UUID, organisationID: UUID, page: Int, on database: any Database) async throws
    -> (items: [Item], matching: Int)
  {
    let running: SQLQueryString =
      "i.review_id IN (SELECT id FROM access_reviews WHERE organisation_id = \(bind: organisationID) AND closed_on IS NULL)"
    return try await items(
      organisationID: organisationID,
      where: [SQLBinaryExpression(SQLColumn("owner_id", table: "i"), .equal, SQLBind(personID)), running], page: page,
      on: database)
  }

  /// How many grants `personID` still has to decide in running campaigns, and the earliest due day.
  static func pendingCount(personID: UUID, organisationID: UUID, on database: any Database) async throws -> (count: Int, due: CivilDate?) {
    guard
      let row = try await database.sql().raw("""
        SELECT count(*) AS n, min(r.due_on) AS due FROM access_review_items i JOIN access_reviews r ON r.id = i.review_id
        WHERE i.organisation_id = \(bind: organisationID) AND i.owner_id = \(bind: personID) AND i.decision IS NULL
          AND r.closed_on IS NULL
        """).first()
    else { return (0, nil) }
    return (
      try row.decode(column: "n", as: Int.self), try row.decode(column: "due", as: String?.self).flatMap { CivilDate(iso: $0) }
    )
  }
}
