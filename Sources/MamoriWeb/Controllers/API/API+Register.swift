import Fluent
import FluentSQL
import Foundation
import MamoriCore
import SQLKit
import Vapor

/// The register's assets and grants over the JSON API: the pages' filters and the same use cases
/// (``AssetRegister``), so a grant made here is the grant the page makes, audit entry included.
extension API {
  /// Rows per page of `GET /assets` unless `per_page` says (1…500).
  static let assetPageSize = 100

  // MARK: - Assets

  @Sendable static func assets(req: Request) async throws -> Response {
    let tenant = try await req.tenant()
    // The assets page's own filter (q, level, group) as its own SQL condition, plus the owner.
    let filter = AssetsIndex.Filter(query: req.query)
    var query = Asset.query(in: tenant.organisationID, on: req.db)
    if let predicate = AssetsIndex.predicate(filter) { query = query.filter(.sql(embed: "\(predicate)")) }
    if let text = try? req.query.get(String.self, at: "owner_id") {
      guard let ownerID = UUID(uuidString: text) else {
        return try APIErrors.invalid([ValidationIssue(field: "owner_id", key: "validation.choice")], req: req)
      }
      query = query.filter(\.$owner.$id == ownerID)
    }
    let perPage = max(1, min(500, (try? req.query.get(Int.self, at: "per_page")) ?? assetPageSize))
    let total = try await query.copy().count()
    let assets = try await query.sort(\.$code).range(lower: (filter.page - 1) * perPage, upper: filter.page * perPage).all()
    let response = try req.json(try assets.map(AssetDTO.init))
    response.headers.replaceOrAdd(name: "X-Total-Count", value: "\(total)")
    return response
  }

  @Sendable static func asset(req: Request) async throws -> Response {
    try req.json(try AssetDTO(try await req.find(Asset.self, "assetID")))
  }

  @Sendable static func createAsset(req: Request) async throws -> Response {
    let input = try req.decodeJSON(AssetInput.self)
    // A new asset names its level: the page's default is not assumed for a program.
    return try await saveAsset(req, input: input, into: nil, base: AssetDraft(level: ""), status: .created)
  }

  @Sendable static func updateAsset(req: Request) async throws -> Response {
    let asset = try await req.find(Asset.self, "assetID")
    let input = try req.decodeJSON(AssetInput.self)
    return try await saveAsset(req, input: input, into: asset, base: AssetDraft(asset), status: .ok)
  }

  static func saveAsset(_ req: Request, input: AssetInput, into asset: Asset?, base: AssetDraft, status: HTTPResponseStatus)
    async throws -> Response
  {
    let tenant = try await req.tenant()
    var ownerID = asset?.$owner.id
    if let id = input.ownerId { ownerID = id }
    if input.clearOwner == true { ownerID = nil }
    do {
      let saved = try await AssetRegister.saveAsset(
        input.draft(over: base), ownerID: ownerID, into: asset, organisationID: tenant.organisationID, actor: req.auditActor,
        now: req.now, on: req.db)
      return try req.json(try AssetDTO(saved), status: status)
    } catch let invalid as ValidationFailure {
      return try APIErrors.invalid(invalid.issues, req: req)
    }
  }

  // MARK: - Grants

  @Sendable static func assetGrants(req: Request) async throws -> Response {
    let asset = try await req.find(Asset.self, "assetID")
    let tenant = try await req.tenant()
    let grants = try await Grant.query(in: tenant.organisationID, on: req.db).filter(\.$asset.$id == asset.requireID())
      .sort(\.$grantedOn, .descending).sort(\.$id).all()
    return try req.json(try grants.map { try GrantDTO($0, today: tenant.today) })
  }

  @Sendable static func personGrants(req: Request) async throws -> Response {
    let person = try await req.find(Person.self, "personID")
    let tenant = try await req.tenant()
    let grants = try await Grant.query(in: tenant.organisationID, on: req.db).filter(\.$person.$id == person.requireID())
      .sort(\.$grantedOn, .descending).sort(\.$id).all()
    return try req.json(try grants.map { try GrantDTO($0, today: tenant.today) })
  }

  @Sendable static func createGrant(req: Request) async throws -> Response {
    let asset = try await req.find(Asset.self, "assetID")
    let input = try req.decodeJSON(GrantInput.self)
    let tenant = try await req.tenant()
    do {
      let grant = try await AssetRegister.grant(
        GrantDraft(reason: input.reason ?? "", grantedOn: input.grantedOn ?? "", expiresOn: input.expiresOn ?? ""),
        personID: input.personId, to: asset, grantedBy: try req.requireUser().id, organisationID: tenant.organisationID,
        today: tenant.today, actor: req.auditActor, now: req.now, on: req.db)
      return try req.json(try GrantDTO(grant, today: tenant.today), status: .created)
    } catch let invalid as ValidationFailure {
      return try APIErrors.invalid(invalid.issues, req: req)
    }
  }

