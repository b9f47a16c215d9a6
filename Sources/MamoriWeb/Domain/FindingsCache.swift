import Fluent
import Foundation
import MamoriCore

/// The register's findings per organisation, kept until the register changes or the day turns over.
///
/// Findings are computed from the whole register (every person, asset and grant), and the home page
/// shows them on every visit. Every change to the register appends to the organisation's audit chain
/// in the same transaction, so the chain's tail (sequence number and hash) is a version of the register
/// that every `serve` process reads from the database: a process never serves findings older than the
/// last committed change. `mamori findings` always computes afresh.
final class FindingsCache: @unchecked Sendable {
  /// Organisations kept at once; past it the cache starts over (a platform has a handful).
  static let capacity = 256
  private let lock = NSLock()
  private var reports: [UUID: (version: String, report: AssetRegister.FindingsReport)] = [:]
  private var computations = 0
  /// How often the findings were computed rather than reused (for tests).
  var computed: Int { lock.withLock { computations } }

  func report(organisationID: UUID, today: CivilDate, on database: any Database) async throws -> AssetRegister.FindingsReport {
    let tail = try await AuditTrail.tail(chain: AuditEvent.chain(organisationID), on: database)
    let version = "\(today.iso)#\(tail?.seq ?? 0):\(tail?.hash ?? "")"
    if let cached = lock.withLock({ reports[organisationID] }), cached.version == version { return cached.report }
    let report = try await AssetRegister.findings(organisationID: organisationID, today: today, on: database)
    lock.withLock {
      if reports.count >= Self.capacity { reports.removeAll() }
      reports[organisationID] = (version, report)
      computations += 1
    }
    return report
  }
}
