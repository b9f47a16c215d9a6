import Foundation
import MamoriCore
import Vapor

/// The register's findings: computed on every visit, most severe first, filterable by kind.
enum FindingsPage {
  struct View: Encodable, Sendable {
    struct Count: Encodable, Sendable {
      var kind: String
      var label: String
      var count: String
      var href: String
      var current: Bool
    }

    struct Row: Encodable, Sendable {
      var severity: String
      var severityCode: String
      var kind: String
      var person: String?
      var personHref: String?
      var asset: String?
      var assetHref: String?
      var detail: String
      var action: String
    }

    var counts: [Count]
    var rows: [Row]?
    var summary: String
    var clearHref: String?
    var pages: [PeopleIndex.View.PageLink]?
  }

  static func load(_ req: Request) async throws -> AssetRegister.FindingsReport {
    let tenant = try await req.tenant()
    return try await req.mamori.findings.report(organisationID: tenant.organisationID, today: tenant.today, on: req.db)
  }

  /// A finding's detail in the user's language.
  static func detail(_ finding: Finding, report: AssetRegister.FindingsReport, t: Translator) -> String {
    let date = t.display(finding.date) ?? ""
    switch finding.kind {
    case .assetWithoutOwner where finding.personID != nil:
      return t("finding.detail.owner_left", ["name": finding.personID.flatMap { report.people[$0]?.name } ?? "", "date": date])
    case .keyPerson:
      return t(
        "finding.detail.key_person",
        ["group": finding.group ?? "", "held": "\(finding.held ?? 0)", "total": "\(finding.total ?? 0)"])
    case .trainingOverdue:
      return t("finding.detail.training_overdue", ["course": finding.course ?? "", "date": date])
    case .grantNotReviewed:
      return t("finding.detail.grant_not_reviewed", ["campaign": finding.campaign ?? "", "date": date])
    case .pledgeMissing:
      let which = finding.outdated ? "outdated" : (finding.pledge ?? .joining).rawValue
      return t("finding.detail.pledge_missing_\(which)", ["date": date])
    default:
      return t("finding.detail.\(finding.kind.key)", ["date": date])
    }
  }

  /// Fifty findings a page, like the other lists (decision 49).
  static let pageSize = 50

  static func view(_ report: AssetRegister.FindingsReport, kind: FindingKind?, page: Int = 1, req: Request) -> View {
    let counts = Findings.counts(report.findings)
    let shown = report.findings.filter { kind == nil || $0.kind == kind }
    let pageCount = max(1, (shown.count + pageSize - 1) / pageSize)
    let page = min(max(1, page), pageCount)
    // Labels once per page, not once per row.
    let t = req.translator
    let severities = Dictionary(uniqueKeysWithValues: FindingSeverity.allCases.map { ($0, t($0.labelKey)) })
    let kinds = Dictionary(uniqueKeysWithValues: FindingKind.allCases.map { ($0, (label: t($0.labelKey), action: t($0.actionKey))) })
    let rows = shown.dropFirst((page - 1) * pageSize).prefix(pageSize).map { finding in
      let person = finding.personID.flatMap { report.people[$0] }
      let asset = finding.assetID.flatMap { report.assets[$0] }
      return View.Row(
        severity: severities[finding.severity] ?? "", severityCode: finding.severity.rawValue,
        kind: kinds[finding.kind]?.label ?? "",
        person: person.map { "\($0.name) (\(finding.personID ?? ""))" } ?? finding.personID,
        personHref: person.map { SiteRoute.person($0.id).path },
        asset: asset.map { "\(finding.assetID ?? "") \($0.name)" } ?? finding.assetID,
        assetHref: asset.map { SiteRoute.asset($0.id).path }, detail: detail(finding, report: report, t: t),
        action: kinds[finding.kind]?.action ?? "")
    }
    return View(
      counts: counts.map { kindCount in
        View.Count(
          kind: kindCount.0.rawValue, label: req.t(kindCount.0.labelKey), count: "\(kindCount.1)",
          href: SiteRoute.findings.path(query: [("kind", kindCount.0.rawValue)]), current: kindCount.0 == kind)
      },
      rows: rows.nonEmpty, summary: req.t("findings.summary", ["count": "\(shown.count)"]),
      clearHref: kind == nil ? nil : SiteRoute.findings.path,
      pages: pageCount > 1
        ? (1...pageCount).map { number in
          PeopleIndex.View.PageLink(
            label: "\(number)",
            href: SiteRoute.findings.path(query: (kind.map { [("kind", $0.rawValue)] } ?? []) + [("page", "\(number)")]),
            current: number == page)
        } : nil)
  }
}
