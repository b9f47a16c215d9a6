import Crypto
import Foundation

/// One entry of the audit trail as it is hashed, stored, exported and verified.
///
/// Each organisation has a chain of its own (`chain` is its id) and the platform has one more
/// (`platform`): operator actions, sign-ins of accounts without an organisation. Entries are only
/// appended; each carries the hash of the one before it, so an entry that is edited, removed or moved
/// breaks every hash after it, which ``AuditChain/verify(_:)`` reports.
public struct AuditRecord: Codable, Sendable, Equatable {
  public var chain: String
  public var seq: Int
  /// Milliseconds since 1970 (UTC): an integer, so that every database gives the same value back.
  public var atMillis: Int64
  /// Who acted: the account's e-mail address, `cli` for the command line, `system` for Mamori itself,
  /// or the address typed into a failed sign-in.
  public var actor: String
  public var actorID: String?
  public var clientAddress: String
  /// What happened, as `record.verb` (`person.create`, `auth.sign_in_failed`, `audit.export`…).
  public var action: String
  public var recordType: String
  public var recordID: String
  /// The record before and after, as canonical JSON (sorted keys), or nil.
  public var before: String?
  public var after: String?
  public var prevHash: String
  public var hash: String

  public init(
    chain: String, seq: Int, atMillis: Int64, actor: String, actorID: String?, clientAddress: String, action: String,
    recordType: String, recordID: String, before: String?, after: String?, prevHash: String, hash: String = ""
  ) {
    self.chain = chain
    self.seq = seq
    self.atMillis = atMillis
    self.actor = actor
    self.actorID = actorID
    self.clientAddress = clientAddress
    self.action = action
    self.recordType = recordType
    self.recordID = recordID
    self.before = before
    self.after = after
    self.prevHash = prevHash
    self.hash = hash
  }

  public var at: Date { Date(timeIntervalSince1970: TimeInterval(atMillis) / 1000) }
}

public enum AuditChain {
  /// The chain of the platform (operator actions); organisations' chains are named by their id.
  public static let platform = "platform"
  /// The `prev_hash` of a chain's first entry.
  public static let genesis = String(repeating: "0", count: 64)

  /// The exact bytes hashed: a version tag and every field but the hash, each length-prefixed so that
  /// no choice of values can make two different entries encode alike.
  public static func canonical(_ record: AuditRecord) -> Data { Data(canonicalBytes(record)) }

  /// The bytes of ``canonical(_:)`` written straight into one buffer: an import seals an entry per
  /// record, hundreds of thousands at a time.
  static func canonicalBytes(_ record: AuditRecord) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(256 + (record.before?.utf8.count ?? 0) + (record.after?.utf8.count ?? 0))
    func field(_ text: String, marker: UInt8? = nil) {
      let count = text.utf8.count + (marker == nil ? 0 : 1)
      bytes.append(contentsOf: String(count).utf8)
      bytes.append(UInt8(ascii: ":"))
      if let marker { bytes.append(marker) }
      bytes.append(contentsOf: text.utf8)
      bytes.append(0x0A)
    }
    for text in [
      "mamori-audit-v1", record.chain, String(record.seq), String(record.atMillis), record.actor, record.actorID ?? "",
      record.clientAddress, record.action, record.recordType, record.recordID,
    ] {
      field(text)
    }
    if let before = record.before { field(before, marker: UInt8(ascii: "1")) } else { field("0") }
    if let after = record.after { field(after, marker: UInt8(ascii: "1")) } else { field("0") }
    field(record.prevHash)
    return bytes
  }

  public static func hash(_ record: AuditRecord) -> String {
    Hex.encode(SHA256.hash(data: canonicalBytes(record)))
  }

  /// The record with its hash, following `previous` (nil: the first of its chain).
  public static func seal(_ record: AuditRecord, after previous: AuditRecord?) -> AuditRecord {
    var sealed = record
    sealed.seq = (previous?.seq ?? 0) + 1
    sealed.prevHash = previous?.hash ?? genesis
    sealed.hash = hash(sealed)
    return sealed
  }

  public enum Verdict: Equatable, Sendable {
    case intact(count: Int)
    /// The first entry that does not fit, by its position in the chain, and why.
    case broken(seq: Int, reason: String)
  }

  /// Checks one chain, given in stored order (by `seq`): numbering without gaps from 1, each entry
  /// linked to the one before, each hash matching its content.
  public static func verify(_ records: [AuditRecord]) -> Verdict {
    var previous: AuditRecord?
    for (index, record) in records.enumerated() {
      let expected = index + 1
      if record.seq != expected {
        return .broken(
          seq: expected,
          reason: record.seq > expected
            ? "entry \(expected) is missing (the next entry is \(record.seq))" : "entry \(record.seq) appears out of order")
      }
      if record.prevHash != (previous?.hash ?? genesis) {
        return .broken(seq: record.seq, reason: "does not follow entry \(record.seq - 1) (its previous hash differs)")
      }
      if hash(record) != record.hash {
        return .broken(seq: record.seq, reason: "was changed after it was written (its hash does not match its content)")
      }
      if let previous, record.chain != previous.chain {
        return .broken(seq: record.seq, reason: "belongs to chain \(record.chain), not \(previous.chain)")
      }
      previous = record
    }
    return .intact(count: records.count)
  }

  /// Canonical JSON of a value for `before`/`after`: sorted keys, no escaped slashes, so that the same
  /// record always gives the same text.
  public static func json<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    guard let data = try? encoder.encode(value) else { return "null" }
    return String(decoding: data, as: UTF8.self)
  }
}
