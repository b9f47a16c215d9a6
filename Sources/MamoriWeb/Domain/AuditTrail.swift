import Fluent
import Foundation
import MamoriCore
import SQLKit
import Vapor

/// Who did something, as the audit trail records it.
struct AuditActor: Sendable {
  var label: String
  var id: UUID?
  var clientAddress: String

  static let commandLine = AuditActor(label: "cli", id: nil, clientAddress: "local")
  static let system = AuditActor(label: "system", id: nil, clientAddress: "local")
}

/// What happened, to which record, with the record before and after (canonical JSON).
struct AuditEvent: Sendable {
  var chain: String
  var action: String
  var recordType: String
  var recordID: String
  var before: String?
  var after: String?

  init(chain: String, action: String, recordType: String, recordID: String, before: String? = nil, after: String? = nil) {
    self.chain = chain
    self.action = action
    self.recordType = recordType
    self.recordID = recordID
    self.before = before
    self.after = after
  }

  /// The chain of an organisation, or the platform's.
  static func chain(_ organisationID: UUID?) -> String {
    organisationID.map { $0.uuidString.lowercased() } ?? AuditChain.platform
  }
}

/// Appends to the hash-chained audit trail, in the caller's transaction when there is one, so that a
/// change and its entry are written together or not at all.
enum AuditTrail {
  static func append(_ event: AuditEvent, by actor: AuditActor, now: Date, on database: any Database) async throws {
    if database.inTransaction {
      try await appendInTransaction(event, by: actor, now: now, on: database)
    } else {
      try await database.transaction { try await appendInTransaction(event, by: actor, now: now, on: $0) }
    }
  }

  private static func appendInTransaction(_ event: AuditEvent, by actor: AuditActor, now: Date, on database: any Database)
    async throws
  {
    // Several `serve` processes append to one chain: the lock, held to the end of the transaction,
    // makes them take turns reading the tail, and the unique (chain, seq) index backs it up.
    try await takeTurns(on: event.chain, in: database)
    let last = try await AuditEntry.query(on: database).filter(\.$chain == event.chain).sort(\.$seq, .descending).first()
    let record = AuditChain.seal(
      AuditRecord(
        chain: event.chain, seq: 0, atMillis: Int64((now.timeIntervalSince1970 * 1000).rounded(.down)), actor: actor.label,
        actorID: actor.id?.uuidString.lowercased(), clientAddress: actor.clientAddress, action: event.action,
        recordType: event.recordType, recordID: event.recordID, before: event.before, after: event.after, prevHash: ""),
      after: last?.record)
    try await AuditEntry(record).create(on: database)
  }

  /// Appends many entries to one chain in order, as ``append(_:by:now:on:)`` would one by one, but
  /// reading the chain's tail once and inserting the sealed entries in batches: an import of 200,000
  /// grants is under a hundred statements of entries rather than 400,000 (decisions 156, 197). Call it
  /// inside the transaction that writes the records.
  static func appendAll(_ events: [AuditEvent], by actor: AuditActor, now: Date, on database: any Database) async throws {
    guard let chain = events.first?.chain else { return }
    precondition(events.allSatisfy { $0.chain == chain }, "appendAll takes the entries of one chain")
    if !database.inTransaction {
      try await database.transaction { try await appendAll(events, by: actor, now: now, on: $0) }
      return
    }
    try await takeTurns(on: chain, in: database)
    var last = try await AuditEntry.query(on: database).filter(\.$chain == chain).sort(\.$seq, .descending).first()?.record
    let atMillis = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
    let actorID = actor.id?.uuidString.lowercased()
    // The entries go in without a model each (decision 161): the same columns as
    // `AuditEntry(record).create`.
    let insert = BulkInsert(
      table: "audit_entries",
      columns: [
        .row("id", .uuid), .constant("chain", .text(chain)), .row("seq", .integer), .constant("at_ms", .integer(atMillis)),
        .constant("actor", .text(actor.label)), .constant("actor_id", .text(actorID)),
        .constant("client_address", .text(actor.clientAddress)),
        .row("action", .text), .row("record_type", .text), .row("record_id", .text), .row("before", .text), .row("after", .text),
        .row("prev_hash", .text), .row("hash", .text),
      ])
    var rows = BulkRows(capacity: min(events.count, insert.rowsPerStatement) * insert.rowWidth)
    for event in events {
      let record = AuditChain.seal(
        AuditRecord(
          chain: chain, seq: 0, atMillis: atMillis, actor: actor.label, actorID: actorID, clientAddress: actor.clientAddress,
          action: event.action, recordType: event.recordType, recordID: event.recordID, before: event.before, after: event.after,
          prevHash: ""),
        after: last)
      last = record
      rows.append(
        .uuid(UUID.random()), .integer(Int64(record.seq)), .text(record.action), .text(record.recordType), .text(record.recordID),
        .text(record.before), .text(record.after), .text(record.prevHash), .text(record.hash))
      if rows.count == insert.rowsPerStatement {
        try await insert.run(rows, on: database)
        rows.removeAll()
      }
    }
    try await insert.run(rows, on: database)
  }

