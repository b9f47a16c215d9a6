import Fluent
import Foundation
import MamoriCore
import SQLKit
import Vapor

/// Verdicts of whole chains, kept for a minute: verifying hashes every entry, and the page is read far
/// more often than a chain grows. `mamori audit verify` always checks afresh.
final class AuditVerdictCache: Sendable {
  static let lifetime: TimeInterval = 60
  private let cache = VersionedCache<String, AuditChain.Verdict>(lifetime: lifetime)

  /// `tail` is the chain's tail as `seq:hash` when the caller has it (the tenant version).
  func verdict(chain: String, tail: String? = nil, now: Date, on database: any Database) async throws -> AuditChain.Verdict {
    let version: String
    if let tail {
      version = tail
    } else {
      let read = try await AuditTrail.tail(chain: chain, on: database)
      version = "\(read?.seq ?? 0):\(read?.hash ?? "")"
    }
    return try await cache.value(for: chain, version: version, now: now) {
      AuditChain.verify(try await AuditTrail.entries(chain: chain, on: database))
    }
  }
}

/// The organisation's audit trail as officers and administrators read it: newest first, filtered by
/// kind of record, actor and period, with the chain's verification at the top.
enum AuditTrailPage {
  /// Fifty entries a page, like the people list: each listed value costs the template a lookup and an
  /// escape, and at a hundred the rendering alone took longer than a whole page should (decision 49).
  static let pageSize = 50

  /// The kinds of record a filter can choose, by the prefix of their actions.
  static let kinds = [
    "auth", "user", "token", "organisation", "audit_access", "audit", "department", "person", "assessment", "catalog",
    "evidence", "asset", "grant", "handling_rule", "assessment_action", "action_evidence", "access_review", "pledge",
    "leaver_case", "leaver_task",
  ]

  struct Filter: Sendable, Equatable {
    /// Longer actor searches are cut to this; the filter field says so with its `maxlength`.
    static let maximumActor = 200
    var kind: String?
    var actor = ""
    var from: CivilDate?
    var to: CivilDate?
    var page = 1

    init(query: any URLQueryContainer) {
      kind = (try? query.get(String.self, at: "kind")).flatMap { kinds.contains($0) ? $0 : nil }
      actor = String(((try? query.get(String.self, at: "actor")) ?? "").trimmingCharacters(in: .whitespaces).prefix(Self.maximumActor))
      from = (try? query.get(String.self, at: "from")).flatMap(CivilDate.init(iso:))
      to = (try? query.get(String.self, at: "to")).flatMap(CivilDate.init(iso:))
      page = max(1, min(100_000, (try? query.get(Int.self, at: "page")) ?? 1))
    }

    var query: [(String, String)] {
      var items: [(String, String)] = []
      if let kind { items.append(("kind", kind)) }
      if !actor.isEmpty { items.append(("actor", actor)) }
      if let from { items.append(("from", from.iso)) }
      if let to { items.append(("to", to.iso)) }
      return items
    }

    /// The filtered entries of one chain as one SQL condition (days are the organisation's).
    func condition(chain: String, timeZone: TimeZone) -> any SQLExpression {
      var conditions: [any SQLExpression] = [SQLBinaryExpression(SQLColumn("chain"), .equal, SQLBind(chain))]
      if let kind { conditions.append(SQLBinaryExpression(SQLColumn("action"), .like, SQLBind(kind + ".%"))) }
      if !actor.isEmpty { conditions.append(SQLBinaryExpression(SQLColumn("actor"), .like, SQLBind("%" + actor + "%"))) }
      if let from {
        conditions.append(SQLBinaryExpression(SQLColumn("at_ms"), .greaterThanOrEqual, SQLBind(Self.millis(from, timeZone))))
      }
      if let to {
        conditions.append(SQLBinaryExpression(SQLColumn("at_ms"), .lessThan, SQLBind(Self.millis(to.adding(days: 1), timeZone))))
      }
      return SQLConditions.all(conditions) ?? SQLLiteral.boolean(true)
    }

    static func millis(_ day: CivilDate, _ zone: TimeZone) -> Int64 {
      Int64(day.start(in: zone).timeIntervalSince1970 * 1000)
    }
  }

  struct Model {
    var filter: Filter
    var entries: [AuditRecord]
    var matching: Int
    var verdict: AuditChain.Verdict
    var timeZone: TimeZone
  }

  static func load(_ req: Request, filter: Filter) async throws -> Model {
    let organisation = try await req.requireOrganisation()
    let chain = AuditEvent.chain(try organisation.requireID())
    let zone = Organisations.timeZone(organisation)
    let condition = filter.condition(chain: chain, timeZone: zone)
    let sql = try req.db.sql()
    let tail = TenantVersion.tail(of: try await req.tenantVersion())
    // Unfiltered, the count is the tail's sequence number: entries are numbered 1, 2, 3… per chain and
    // only appended (a gap is what the verdict reports), and counting a long trail on every visit was
    // this page's cost at ten times the demo's size.
    let matching: Int
    if filter.query.isEmpty, let seq = tail.seq {
      matching = seq
    } else {
      matching = try await sql.raw("SELECT count(*) AS n FROM audit_entries WHERE \(condition)").first()?
        .decode(column: "n", as: Int.self) ?? 0
    }
    let lower = (filter.page - 1) * pageSize
    let entries = try await AuditTrail.records(
      where: condition, descending: true, range: lower..<(lower + pageSize), on: req.db)
    let verdict = try await req.mamori.auditVerdicts.verdict(chain: chain, tail: tail.text, now: req.now, on: req.db)
    return Model(filter: filter, entries: entries, matching: matching, verdict: verdict, timeZone: zone)
  }
}
