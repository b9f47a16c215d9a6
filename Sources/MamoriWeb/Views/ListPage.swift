import SQLKit
import Vapor

/// One page of a filtered list read in one statement: the rows of the page with the number of rows
/// matching the filter in a column `matching`, an uncorrelated scalar subquery over the same filter
/// (evaluated once; a window `count(*) OVER ()` cost SQLite ten times as much, as it keeps every
/// matching row to sort it).
///
/// A page past the end (a bookmark after deletions) has no row to carry the count; it is read again
/// at the last page, found from the count of the first page's statement.
struct ListPage {
  var rows: [any SQLRow]
  var matching: Int
  var number: Int
  var pageCount: Int

  static func load(
    requested: Int, pageSize: Int, _ read: (_ offset: Int) async throws -> [any SQLRow]
  ) async throws -> ListPage {
    var number = max(1, requested)
    var rows = try await read((number - 1) * pageSize)
    if rows.isEmpty, number > 1 {
      let first = try await read(0)
      let matching = try first.first?.decode(column: "matching", as: Int.self) ?? 0
      number = max(1, (matching + pageSize - 1) / pageSize)
      rows = number == 1 ? first : try await read((number - 1) * pageSize)
    }
    let matching = try rows.first?.decode(column: "matching", as: Int.self) ?? 0
    return ListPage(rows: rows, matching: matching, number: number, pageCount: max(1, (matching + pageSize - 1) / pageSize))
  }
}

extension Request {
  /// The body of a list page, built and encoded for its template once per tenant version and kept by
  /// organisation, page, language and query string (decision 198). What a list shows is the
  /// organisation's data on its today, which only changes with the audit chain's tail or the day: the
  /// key of ``tenantVersion()``. Only for bodies that are the same for everyone allowed on the page
  /// (no per-user links or flags; the form token comes from the chrome).
  ///
  /// `cache` is ``MamoriContext/listBodies`` unless the page needs a lifetime of its own (the audit
  /// trail's verdict is checked again every minute even when the chain has not grown).
  func listBody<Body: Encodable & Sendable>(
    _ page: String, in cache: VersionedCache<String, TemplateValue>? = nil, build: @Sendable () async throws -> Body
  ) async throws -> TemplateValue {
    let key = "\(try await tenant().organisationID)|\(page)|\(language.rawValue)|\(url.query ?? "")"
    return try await (cache ?? mamori.listBodies).value(for: key, version: try await tenantVersion(), now: now) {
      try TemplateEncoder.encode(try await build())
    }
  }
}
