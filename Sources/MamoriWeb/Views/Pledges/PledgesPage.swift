import Fluent
import Foundation
import MamoriCore
import Vapor

/// Pledges (誓約書): recorded on a person's page with an optional scan, listed with a filter by kind,
/// scans downloaded as attachments.
enum PledgesPage {
  static let pageSize = 50

  /// What the person page needs beyond the person: pledges, open pledge requests, the users who
  /// recorded them, the asset groups a project pledge may cover and the leaver case, in six queries.
  struct PersonModel: Sendable {
    var pledges: [Pledge]
    var requests: [PledgeRequest]
    var userNames: [UUID: String]
    var groups: [String]
    var leaver: (LeaverCase, [LeaverTask])?
  }

  static func loadForPerson(_ person: Person, organisationID: UUID, on database: any Database) async throws -> PersonModel {
    let personID = try person.requireID()
    let pledges = try await Pledge.query(in: organisationID, on: database).filter(\.$person.$id == personID)
      .sort(\.$signedOn, .descending).all()
    let requests = try await PledgeRequests.open(personID: personID, organisationID: organisationID, on: database)
    let users = try await User.query(in: organisationID, on: database).all()
    let groups = try await Asset.query(in: organisationID, on: database).unique().all(\.$group).filter { !$0.isEmpty }.sorted()
    var leaver: (LeaverCase, [LeaverTask])?
    if let leaverCase = try await LeaverCase.query(in: organisationID, on: database).filter(\.$person.$id == personID).first() {
      let tasks = try await LeaverTask.query(in: organisationID, on: database).filter(\.$leaverCase.$id == leaverCase.requireID()).all()
      leaver = (leaverCase, tasks)
    }
    return PersonModel(
      pledges: pledges, requests: requests,
      userNames: Dictionary(users.compactMap { user in user.id.map { ($0, user.displayName) } }, uniquingKeysWith: { first, _ in first }),
      groups: groups, leaver: leaver)
  }

  @Sendable static func record(req: Request) async throws -> Response {
    let person = try await req.find(Person.self, "personID")
    // One byte past the limit is still received, so that a file just too large gets the friendly
    // message; anything larger is cut off while it streams in (413), as for evidence.
    let upload = try await req.receiveUpload(maximumFileBytes: EvidenceFile.maximumBytes + 1)
    defer { upload.file?.remove() }
    let tenant = try await req.tenant()
    let draft = PledgeDraft(
      kind: upload.fields["kind"] ?? "", signedOn: upload.fields["signed_on"] ?? "", scope: upload.fields["scope"] ?? "",
      assetGroup: upload.fields["asset_group"] ?? "")
    let scan = try upload.file.map { Pledges.Scan(data: try $0.data(), fileName: $0.fileName) }
    do {
      _ = try await Pledges.record(
        draft, scan: scan, person: person, recordedBy: try req.requireUser().id, organisationID: tenant.organisationID,
        today: tenant.today, actor: req.auditActor, now: req.now, files: req.mamori.files, on: req.db)
      return req.redirect(to: SiteRoute.person(try person.requireID()).path + "#pledges-heading", flash: .pledgeRecorded)
    } catch let invalid as ValidationFailure {
      return try await PeopleController.renderShow(
        req, person: person, pledgeValues: upload.fields, pledgeErrors: FieldErrors(req.messages(invalid.issues)),
        status: .unprocessableEntity)
    }
  }

  @Sendable static func download(req: Request) async throws -> Response {
    let pledge = try await req.find(Pledge.self, "pledgeID")
    guard let key = pledge.storageKey, let fileName = pledge.fileName, let contentType = pledge.contentType else {
      throw Abort(.notFound)
    }
    return try await FileDownload.attachment(req, key: key, fileName: fileName, contentType: contentType, fallback: "pledge")
  }

  @Sendable static func delete(req: Request) async throws -> Response {
    let pledge = try await req.find(Pledge.self, "pledgeID")
    try await Pledges.delete(pledge, actor: req.auditActor, now: req.now, files: req.mamori.files, on: req.db)
    return req.redirect(to: SiteRoute.person(pledge.$person.id).path + "#pledges-heading", flash: .deleted)
  }

