import Fluent
import Foundation
import SQLKit
import MamoriCore

/// An organisation's data version: the day and its audit chain's tail (sequence number and hash).
/// Every change appends to the chain in its own transaction, so the version moves with every
/// committed change, in whichever process it was made; the day is part of it because findings and
/// overdue counts change at midnight without any change to the data.
enum TenantVersion {
  static func read(organisationID: UUID, today: CivilDate, on database: any Database) async throws -> String {
    let tail = try await AuditTrail.tail(chain: AuditEvent.chain(organisationID), on: database)
    return version(today: today, tail: "\(tail?.seq ?? 0):\(tail?.hash ?? "")")
  }

  static func version(today: CivilDate, tail: String) -> String { "\(today.iso)#\(tail)" }

  /// The chain tail of a version: its text (`seq:hash`) and sequence number (nil if unreadable).
  static func tail(of version: String) -> (text: String, seq: Int?) {
    guard let mark = version.firstIndex(of: "#") else { return (version, nil) }
    let text = String(version[version.index(after: mark)...])
    return (text, text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.flatMap { Int($0) })
  }

  /// The chain tail as `seq:hash` ("0:" for an empty chain) computed inside a statement whose row has
  /// the organisation's id in `organisationID` (the session lookup): the same text as ``read``.
  static func tail(organisationID column: String, dialect: String) -> SQLQueryString {
    // Ids are stored as upper-case text by SQLite and as `uuid` by PostgreSQL; chains are lower case.
    let chain = dialect == "postgresql" ? "CAST(\(column) AS TEXT)" : "lower(\(column))"
    return """
      COALESCE((SELECT CAST(a.seq AS TEXT) || ':' || a.hash FROM audit_entries a \
      WHERE a.chain = \(unsafeRaw: chain) ORDER BY a.seq DESC LIMIT 1), '0:')
      """
  }
}

/// The register's findings per organisation, kept until the register changes or the day turns over.
///
/// Findings are computed from the whole register (every person, asset and grant), and the home page
/// shows them on every visit. `mamori findings` always computes afresh.
final class FindingsCache: Sendable {
  private let cache = VersionedCache<UUID, AssetRegister.FindingsReport>()

  /// How often the findings were computed rather than reused (for tests).
  var computed: Int { cache.computed }

  func report(
    organisationID: UUID, today: CivilDate, version: String? = nil, on database: any Database
  ) async throws -> AssetRegister.FindingsReport {
    let current: String
    if let version {
      current = version
    } else {
      current = try await TenantVersion.read(organisationID: organisationID, today: today, on: database)
    }
    return try await cache.value(for: organisationID, version: current) {
      try await AssetRegister.findings(organisationID: organisationID, today: today, on: database)
    }
  }
}
