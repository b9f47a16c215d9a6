import Fluent
import Foundation
import MamoriCore
import Vapor

/// The home page's register section: counts of findings by kind, each linking to the findings page.
/// Kept apart from the rest of the dashboard so that other sections can be added beside it.
extension Dashboard {
  struct FindingsSummary: Encodable, Sendable {
    var counts: [View.Stat]
    var total: String
    var href: String
    var assetsHref: String
  }

  static func loadFindings(_ req: Request, organisationID: UUID, today: CivilDate) async throws -> [Finding] {
    try await req.mamori.findings.report(
      organisationID: organisationID, today: today, version: try await req.tenantVersion(), on: req.db
    ).findings
  }

  static func findingsSummary(_ findings: [Finding]?, req: Request) -> FindingsSummary? {
    guard let findings else { return nil }
    return FindingsSummary(
      counts: Findings.counts(findings).filter { $0.1 > 0 }.map {
        View.Stat(label: req.t($0.0.labelKey), value: "\($0.1)", href: SiteRoute.findings.path(query: [("kind", $0.0.rawValue)]))
      },
      total: req.t("dashboard.findings_total", ["count": "\(findings.count)"]), href: SiteRoute.findings.path,
      assetsHref: SiteRoute.assets.path)
  }
}
