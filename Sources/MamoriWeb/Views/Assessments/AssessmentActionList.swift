import Fluent
import Foundation
import MamoriCore
import Vapor

/// The action list: every action the self-checks raised, filtered by status, owner and section, sorted by
/// due date, number, owner or status; edited one by one, downloaded as a workbook and printed on A4.
extension AssessmentsController {
  struct ActionFilter: Sendable, Equatable {
    enum Sort: String, CaseIterable, Sendable { case due, number, owner, status }
    /// `active` (open and in progress, the default), `all`, or one `ActionStatus`.
    var status = "active"
    var owner = ""
    /// `catalogID/sectionID`, or empty for every section.
    var section = ""
    /// `overdue` (before today), `soon` (today and the next 30 days), or empty for any due date.
    var due = ""
    var sort = Sort.due
    static let soonDays = 30

    init(status: String = "active") { self.status = status }

    init(query: any URLQueryContainer) {
      let status = (try? query.get(String.self, at: "status")) ?? "active"
      self.status = (["active", "all"] + ActionStatus.allCases.map(\.rawValue)).contains(status) ? status : "active"
      owner = String(((try? query.get(String.self, at: "owner")) ?? "").prefix(Assessments.maximumOwner))
      section = String(((try? query.get(String.self, at: "section")) ?? "").prefix(200))
      due = (try? query.get(String.self, at: "due")).flatMap { ["overdue", "soon"].contains($0) ? $0 : nil } ?? ""
      sort = (try? query.get(String.self, at: "sort")).flatMap(Sort.init(rawValue:)) ?? .due
    }

    var query: [(String, String)] {
      [("status", status), ("owner", owner), ("section", section), ("due", due), ("sort", sort.rawValue)].filter { !$0.1.isEmpty }
    }

    func matches(_ action: AssessmentAction, sectionKey: String, today: CivilDate) -> Bool {
      switch status {
      case "active": if !action.status.isActive { return false }
      case "all": break
      default: if action.status.rawValue != status { return false }
      }
      if !owner.isEmpty, action.owner != owner { return false }
      if !section.isEmpty, sectionKey != section { return false }
      switch due {
      case "overdue": return action.dueOn.map { $0 < today } ?? false
      case "soon": return action.dueOn.map { $0 >= today && $0 <= today.adding(days: Self.soonDays) } ?? false
      default: return true
      }
    }
  }

  /// One action with what the list shows and sorts by.
  struct ActionLine {
    var action: AssessmentAction
    var catalog: Catalog?
    var item: Catalog.Item?
    var order: (Int, Int)
    var sectionKey: String
    var round: String
    /// The names of the action's own evidence files, oldest first.
    var files: [String] = []
  }

  /// The organisation's actions with their catalogs' items and the rounds that raised them, filtered and
  /// sorted: five queries whatever the number of actions.
  static func actionLines(_ req: Request, filter: ActionFilter) async throws -> (lines: [ActionLine], all: [ActionLine]) {
    let tenant = try await req.tenant()
    let catalogs = try await catalogs(req)
    let actions = try await AssessmentActions.all(organisationID: tenant.organisationID, on: req.db)
    let rounds = try await Assessment.query(in: tenant.organisationID, on: req.db).all()
    let titles = Dictionary(uniqueKeysWithValues: rounds.compactMap { round in round.id.map { ($0, round.title) } })
    let files = try await Evidence.files(of: actions.compactMap(\.id), organisationID: tenant.organisationID, on: req.db)
    let all = actions.map { action -> ActionLine in
      let catalogIndex = catalogs.firstIndex { $0.id == action.catalogID }
      let catalog = catalogIndex.map { catalogs[$0] }
      let itemIndex = catalog?.items.firstIndex { $0.id == action.itemID }
      let item = itemIndex.flatMap { catalog?.items[$0] }
      return ActionLine(
        action: action, catalog: catalog, item: item, order: (catalogIndex ?? Int.max, itemIndex ?? Int.max),
        sectionKey: "\(action.catalogID)/\(item?.sectionID ?? "")", round: titles[action.$assessment.id] ?? "",
        files: action.id.flatMap { files[$0] }?.map(\.fileName) ?? [])
    }
    var lines = all.filter { filter.matches($0.action, sectionKey: $0.sectionKey, today: tenant.today) }
    func byNumber(_ a: ActionLine, _ b: ActionLine) -> Bool { a.order < b.order }
    let statusOrder = Dictionary(uniqueKeysWithValues: ActionStatus.allCases.enumerated().map { ($1, $0) })
    switch filter.sort {
    case .number:
      lines.sort(by: byNumber)
    case .due:
      // Undated actions last; the same day in catalog order.
      lines.sort { a, b in
        switch (a.action.dueOn, b.action.dueOn) {
        case let (x?, y?): return x == y ? byNumber(a, b) : x < y
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return byNumber(a, b)
        }
      }
    case .owner:
      lines.sort { a, b in
        let (x, y) = (a.action.owner, b.action.owner)
        if x == y { return byNumber(a, b) }
        if x.isEmpty || y.isEmpty { return !x.isEmpty }
        return x < y
      }
    case .status:
      lines.sort { a, b in
        let (x, y) = (statusOrder[a.action.status] ?? 0, statusOrder[b.action.status] ?? 0)
        return x == y ? byNumber(a, b) : x < y
      }
    }
    return (lines, all)
  }

