import Foundation
import MamoriCore
import Vapor

extension AuditTrailPage {
  /// What the template shows: texts translated, times in the organisation's zone.
  struct View: Encodable, Sendable {
    var actorLimit = Filter.maximumActor
    struct Row: Encodable, Sendable {
      var seq: Int
      var at: String
      var actor: String
      var address: String
      var action: String
      var actionCode: String
      var record: String
      var before: String?
      var after: String?
    }

    struct Choice: Encodable, Sendable {
      var value: String
      var label: String
      var selected: Bool
    }

    var rows: [Row]?
    var intact: Bool
    var verdict: String
    var summary: String
    var kinds: [Choice]
    var actor: String
    var from: String
    var to: String
    var action: String
    var exportCSV: String
    var exportJSONL: String
    var previousHref: String?
    var nextHref: String?
    /// Labels repeated on every row, translated once rather than by a tag per row.
    var beforeLabel: String
    var afterLabel: String
  }

  static func view(_ model: Model, _ req: Request) -> View {
    let filter = model.filter
    let verdict: String
    let intact: Bool
    switch model.verdict {
    case .intact(let count):
      intact = true
      verdict = req.t("audit_trail.intact", ["count": String(count)])
    case .broken(let seq, let reason):
      intact = false
      verdict = req.t("audit_trail.broken", ["seq": String(seq), "reason": reason])
    }
    let t = req.translator
    let rows = model.entries.map { entry in
      View.Row(
        seq: entry.seq, at: DateDisplay.dateTime(entry.at, t.language, timeZone: model.timeZone), actor: entry.actor,
        address: entry.clientAddress, action: actionLabel(entry.action, t), actionCode: entry.action,
        record: "\(entry.recordType) \(entry.recordID)", before: entry.before, after: entry.after)
    }
    let pages = max(1, (model.matching + pageSize - 1) / pageSize)
    func link(_ page: Int) -> String {
      SiteRoute.auditTrail.path(query: filter.query + (page > 1 ? [("page", String(page))] : []))
    }
    return View(
      rows: rows.nonEmpty, intact: intact, verdict: verdict,
      summary: req.t("audit_trail.summary", ["count": String(model.matching), "page": String(filter.page), "pages": String(pages)]),
      kinds: [View.Choice(value: "", label: req.t("audit_trail.all_kinds"), selected: filter.kind == nil)]
        + kinds.map { View.Choice(value: $0, label: req.t("audit_trail.kind.\($0)"), selected: filter.kind == $0) },
      actor: filter.actor, from: filter.from?.iso ?? "", to: filter.to?.iso ?? "", action: SiteRoute.auditTrail.path,
      exportCSV: SiteRoute.auditTrailExport.path(query: filter.query + [("format", "csv")]),
      exportJSONL: SiteRoute.auditTrailExport.path(query: filter.query + [("format", "jsonl")]),
      previousHref: filter.page > 1 ? link(filter.page - 1) : nil,
      nextHref: filter.page < pages ? link(filter.page + 1) : nil,
      beforeLabel: req.t("audit_trail.before"), afterLabel: req.t("audit_trail.after"))
  }

  /// The action in the reader's language when the catalog knows it, else its code.
  static func actionLabel(_ action: String, _ t: Translator) -> String {
    let key = "audit_trail.action." + action
    return t.catalog.has(key) ? t(key) : action
  }
}
