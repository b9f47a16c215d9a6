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

  struct Model {
    var filter: Filter
    var assets: [Asset]
    /// Valid grants per asset on the page, counted in one query.
    var grantCounts: [UUID: Int]
    var total: Int
    var matching: Int
    var pageCount: Int
    var groups: [String]
  }

  static let pageSize = 50

  static func load(_ req: Request, filter: Filter) async throws -> Model {
    let tenant = try await req.tenant()
    let organisationID = tenant.organisationID
    let total = try await Asset.query(in: organisationID, on: req.db).count()
    let matching = try await query(filter, organisationID: organisationID, on: req.db).count()
    let pageCount = max(1, (matching + pageSize - 1) / pageSize)
    var filter = filter
    filter.page = min(filter.page, pageCount)
    let lower = (filter.page - 1) * pageSize
    let assets = try await query(filter, organisationID: organisationID, on: req.db).with(\.$owner)
      .sort(\.$code).range(lower..<(lower + pageSize)).all()
    var grantCounts: [UUID: Int] = [:]
    let ids = assets.compactMap(\.id)
    if !ids.isEmpty {
      let grants = try await Grant.query(in: organisationID, on: req.db).filter(\.$asset.$id ~~ ids).filter(\.$revokedOn == nil)
        .field(\.$asset.$id).field(\.$expiresOn).all()
      for grant in grants where !grant.isExpired(on: tenant.today) { grantCounts[grant.$asset.id, default: 0] += 1 }
    }
    let groups = try await Asset.query(in: organisationID, on: req.db).unique().all(\.$group).filter { !$0.isEmpty }.sorted()
    return Model(
      filter: filter, assets: assets, grantCounts: grantCounts, total: total, matching: matching, pageCount: pageCount,
      groups: groups)
  }

  static func query(_ filter: Filter, organisationID: UUID, on database: any Database) -> QueryBuilder<Asset> {
    var query = Asset.query(in: organisationID, on: database)
    if let level = filter.level { query = query.filter(\.$level == level) }
    if !filter.group.isEmpty { query = query.filter(\.$group == filter.group) }
    if !filter.text.isEmpty {
      let needle = SQLBind("%" + filter.text.lowercased() + "%")
      query = query.group(.or) { group in
        for column in ["code", "name", "location", "description"] {
          group.filter(.custom(SQLBinaryExpression(SQLFunction("lower", args: SQLColumn(column)), .like, needle)))
        }
      }
    }
    return query
  }
}
