import Foundation
import MamoriCore
import Vapor

extension PeopleIndex {
  struct View: Encodable, Sendable {
    struct Row: Encodable, Sendable {
      var code: String
      var name: String
      var href: String
      var department: String
      var employment: String
      var title: String
      var status: String
      var statusCode: String
      var exit: String
    }

    struct Option: Encodable, Sendable {
      var value: String
      var label: String
      var selected: Bool
    }

    struct PageLink: Encodable, Sendable {
      var label: String
      var href: String
      var current: Bool
    }

    var rows: [Row]?
    var text: String
    var departments: [Option]
    var types: [Option]
    var statuses: [Option]
    var summary: String
    var pages: [PageLink]?
    var newHref: String
    var isFiltered: Bool
    var clearHref: String
    var action = SiteRoute.people.path
    var exportHref = SiteRoute.registerExport.path(query: [("file", "people")])
    var exportWorkbookHref = SiteRoute.registerExport.path(query: [("file", "people"), ("format", "xlsx")])
    var importHref = SiteRoute.registerImport.path(query: [("file", "people")])
  }

  static func view(_ model: Model, req: Request) -> View {
    let filter = model.filter
    // Labels looked up once per page, not once per row: each lookup resolves the request's language.
    let employmentLabels = Dictionary(uniqueKeysWithValues: EmploymentType.allCases.map { ($0, req.t($0.labelKey)) })
    let statusLabels = Dictionary(uniqueKeysWithValues: PersonStatus.allCases.map { ($0, req.t($0.labelKey)) })
    let language = req.language
    let rows = model.people.map { person -> View.Row in
      let status = person.status(on: model.today)
      return View.Row(
        code: person.code, name: person.fullName, href: SiteRoute.person(person.id).path,
        department: model.departmentName(person.departmentID) ?? "—", employment: employmentLabels[person.employment] ?? "",
        title: person.jobTitle, status: statusLabels[status] ?? "", statusCode: status.rawValue,
        exit: person.exitDate.map { DateDisplay.date($0, language) } ?? "")
    }
    let pages: [View.PageLink] =
      model.pageCount > 1
      ? (1...model.pageCount).map { number in
        View.PageLink(
          label: "\(number)", href: SiteRoute.people.path(query: filter.query + [("page", "\(number)")]),
          current: number == filter.page)
      } : []
    return View(
      rows: rows.nonEmpty, text: filter.text,
      departments: model.departments.map { department in
        View.Option(
          value: department.id.uuidString.lowercased(), label: department.name, selected: department.id == filter.departmentID)
      },
      types: EmploymentType.allCases.map {
        View.Option(value: $0.rawValue, label: req.t($0.labelKey), selected: $0 == filter.type)
      },
      statuses: PersonStatus.allCases.map {
        View.Option(value: $0.rawValue, label: req.t($0.labelKey), selected: $0 == filter.status)
      },
      summary: model.matching == model.total
        ? req.t("people.summary_all", ["total": "\(model.total)"])
        : req.t("people.summary_filtered", ["matching": "\(model.matching)", "total": "\(model.total)"]),
      pages: pages.nonEmpty, newHref: SiteRoute.personNew.path, isFiltered: !filter.query.isEmpty,
      clearHref: SiteRoute.people.path)
  }
}