  static func actionRow(_ line: ActionLine, today: CivilDate, req: Request) throws -> ActionListView.Row {
    let language = req.language
    let id = try line.action.requireID()
    let number = line.item.flatMap { item in line.catalog.map { qualifiedNumber(item, catalog: $0, language: language) } } ?? line.action.itemID
    return ActionListView.Row(
      number: number, text: line.item?.text.text(language) ?? line.action.itemID,
      section: line.item?.sectionID.flatMap { line.catalog?.section($0) }?.title.text(language) ?? "",
      owner: line.action.owner, due: req.display(line.action.dueOn) ?? "",
      overdue: line.action.status.isActive && (line.action.dueOn.map { $0 < today } ?? false),
      status: req.t(line.action.status.labelKey), statusCode: line.action.status.rawValue, note: line.action.note, round: line.round,
      evidenceCount: line.files.count, href: SiteRoute.assessmentAction(id).path)
  }

  struct ActionListView: Encodable, Sendable {
    struct Row: Encodable, Sendable {
      var number: String
      var text: String
      var section: String
      var owner: String
      var due: String
      var overdue: Bool
      var status: String
      var statusCode: String
      var note: String
      var round: String
      var evidenceCount: Int
      var href: String
    }

    struct Option: Encodable, Sendable {
      var value: String
      var label: String
      var selected: Bool
    }

    var rows: [Row]?
    var statuses: [Option]
    var dues: [Option]
    var owners: [Option]
    var sections: [Option]
    var sorts: [Option]
    var action = SiteRoute.assessmentActions.path
    var exportHref: String
    var backHref = SiteRoute.assessments.path
    var count: Int
    var overdue: Int
  }

  @Sendable static func actions(req: Request) async throws -> Response {
    let tenant = try await req.tenant()
    let filter = ActionFilter(query: req.query)
    let (lines, all) = try await actionLines(req, filter: filter)
    let rows = try lines.map { try actionRow($0, today: tenant.today, req: req) }
    let language = req.language
    var sections: [ActionListView.Option] = []
    var seenSections: Set<String> = []
    for line in all.sorted(by: { $0.order < $1.order }) where seenSections.insert(line.sectionKey).inserted {
      let title = line.item?.sectionID.flatMap { line.catalog?.section($0) }?.title.text(language) ?? line.action.catalogID
      sections.append(
        .init(
          value: line.sectionKey, label: (line.catalog.map { $0.name.text(language) + " — " } ?? "") + title,
          selected: line.sectionKey == filter.section))
    }
    let owners = Set(all.map(\.action.owner).filter { !$0.isEmpty }).sorted()
    let view = ActionListView(
      rows: rows.nonEmpty,
      statuses: [
        .init(value: "active", label: req.t("actions.filter_active"), selected: filter.status == "active"),
        .init(value: "all", label: req.t("actions.filter_all"), selected: filter.status == "all"),
      ] + ActionStatus.allCases.map { .init(value: $0.rawValue, label: req.t($0.labelKey), selected: filter.status == $0.rawValue) },
      dues: [
        .init(value: "overdue", label: req.t("actions.due_overdue"), selected: filter.due == "overdue"),
        .init(value: "soon", label: req.t("actions.due_soon", ["days": String(ActionFilter.soonDays)]), selected: filter.due == "soon"),
      ],
      owners: owners.map { .init(value: $0, label: $0, selected: $0 == filter.owner) },
      sections: sections,
      sorts: ActionFilter.Sort.allCases.map { .init(value: $0.rawValue, label: req.t("actions.sort_\($0.rawValue)"), selected: $0 == filter.sort) },
      exportHref: SiteRoute.assessmentActionsExport.path(query: filter.query), count: rows.count,
      overdue: rows.filter(\.overdue).count)
    return try await req.renderPage("assessment-actions", title: req.t("assessments.actions_title"), body: view)
  }

