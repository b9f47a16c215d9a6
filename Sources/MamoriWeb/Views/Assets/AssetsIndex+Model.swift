import Fluent
import Foundation
import MamoriCore
import SQLKit
import Vapor

/// The register of information to protect, filtered and paged by the database.
enum AssetsIndex {
  struct Filter: Sendable, Equatable {
    var text = ""
    var level: AssetLevel?
    var group = ""
    var page = 1

    init(text: String = "", level: AssetLevel? = nil, group: String = "", page: Int = 1) {
      self.text = text
      self.level = level
      self.group = group
      self.page = page
    }

    init(query: any URLQueryContainer) {
      text = String(((try? query.get(String.self, at: "q")) ?? "").trimmingCharacters(in: .whitespaces).prefix(200))
      level = (try? query.get(String.self, at: "level")).flatMap(AssetLevel.init(rawValue:))
      group = String(((try? query.get(String.self, at: "group")) ?? "").prefix(AssetDraft.maximumGroup))
      page = max(1, min(100_000, (try? query.get(Int.self, at: "page")) ?? 1))
    }

    var query: [(String, String)] {
      var items: [(String, String)] = []
      if !text.isEmpty { items.append(("q", text)) }
      if let level { items.append(("level", level.rawValue)) }
      if !group.isEmpty { items.append(("group", group)) }
      return items
    }
  }

  /// One asset as the list shows it, decoded by column (decision 46).
  struct Row: Sendable {
    var id: UUID
    var code: String
    var name: String
    var level: AssetLevel
    var form: AssetForm
    var group: String
    var isCore: Bool
    var ownerName: String?
    /// Grants in force today.
    var grants: Int
  }

  struct Model {
    var filter: Filter
    var assets: [Row]
    var total: Int
    var matching: Int
    var pageCount: Int
    var groups: [String]
  }

  static let pageSize = 50

  /// One statement per visit whatever the register's size: a page of rows with their owner's name,
  /// their grants in force counted by the database and the matching count (``ListPage``). The unfiltered total and the groups change only with the organisation's data, so they are
  /// kept by the tenant version (``ListContext``).
  static func load(_ req: Request, filter: Filter) async throws -> Model {
    let tenant = try await req.tenant()
    let organisationID = tenant.organisationID
    let sql = try req.db.sql()
    let predicate = Self.predicate(filter) ?? SQLLiteral.boolean(true)
    let context = try await req.mamori.assetLists.value(for: organisationID, version: try await req.tenantVersion()) {
      let total = try await sql.raw("""
        SELECT count(*) AS n FROM assets WHERE organisation_id = \(bind: organisationID)
        """).first()?.decode(column: "n", as: Int.self) ?? 0
      let groups = try await sql.raw("""
        SELECT DISTINCT asset_group FROM assets WHERE organisation_id = \(bind: organisationID) AND asset_group <> ''
        ORDER BY asset_group
        """).all().map { try $0.decode(column: "asset_group", as: String.self) }
      return ListContext(total: total, groups: groups)
    }
    var filter = filter
    // A grant is in force from its day to its expiry inclusive (``Grant/isExpired(on:)``), days as ISO text.
    let page = try await ListPage.load(requested: filter.page, pageSize: pageSize) { offset in
      try await sql.raw("""
        SELECT assets.id, assets.code, assets.name, assets.level, assets.form, assets.asset_group, assets.is_core,
          people.full_name AS owner_name,
          (SELECT count(*) FROM grants WHERE grants.organisation_id = assets.organisation_id AND grants.asset_id = assets.id
            AND grants.revoked_on IS NULL AND (grants.expires_on IS NULL OR grants.expires_on >= \(bind: tenant.today.iso))) AS grants,
          (SELECT count(*) FROM assets WHERE assets.organisation_id = \(bind: organisationID) AND \(predicate)) AS matching
        FROM assets LEFT JOIN people ON people.id = assets.owner_id
        WHERE assets.organisation_id = \(bind: organisationID) AND \(predicate)
        ORDER BY assets.code LIMIT \(literal: pageSize) OFFSET \(literal: offset)
        """).all()
    }
    filter.page = page.number
    let assets = try page.rows.map { row in
      Row(
        id: try row.decode(column: "id", as: UUID.self), code: try row.decode(column: "code", as: String.self),
        name: try row.decode(column: "name", as: String.self),
        level: AssetLevel(rawValue: try row.decode(column: "level", as: String.self)) ?? .secret,
        form: AssetForm(rawValue: try row.decode(column: "form", as: String.self)) ?? .electronic,
        group: try row.decode(column: "asset_group", as: String.self), isCore: try row.decode(column: "is_core", as: Bool.self),
        ownerName: try row.decode(column: "owner_name", as: String?.self), grants: try row.decode(column: "grants", as: Int.self))
    }
    return Model(
      filter: filter, assets: assets, total: context.total, matching: page.matching, pageCount: page.pageCount,
      groups: context.groups)
  }

  /// What the assets list shows of the whole register: its size and its groups.
  struct ListContext: Sendable {
    var total: Int
    var groups: [String]
  }

  /// The filter as one SQL condition over `assets`, or nil when nothing is filtered.
  static func predicate(_ filter: Filter) -> (any SQLExpression)? {
    var conditions: [any SQLExpression] = []
    if let level = filter.level {
      conditions.append(SQLBinaryExpression(SQLColumn("level", table: "assets"), .equal, SQLBind(level.rawValue)))
    }
    if !filter.group.isEmpty {
      conditions.append(SQLBinaryExpression(SQLColumn("asset_group", table: "assets"), .equal, SQLBind(filter.group)))
    }
    if !filter.text.isEmpty {
      let needle = SQLBind("%" + filter.text.lowercased() + "%")
      let matches = SQLConditions.any(
        ["code", "name", "location", "description"].map {
          SQLBinaryExpression(SQLFunction("lower", args: SQLColumn($0, table: "assets")), .like, needle)
        })
      if let matches { conditions.append(matches) }
    }
    return SQLConditions.all(conditions)
  }
}
