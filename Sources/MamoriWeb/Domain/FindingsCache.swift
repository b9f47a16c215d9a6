import Fluent
import Foundation
import MamoriCore

/// An organisation's data version: the day and its audit chain's tail (sequence number and hash).
/// Every change appends to the chain in its own transaction, so the version moves with every
/// committed change, in whichever process it was made; the day is part of it because findings and
/// overdue counts change at midnight without any change to the data.
enum TenantVersion {
  static func read(organisationID: UUID, today: CivilDate, on database: any Database) async throws -> String {
    let tail = try await AuditTrail.tail(chain: AuditEvent.chain(organisationID), on: database)
    return "\(today.iso)#\(tail?.seq ?? 0):\(tail?.hash ?? "")"
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