  /// The action list as a workbook, with the page's filter and order, printable on A4.
  @Sendable static func exportActions(req: Request) async throws -> Response {
    let tenant = try await req.tenant()
    let filter = ActionFilter(query: req.query)
    let (lines, _) = try await actionLines(req, filter: filter)
    let rows = try lines.map { try actionRow($0, today: tenant.today, req: req) }
    let sheet = actionSheet(
      rows: rows, lines: lines, title: req.t("actions.sheet_title", ["organisation": tenant.organisation.name]), req: req)
    let data = try XLSXWriter.data(XLSXWorkbook(sheets: [sheet], title: req.t("assessments.actions_title")))
    try await req.audit("assessment_action.export", "organisation", id: tenant.organisationID.uuidString.lowercased())
    let response = Response(status: .ok, body: .init(data: data))
    response.headers.contentType = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers.replaceOrAdd(name: .contentDisposition, value: attachment("actions-\(tenant.today.iso).xlsx"))
    return response
  }

  /// The sheet of an action list: a title row, a header, one row per action; due dates as Excel dates.
  static func actionSheet(rows: [ActionListView.Row], lines: [ActionLine], title: String, req: Request) -> XLSXSheet {
    let header: [XLSXCell] = [
      "assessments.number", "assessments.item", "actions.section", "assessments.owner", "assessments.due", "actions.status_label",
      "assessments.note", "actions.raised_in", "assessments.evidence",
    ].map { .text(req.t($0), .header) }
    var cells: [[XLSXCell]] = [[.text(title, .title)], header]
    for (row, line) in zip(rows, lines) {
      let due: XLSXCell = line.action.dueOn.map { .date(year: $0.year, month: $0.month, day: $0.day) } ?? .empty
      cells.append([
        .text(row.number), .text(row.text, .wrap), .text(row.section, .wrap), .text(row.owner), due, .text(row.status),
        .text(row.note, .wrap), .text(row.round), .text(line.files.joined(separator: "\n"), .wrap),
      ])
    }
    let widths: [Double] = [8, 60, 24, 16, 12, 10, 40, 20, 30]
    var heights: [Int: Double] = [:]
    for (index, row) in rows.enumerated() {
      heights[index + 3] = XLSXSheet.fittingHeight(
        [(row.text, widths[1]), (row.section, widths[2]), (row.note, widths[6]), (lines[index].files.joined(separator: "\n"), widths[8])])
    }
    return XLSXSheet(
      name: req.t("actions.sheet_name"), columnWidths: widths, rows: cells, frozenRows: 2, rowHeights: heights,
      autoFilter: "A2:I\(max(2, cells.count))", printTitleRows: 2...2, page: .init(landscape: true))
  }

  struct ActionForm: Content {
    var status: String?
    var owner: String?
    var due: String?
    var note: String?
  }

  struct ActionEditView: Encodable, Sendable {
    var number: String
    var text: String
    var section: String
    var round: String
    var roundHref: String
    var statuses: [ActionListView.Option]
    var values: [String: String]
    var errors: FieldErrors
    var action: String
    var backHref = SiteRoute.assessmentActions.path
    var ownerMaximum = Assessments.maximumOwner
    var noteMaximum = AssessmentActions.maximumNote
    /// The action's own files, with their delete forms (outside the action's form).
    var evidence: [EvidenceRow]?
    var evidenceAction: String
    var accept = EvidenceFile.acceptedExtensions.map { "." + $0 }.joined(separator: ",")
    /// The item's files in the catalog's latest round, read-only here (they are changed on the round's page).
    var itemEvidence: [EvidenceRow]?
    var itemEvidenceRound: String?
    var itemEvidenceHref: String?
  }

  @Sendable static func action(req: Request) async throws -> Response {
    let action = try await req.find(AssessmentAction.self, "actionID")
    return try await renderAction(req, action: action, values: nil, errors: [:])
  }

