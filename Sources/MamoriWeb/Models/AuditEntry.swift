import Fluent
import Foundation
import MamoriCore

/// One stored entry of the audit trail (see ``AuditRecord``). Rows are only inserted: nothing in
/// Mamori updates or deletes them, and `mamori audit verify` detects any row that was.
public final class AuditEntry: Model, @unchecked Sendable {
  public static let schema = "audit_entries"

  @ID(key: .id) public var id: UUID?
  @Field(key: "chain") public var chain: String
  @Field(key: "seq") public var seq: Int
  @Field(key: "at_ms") public var atMillis: Int64
  @Field(key: "actor") public var actor: String
  @OptionalField(key: "actor_id") public var actorID: String?
  @Field(key: "client_address") public var clientAddress: String
  @Field(key: "action") public var action: String
  @Field(key: "record_type") public var recordType: String
  @Field(key: "record_id") public var recordID: String
  @OptionalField(key: "before") public var before: String?
  @OptionalField(key: "after") public var after: String?
  @Field(key: "prev_hash") public var prevHash: String
  @Field(key: "hash") public var hash: String

  public init() {}

  public init(_ record: AuditRecord) {
    chain = record.chain
    seq = record.seq
    atMillis = record.atMillis
    actor = record.actor
    actorID = record.actorID
    clientAddress = record.clientAddress
    action = record.action
    recordType = record.recordType
    recordID = record.recordID
    before = record.before
    after = record.after
    prevHash = record.prevHash
    hash = record.hash
  }

  public var record: AuditRecord {
    AuditRecord(
      chain: chain, seq: seq, atMillis: atMillis, actor: actor, actorID: actorID, clientAddress: clientAddress, action: action,
      recordType: recordType, recordID: recordID, before: before, after: after, prevHash: prevHash, hash: hash)
  }
}
