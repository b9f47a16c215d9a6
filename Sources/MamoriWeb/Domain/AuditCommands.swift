import Fluent
import Foundation
import MamoriCore
import Vapor

/// `mamori audit verify` and `mamori audit export`: the audit trail read from the same database as
/// `serve`.
public enum AuditCommands {
  public enum Failure: Error, Equatable {
    case unknownOrganisation(String)
  }

  public struct ChainReport: Sendable, Equatable {
    /// The organisation's slug, or `platform`.
    public var name: String
    public var verdict: AuditChain.Verdict
  }

  /// Checks every chain, or the one of the organisation `slug`.
  public static func verify(organisationSlug slug: String?, on app: Application) async throws -> [ChainReport] {
    var targets: [(name: String, chain: String)] = []
    if let slug {
      targets.append((slug, try await chain(of: slug, on: app.db)))
    } else {
      let organisations = try await Organisation.query(on: app.db).all()
      let names = Dictionary(uniqueKeysWithValues: organisations.compactMap { org in org.id.map { (AuditEvent.chain($0), org.slug) } })
      for chain in try await AuditTrail.chains(on: app.db) {
        targets.append((names[chain] ?? chain, chain))
      }
    }
    var reports: [ChainReport] = []
    for target in targets {
      reports.append(ChainReport(name: target.name, verdict: AuditChain.verify(try await AuditTrail.entries(chain: target.chain, on: app.db))))
    }
    return reports
  }

  public enum Format: String, CaseIterable, Sendable {
    case jsonl
    case csv
  }

  /// The columns of an export, in order: the contract of issue 8.
  public static let columns = ["seq", "at", "actor", "action", "record_type", "record_id", "before", "after", "prev_hash", "hash"]

  /// One line per entry of the organisation's chain (the platform's with slug `platform`).
  public static func export(organisationSlug slug: String, format: Format, on app: Application) async throws -> [String] {
    let chain = slug == AuditChain.platform ? AuditChain.platform : try await chain(of: slug, on: app.db)
    let records = try await AuditTrail.entries(chain: chain, on: app.db)
    return lines(records, format: format)
  }

  public static func lines(_ records: [AuditRecord], format: Format) -> [String] {
    switch format {
    case .jsonl:
      return records.map { record in
        var object: [String: Any] = [
          "seq": record.seq, "at": timestamp(record), "actor": record.actor, "action": record.action,
          "record_type": record.recordType, "record_id": record.recordID, "prev_hash": record.prevHash, "hash": record.hash,
        ]
        object["before"] = record.before.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8), options: .fragmentsAllowed) } ?? NSNull()
        object["after"] = record.after.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8), options: .fragmentsAllowed) } ?? NSNull()
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
      }
    case .csv:
      let rows = records.map { record in
        [
          String(record.seq), timestamp(record), record.actor, record.action, record.recordType, record.recordID, record.before ?? "",
          record.after ?? "", record.prevHash, record.hash,
        ]
      }
      return ([columns] + rows).map { $0.map(csvField).joined(separator: ",") }
    }
  }

  /// RFC 4180 quoting, and a leading `'` on cells a spreadsheet would take for a formula.
  static func csvField(_ value: String) -> String {
    var text = value
    if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  static func timestamp(_ record: AuditRecord) -> String {
    MamoriLogHandler.timestamp(record.at)
  }

  static func chain(of slug: String, on database: any Database) async throws -> String {
    guard let organisation = try await Organisation.query(on: database).filter(\.$slug == slug).first() else {
      throw Failure.unknownOrganisation(slug)
    }
    return AuditEvent.chain(try organisation.requireID())
  }
}