  /// `/pledges?kind=…&page=…`: every pledge of the organisation, newest first, and the open requests.
  @Sendable static func index(req: Request) async throws -> Response {
    try await renderIndex(req, requestValues: [:], requestErrors: [:])
  }

  /// The most open requests the pledges page lists (earliest due first); the rest are on the people's pages.
  static let requestListLimit = 200

  static func renderIndex(
    _ req: Request, requestValues: [String: String], requestErrors: FieldErrors, status: HTTPResponseStatus = .ok
  ) async throws -> Response {
    let tenant = try await req.tenant()
    let kind = req.query[String.self, at: "kind"].flatMap(PledgeKind.init(rawValue:))
    var query = Pledge.query(in: tenant.organisationID, on: req.db)
    if let kind { query = query.filter(\.$kind == kind) }
    let matching = try await query.count()
    let pageCount = max(1, (matching + pageSize - 1) / pageSize)
    let page = min(max(req.query[Int.self, at: "page"] ?? 1, 1), pageCount)
    let pledges = try await query.copy().sort(\.$signedOn, .descending).range(((page - 1) * pageSize)..<(page * pageSize)).all()
    let requests = try await PledgeRequest.query(in: tenant.organisationID, on: req.db).filter(\.$acknowledgedAt == nil)
      .sort(\.$dueOn).sort(\.$createdAt).range(..<requestListLimit).all()
    let people = try await Person.query(in: tenant.organisationID, on: req.db)
      .filter(\.$id ~~ Set(pledges.map(\.$person.id) + requests.map(\.$person.id))).all()
    let groups = try await Asset.query(in: tenant.organisationID, on: req.db).unique().all(\.$group).filter { !$0.isEmpty }.sorted()
    let personByID = Dictionary(people.compactMap { person in person.id.map { ($0, person) } }, uniquingKeysWith: { first, _ in first })
    let users = try await User.query(in: tenant.organisationID, on: req.db).all()
    let names = Dictionary(users.compactMap { user in user.id.map { ($0, user.displayName) } }, uniquingKeysWith: { first, _ in first })
    var view = listView(
      pledges: pledges, people: personByID, userNames: names, kind: kind, matching: matching, page: page, pageCount: pageCount, req: req)
    view.pledgeRequests = PledgeRequestPages.Section(
      withPerson: true,
      rows: requests.map { PledgeRequestPages.row($0, person: personByID[$0.$person.id], userNames: names, today: tenant.today, req: req) }
        .nonEmpty,
      action: SiteRoute.pledgeRequests.path,
      fields: PledgeRequestPages.fields(
        kind: .joining, groups: groups, withLogin: true, today: tenant.today, values: requestValues, errors: requestErrors, req: req))
    return try await req.renderPage("pledges", title: req.t("pledges.title"), body: view, status: status)
  }

  static func listView(
    pledges: [Pledge], people: [UUID: Person], userNames: [UUID: String], kind: PledgeKind?, matching: Int, page: Int, pageCount: Int,
    req: Request
  ) -> ListView {
    let pages: [PeopleIndex.View.PageLink] =
      pageCount > 1
      ? (1...pageCount).map { number in
        PeopleIndex.View.PageLink(
          label: "\(number)", href: SiteRoute.pledges.path(query: (kind.map { [("kind", $0.rawValue)] } ?? []) + [("page", "\(number)")]),
          current: number == page)
      } : []
    return ListView(
      kinds: PledgeKind.allCases.map { PeopleIndex.View.Option(value: $0.rawValue, label: req.t($0.labelKey), selected: $0 == kind) },
      rows: pledges.map { row($0, person: people[$0.$person.id], userNames: userNames, withDelete: false, req: req) }.nonEmpty,
      summary: req.t("pledges.summary", ["count": "\(matching)"]), pages: pages.nonEmpty)
  }
}