  /// Ends the grant today and keeps it (the history of who held what stays); revoking twice succeeds.
  @Sendable static func revokeGrant(req: Request) async throws -> Response {
    let grant = try await req.find(Grant.self, "grantID")
    let tenant = try await req.tenant()
    try await AssetRegister.revoke(
      grant, by: try req.requireUser().id, today: tenant.today, actor: req.auditActor, now: req.now, on: req.db)
    return Response(status: .noContent)
  }
}

struct AssetDTO: Content {
  var id: UUID
  var code: String
  var name: String
  var description: String
  var form: String
  var location: String
  var level: String
  var group: String
  var retention: String
  var disposal: String
  var ownerId: UUID?
  var isCore: Bool
  var coreSource: String
  var coreSuperiority: String
  var coreExistence: String
  var designatedTechnology: String?

  init(_ asset: Asset) throws {
    id = try asset.requireID()
    code = asset.code
    name = asset.name
    description = asset.details
    form = asset.form.rawValue
    location = asset.location
    level = asset.level.rawValue
    group = asset.group
    retention = asset.retention
    disposal = asset.disposal
    ownerId = asset.$owner.id
    isCore = asset.isCore
    coreSource = asset.coreSource
    coreSuperiority = asset.coreSuperiority
    coreExistence = asset.coreExistence
    designatedTechnology = asset.designatedTechnology?.rawValue
  }
}

/// An asset as sent by a client: on POST the required fields (code, name, location, level) must be
/// given; on PATCH the fields given replace the stored ones and the rest stay.
struct AssetInput: Content {
  var code: String?
  var name: String?
  var description: String?
  var form: String?
  var location: String?
  var level: String?
  var group: String?
  var retention: String?
  var disposal: String?
  var ownerId: UUID?
  var clearOwner: Bool?
  var isCore: Bool?
  var coreSource: String?
  var coreSuperiority: String?
  var coreExistence: String?
  var designatedTechnology: String?

  func draft(over base: AssetDraft) -> AssetDraft {
    var draft = base
    if let code { draft.code = code }
    if let name { draft.name = name }
    if let description { draft.description = description }
    if let form { draft.form = form }
    if let location { draft.location = location }
    if let level { draft.level = level }
    if let group { draft.group = group }
    if let retention { draft.retention = retention }
    if let disposal { draft.disposal = disposal }
    if let isCore { draft.isCore = isCore }
    if let coreSource { draft.coreSource = coreSource }
    if let coreSuperiority { draft.coreSuperiority = coreSuperiority }
    if let coreExistence { draft.coreExistence = coreExistence }
    if let designatedTechnology { draft.designatedTechnology = designatedTechnology }
    return draft
  }
}

extension AssetDraft {
  init(_ asset: Asset) {
    self.init(
      code: asset.code, name: asset.name, description: asset.details, form: asset.form.rawValue, location: asset.location,
      level: asset.level.rawValue, group: asset.group, retention: asset.retention, disposal: asset.disposal, isCore: asset.isCore,
      coreSource: asset.coreSource, coreSuperiority: asset.coreSuperiority, coreExistence: asset.coreExistence,
      designatedTechnology: asset.designatedTechnology?.rawValue ?? "")
  }
}

struct GrantDTO: Content {
  var id: UUID
  var assetId: UUID
  var personId: UUID
  var reason: String
  var grantedOn: String
  var expiresOn: String?
  var revokedOn: String?
  var grantedById: UUID?
  var revokedById: UUID?
  /// On the organisation's today: in_force, expired or revoked.
  var status: String

  init(_ grant: Grant, today: CivilDate) throws {
    id = try grant.requireID()
    assetId = grant.$asset.id
    personId = grant.$person.id
    reason = grant.reason
    grantedOn = grant.grantedOn.iso
    expiresOn = grant.expiresOn?.iso
    revokedOn = grant.revokedOn?.iso
    grantedById = grant.$grantedBy.id
    revokedById = grant.$revokedBy.id
    status = grant.revokedOn != nil ? "revoked" : grant.isExpired(on: today) ? "expired" : "in_force"
  }
}

struct GrantInput: Content {
  var personId: UUID?
  var reason: String?
  var grantedOn: String?
  var expiresOn: String?
}
