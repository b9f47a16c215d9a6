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

  /// One computation per organisation and version at a time: a burst of requests on a cold cache
  /// waits for the same one instead of each reading the whole register.
  private var running: [String: Task<AssetRegister.FindingsReport, any Error>] = [:]

  func report(organisationID: UUID, today: CivilDate, on database: any Database) async throws -> AssetRegister.FindingsReport {
    let tail = try await AuditTrail.tail(chain: AuditEvent.chain(organisationID), on: database)
    let version = "\(today.iso)#\(tail?.seq ?? 0):\(tail?.hash ?? "")"
    let key = organisationID.uuidString + "#" + version
    let task: Task<AssetRegister.FindingsReport, any Error> = lock.withLock {
      if let cached = reports[organisationID], cached.version == version { return Task { cached.report } }
      if let inFlight = running[key] { return inFlight }
      let task = Task { try await AssetRegister.findings(organisationID: organisationID, today: today, on: database) }
      running[key] = task
      computations += 1
      return task
    }
    do {
      let report = try await task.value
      lock.withLock {
        running[key] = nil
        if reports.count >= Self.capacity { reports.removeAll() }
        reports[organisationID] = (version, report)
      }
      return report
    } catch {
      _ = lock.withLock { running.removeValue(forKey: key) }
      throw error
    }
  }
}