  /// Makes the calling transaction take turns with every other transaction that writes to `chain`
  /// (the organisation's writers), until it ends. A change that first checks what is there (a request
  /// not yet acknowledged, attendance not yet recorded) calls it before the check, so that two at once
  /// cannot both pass it. PostgreSQL: a transaction-level advisory lock (the audit append takes the
  /// same one). SQLite: nothing to do, its one connection runs one transaction at a time. Must be
  /// called inside a transaction.
  static func takeTurns(on chain: String, in database: any Database) async throws {
    precondition(database.inTransaction, "takeTurns holds its lock until the transaction ends")
    if let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" {
      try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: lockKey(chain)))").run()
    }
  }

  /// A stable 63-bit key per chain for PostgreSQL's advisory locks.
  static func lockKey(_ chain: String) -> Int64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in ("mamori-audit:" + chain).utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    return Int64(bitPattern: hash & 0x7FFF_FFFF_FFFF_FFFF)
  }

  /// Every entry of a chain, in order.
  static func entries(chain: String, on database: any Database) async throws -> [AuditRecord] {
    try await records(where: SQLBinaryExpression(SQLColumn("chain"), .equal, SQLBind(chain)), on: database)
  }

  /// Entries matching `condition`, in `order`, decoded by column: verifying a chain reads every entry,
  /// and a Fluent model per entry (a reflection of its properties each) cost more than the hashing.
  static func records(
    where condition: any SQLExpression, descending: Bool = false, range: Range<Int>? = nil, on database: any Database
  ) async throws -> [AuditRecord] {
    let sql = try database.sql()
    var query: SQLQueryString = """
      SELECT chain, seq, at_ms, actor, actor_id, client_address, action, record_type, record_id, before, after, prev_hash, hash
      FROM audit_entries WHERE \(condition) ORDER BY seq \(unsafeRaw: descending ? "DESC" : "ASC")
      """
    if let range {
      query.appendInterpolation(unsafeRaw: " LIMIT \(range.count) OFFSET \(range.lowerBound)")
    }
    return try await sql.raw(query).all().map { row in
      AuditRecord(
        chain: try row.decode(column: "chain", as: String.self), seq: try row.decode(column: "seq", as: Int.self),
        atMillis: try row.decode(column: "at_ms", as: Int64.self), actor: try row.decode(column: "actor", as: String.self),
        actorID: try row.decode(column: "actor_id", as: String?.self),
        clientAddress: try row.decode(column: "client_address", as: String.self),
        action: try row.decode(column: "action", as: String.self),
        recordType: try row.decode(column: "record_type", as: String.self),
        recordID: try row.decode(column: "record_id", as: String.self),
        before: try row.decode(column: "before", as: String?.self), after: try row.decode(column: "after", as: String?.self),
        prevHash: try row.decode(column: "prev_hash", as: String.self), hash: try row.decode(column: "hash", as: String.self))
    }
  }

  /// The newest entry's sequence number and hash, which change whenever the chain grows.
  static func tail(chain: String, on database: any Database) async throws -> (seq: Int, hash: String)? {
    let sql = try database.sql()
    guard let row = try await sql.raw("""
      SELECT seq, hash FROM audit_entries WHERE chain = \(bind: chain) ORDER BY seq DESC LIMIT 1
      """).first()
    else { return nil }
    return (try row.decode(column: "seq", as: Int.self), try row.decode(column: "hash", as: String.self))
  }

  /// The chains that exist, the platform's first.
  static func chains(on database: any Database) async throws -> [String] {
    let all = try await AuditEntry.query(on: database).unique().all(\.$chain)
    return all.sorted { ($0 == AuditChain.platform ? 0 : 1, $0) < ($1 == AuditChain.platform ? 0 : 1, $1) }
  }
}

extension Request {
  /// The signed-in user (or the visitor's address) as the audit trail names them.
  var auditActor: AuditActor {
    AuditActor(label: currentUser?.email ?? "anonymous", id: currentUser?.id, clientAddress: clientAddress)
  }

  /// Appends an entry on behalf of this request's user, to their organisation's chain unless told.
  func audit(
    _ action: String, _ recordType: String, id recordID: String, before: String? = nil, after: String? = nil,
    chain: String? = nil, on database: (any Database)? = nil
  ) async throws {
    let event = AuditEvent(
      chain: chain ?? AuditEvent.chain(currentUser?.organisationID), action: action, recordType: recordType, recordID: recordID,
      before: before, after: after)
    try await AuditTrail.append(event, by: auditActor, now: now, on: database ?? db)
  }
}