  static func renderAction(
    _ req: Request, action: AssessmentAction, values: [String: String]?, errors: [String: String], status: HTTPResponseStatus = .ok
  ) async throws -> Response {
    let tenant = try await req.tenant()
    let catalog = Assessments.catalog(action.catalogID, in: try await catalogs(req))
    let round = try await Assessment.query(in: tenant.organisationID, on: req.db).filter(\.$id == action.$assessment.id).first()
    let actionID = try action.requireID()
    let files = try await Evidence.files(of: [actionID], organisationID: tenant.organisationID, on: req.db)[actionID] ?? []
    // The round the item is worked on now: the catalog's latest, which carries the item's files over.
    let latest = try await Assessment.query(in: tenant.organisationID, on: req.db).filter(\.$catalogID == action.catalogID)
      .sort(\.$startedOn, .descending).sort(\.$createdAt, .descending).first()
    var itemFiles: [AssessmentEvidence] = []
    if let latestID = latest?.id {
      itemFiles = try await AssessmentEvidence.query(in: tenant.organisationID, on: req.db).filter(\.$assessment.$id == latestID)
        .filter(\.$itemID == action.itemID).sort(\.$createdAt).all()
    }
    let view = try actionEditView(
      req, action: action, catalog: catalog, round: round, files: files, latest: latest, itemFiles: itemFiles, values: values, errors: errors)
    return try await req.renderPage("assessment-action", title: req.t("actions.edit_title", ["number": view.number]), body: view, status: status)
  }

  /// The action's page from what was loaded (no database): its form, its own files, and the item's files
  /// in the catalog's latest round.
  static func actionEditView(
    _ req: Request, action: AssessmentAction, catalog: Catalog?, round: Assessment?, files: [AssessmentActionEvidence], latest: Assessment?,
    itemFiles: [AssessmentEvidence], values: [String: String]?, errors: [String: String]
  ) throws -> ActionEditView {
    let language = req.language
    let item = catalog?.item(action.itemID)
    let chosen = values?["status"] ?? action.status.rawValue
    let actionID = try action.requireID()
    func size(_ bytes: Int) -> String { ByteCountFormatter.string(fromByteCount: Int64(bytes), countStyle: .file) }
    return ActionEditView(
      number: item.flatMap { item in catalog.map { qualifiedNumber(item, catalog: $0, language: language) } } ?? action.itemID,
      text: item?.text.text(language) ?? action.itemID,
      section: item?.sectionID.flatMap { catalog?.section($0) }?.title.text(language) ?? "", round: round?.title ?? "",
      roundHref: SiteRoute.assessment(action.$assessment.id).path,
      statuses: ActionStatus.allCases.map { .init(value: $0.rawValue, label: req.t($0.labelKey), selected: $0.rawValue == chosen) },
      values: values ?? ["owner": action.owner, "due": action.dueOn?.iso ?? "", "note": action.note],
      errors: FieldErrors(errors), action: SiteRoute.assessmentAction(actionID).path,
      evidence: files.compactMap { file -> EvidenceRow? in
        guard let fileID = file.id else { return nil }
        // The delete "form" is the delete address here: each file has its own small form after the action's.
        return EvidenceRow(
          name: file.fileName, size: size(file.size), href: SiteRoute.assessmentActionEvidenceFile(actionID, fileID).path,
          deleteForm: SiteRoute.assessmentActionEvidenceDelete(actionID, fileID).path)
      }.nonEmpty,
      evidenceAction: SiteRoute.assessmentActionEvidence(actionID).path,
      itemEvidence: try latest.map { round in
        try itemFiles.compactMap { file -> EvidenceRow? in
          guard let fileID = file.id else { return nil }
          return EvidenceRow(
            name: file.fileName, size: size(file.size), href: SiteRoute.assessmentEvidenceFile(try round.requireID(), fileID).path,
            deleteForm: "")
        }
      }?.nonEmpty,
      itemEvidenceRound: latest?.title,
      itemEvidenceHref: try latest.map { round in
        SiteRoute.assessmentSection(try round.requireID(), item?.sectionID).path + "#item-\(action.itemID)"
      })
  }

  @Sendable static func updateAction(req: Request) async throws -> Response {
    let action = try await req.find(AssessmentAction.self, "actionID")
    let form = try req.content.decode(ActionForm.self)
    let input = AssessmentActions.Input(status: form.status ?? "", owner: form.owner ?? "", due: form.due ?? "", note: form.note ?? "")
    do {
      try await AssessmentActions.update(action, input, actor: req.auditActor, now: req.now, on: req.db)
      return req.redirect(to: SiteRoute.assessmentActions, flash: .saved)
    } catch let invalid as ValidationFailure {
      return try await renderAction(
        req, action: action, values: ["status": input.status, "owner": input.owner, "due": input.due, "note": input.note],
        errors: req.messages(invalid.issues), status: .unprocessableEntity)
    }
  }
}
