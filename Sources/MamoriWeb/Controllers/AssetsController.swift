import Fluent
import Foundation
import MamoriCore
import Vapor

/// The register of information to protect: assets, their grants, the handling rules and the findings.
enum AssetsController {
  @Sendable static func index(req: Request) async throws -> Response {
    let body = try await req.listBody("assets") {
      AssetsIndex.view(try await AssetsIndex.load(req, filter: AssetsIndex.Filter(query: req.query)), req: req)
    }
    return try await req.renderPage("assets", title: req.t("assets.title"), body: body)
  }

  @Sendable static func show(req: Request) async throws -> Response {
    let asset = try await req.find(Asset.self, "assetID")
    return try await renderShow(req, asset: asset, values: [:], errors: [:])
  }

  static func renderShow(
    _ req: Request, asset: Asset, values: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok
  ) async throws -> Response {
    let model = try await AssetShow.load(req, asset: asset)
    return try await req.renderPage(
      "asset", title: "\(asset.code) \(asset.name)", body: try AssetShow.view(model, values: values, errors: errors, req: req),
      status: status)
  }

  @Sendable static func new(req: Request) async throws -> Response {
    try await AssetFormPage.render(req, asset: nil, values: AssetFormPage.newValues, errors: [:])
  }

  @Sendable static func create(req: Request) async throws -> Response {
    let form = try req.content.decode(AssetFormPage.Form.self)
    do {
      let asset = try await AssetRegister.saveAsset(
        form.draft, ownerID: form.ownerID, into: nil, organisationID: try await req.tenant().organisationID, actor: req.auditActor,
        now: req.now, on: req.db)
      return req.redirect(to: SiteRoute.asset(try asset.requireID()), flash: .saved)
    } catch let invalid as ValidationFailure {
      return try await AssetFormPage.render(
        req, asset: nil, values: form.values, errors: req.messages(invalid.issues), status: .unprocessableEntity)
    }
  }

  @Sendable static func edit(req: Request) async throws -> Response {
    let asset = try await req.find(Asset.self, "assetID")
    return try await AssetFormPage.render(req, asset: asset, values: AssetFormPage.values(of: asset), errors: [:])
  }

  @Sendable static func update(req: Request) async throws -> Response {
    let asset = try await req.find(Asset.self, "assetID")
    let form = try req.content.decode(AssetFormPage.Form.self)
    do {
      _ = try await AssetRegister.saveAsset(
        form.draft, ownerID: form.ownerID, into: asset, organisationID: try await req.tenant().organisationID,
        actor: req.auditActor, now: req.now, on: req.db)
      return req.redirect(to: SiteRoute.asset(try asset.requireID()), flash: .saved)
    } catch let invalid as ValidationFailure {
      return try await AssetFormPage.render(
        req, asset: asset, values: form.values, errors: req.messages(invalid.issues), status: .unprocessableEntity)
    }
  }

  @Sendable static func delete(req: Request) async throws -> Response {
    let asset = try await req.find(Asset.self, "assetID")
    try await AssetRegister.deleteAsset(asset, actor: req.auditActor, now: req.now, on: req.db)
    return req.redirect(to: SiteRoute.assets, flash: .deleted)
  }

  struct GrantForm: Content {
    var person_id: String?
    var reason: String?
    var granted_on: String?
    var expires_on: String?

    var values: [String: String] {
      [
        "person_id": (person_id ?? "").lowercased(), "reason": reason ?? "", "granted_on": granted_on ?? "",
        "expires_on": expires_on ?? "",
      ]
    }
  }

  @Sendable static func grant(req: Request) async throws -> Response {
    let asset = try await req.find(Asset.self, "assetID")
    let form = try req.content.decode(GrantForm.self)
    let tenant = try await req.tenant()
    do {
      _ = try await AssetRegister.grant(
        GrantDraft(reason: form.reason ?? "", grantedOn: form.granted_on ?? "", expiresOn: form.expires_on ?? ""),
        personID: form.person_id.flatMap(UUID.init(uuidString:)), to: asset, grantedBy: try req.requireUser().id,
        organisationID: tenant.organisationID, today: tenant.today, actor: req.auditActor, now: req.now, on: req.db)
      return req.redirect(to: SiteRoute.asset(try asset.requireID()), flash: .grantAdded)
    } catch let invalid as ValidationFailure {
      return try await renderShow(
        req, asset: asset, values: form.values, errors: req.messages(invalid.issues), status: .unprocessableEntity)
    }
  }

  @Sendable static func revoke(req: Request) async throws -> Response {
    let grant = try await req.find(Grant.self, "grantID")
    let tenant = try await req.tenant()
    try await AssetRegister.revoke(
      grant, by: try req.requireUser().id, today: tenant.today, actor: req.auditActor, now: req.now, on: req.db)
    // Back to where the button was: the person's page or the asset's.
    let from = try? req.content.get(String.self, at: "from")
    let target = from == "person" ? SiteRoute.person(grant.$person.id).path : SiteRoute.asset(grant.$asset.id).path
    return req.redirect(to: target, flash: .grantRevoked)
  }

  @Sendable static func findings(req: Request) async throws -> Response {
    let body = try await req.listBody("findings") {
      let report = try await FindingsPage.load(req)
      let kind = (try? req.query.get(String.self, at: "kind")).flatMap(FindingKind.init(rawValue:))
      let page = (try? req.query.get(Int.self, at: "page")) ?? 1
      let open = try await PledgeRequests.openKeys(organisationID: try await req.tenant().organisationID, on: req.db)
      return FindingsPage.view(report, kind: kind, page: page, openRequests: open, req: req)
    }
    return try await req.renderPage("findings", title: req.t("findings.title"), body: body)
  }

  /// `/register/export?file=people|assets|grants[&format=csv|xlsx]`: the same file as `mamori export`.
  @Sendable static func export(req: Request) async throws -> Response {
    guard let file = (try? req.query.get(String.self, at: "file")).flatMap(RegisterFile.init(rawValue:)) else {
      throw Abort(.notFound)
    }
    var format = RegisterFormat.csv
    if let text = req.query[String.self, at: "format"] {
      guard let chosen = RegisterFormat(rawValue: text) else { throw Abort(.notFound) }
      format = chosen
    }
    let tenant = try await req.tenant()
    let data = try await RegisterImport.export(file, format: format, organisationID: tenant.organisationID, on: req.db)
    var headers = HTTPHeaders()
    switch format {
    case .csv: headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
    case .xlsx: headers.contentType = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    }
    headers.contentDisposition = .init(
      .attachment, filename: "\(tenant.organisation.slug)-\(file.rawValue)-\(tenant.today.iso).\(format.rawValue)")
    return Response(status: .ok, headers: headers, body: .init(data: data))
  }

  @Sendable static func handlingRules(req: Request) async throws -> Response {
    try await HandlingRulesPage.render(req)
  }

  @Sendable static func saveHandlingRule(req: Request) async throws -> Response {
    let form = try req.content.decode(HandlingRulesPage.Form.self)
    guard let level = form.level.flatMap(AssetLevel.init(rawValue:)) else { throw Abort(.badRequest) }
    do {
      _ = try await AssetRegister.saveHandlingRule(
        level: level, form.text, organisationID: try await req.tenant().organisationID, actor: req.auditActor, now: req.now,
        on: req.db)
      return req.redirect(to: SiteRoute.handlingRules.path + "#level-\(level.rawValue)", flash: .saved)
    } catch let invalid as ValidationFailure {
      return try await HandlingRulesPage.render(
        req, submitted: (level, form.text.values, req.messages(invalid.issues)), status: .unprocessableEntity)
    }
  }
}
