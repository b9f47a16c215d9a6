import Foundation
import MamoriCore
import Vapor

extension AssetsIndex {
  struct View: Encodable, Sendable {
    struct Row: Encodable, Sendable {
      var code: String
      var name: String
      var href: String
      var level: String
      var levelCode: String
      var form: String
      var group: String
      var owner: String
      var grants: String
      var isCore: Bool
    }

    var rows: [Row]?
    var text: String
    var levels: [PeopleIndex.View.Option]
    var groups: [PeopleIndex.View.Option]
    var summary: String
    var pages: [PeopleIndex.View.PageLink]?
    var newHref: String
    var rulesHref: String
    var exportHref = SiteRoute.registerExport.path(query: [("file", "assets")])
    var grantsExportHref = SiteRoute.registerExport.path(query: [("file", "grants")])
    var exportWorkbookHref = SiteRoute.registerExport.path(query: [("file", "assets"), ("format", "xlsx")])
    var grantsExportWorkbookHref = SiteRoute.registerExport.path(query: [("file", "grants"), ("format", "xlsx")])
    var importHref = SiteRoute.registerImport.path(query: [("file", "assets")])
    var isFiltered: Bool
    var clearHref: String
    var action = SiteRoute.assets.path
  }

  static func view(_ model: Model, req: Request) -> View {
    let filter = model.filter
    // Labels once per page, not once per row.
    let t = req.translator
    let levels = Dictionary(uniqueKeysWithValues: AssetLevel.allCases.map { ($0, t($0.labelKey)) })
    let forms = Dictionary(uniqueKeysWithValues: AssetForm.allCases.map { ($0, t($0.labelKey)) })
    let noOwner = t("assets.no_owner")
    let rows = model.assets.compactMap { asset -> View.Row? in
      let id = asset.id
      return View.Row(
        code: asset.code, name: asset.name, href: SiteRoute.asset(id).path, level: levels[asset.level] ?? "",
        levelCode: asset.level.rawValue, form: forms[asset.form] ?? "", group: asset.group.isEmpty ? "—" : asset.group,
        owner: asset.ownerName ?? noOwner, grants: "\(asset.grants)", isCore: asset.isCore)
    }
    let pages: [PeopleIndex.View.PageLink] =
      model.pageCount > 1
      ? (1...model.pageCount).map { number in
        .init(label: "\(number)", href: SiteRoute.assets.path(query: filter.query + [("page", "\(number)")]), current: number == filter.page)
      } : []
    return View(
      rows: rows.nonEmpty, text: filter.text,
      levels: AssetLevel.allCases.map { .init(value: $0.rawValue, label: req.t($0.labelKey), selected: $0 == filter.level) },
      groups: model.groups.map { .init(value: $0, label: $0, selected: $0 == filter.group) },
      summary: model.matching == model.total
        ? req.t("assets.summary_all", ["total": "\(model.total)"])
        : req.t("assets.summary_filtered", ["matching": "\(model.matching)", "total": "\(model.total)"]),
      pages: pages.nonEmpty, newHref: SiteRoute.assetNew.path, rulesHref: SiteRoute.handlingRules.path,
      isFiltered: !filter.query.isEmpty, clearHref: SiteRoute.assets.path)
  }
}
