import Fluent
import Foundation
import MamoriCore
import Vapor

/// Pledges an officer asks a person to acknowledge, and the person's acknowledgement, which records the
/// pledge as signed that day with the method "acknowledged in Mamori". The recorded pledge is an
/// ordinary `Pledge`, so `pledge-missing`, the person page and the pledges list treat it like one
/// recorded from paper.
enum PledgeRequests {
  /// Who is acting on a request: the account and, for the person's own requests, its linked person.
  struct Actor: Sendable {
    var userID: UUID?
    var principal: Principal?
    var personID: UUID?
  }

  /// Asks `person` for a pledge. Officers only. Without wording of its own the request takes
  /// Mamori's model text for the kind in the person's training language (``modelWording``).
  static func request(
    _ draft: PledgeRequestDraft, person: Person, by actor: Actor, organisationID: UUID, today: CivilDate, catalog: LocaleCatalog,
    audit: AuditActor, now: Date, on database: any Database
  ) async throws -> PledgeRequest {
    guard person.$organisation.id == organisationID, Policy.can(actor.principal, .manageRegister) else { throw Abort(.notFound) }
    var draft = draft.normalised
    if draft.wording.isEmpty, let kind = draft.pledgeKind {
      draft.wording = modelWording(kind, language: person.trainingLanguage, catalog: catalog)
    }
    let issues = draft.validate(today: today)
    guard issues.isEmpty, let kind = draft.pledgeKind, let dueOn = draft.dueDay else { throw ValidationFailure(issues: issues) }
    let request = PledgeRequest()
    request.$organisation.id = organisationID
    request.$person.id = try person.requireID()
    request.$requestedBy.id = actor.userID
    request.kind = kind
    request.scope = draft.scope
    request.assetGroup = draft.assetGroup
    request.wording = draft.wording
    request.dueOn = dueOn
    try await database.transaction { database in
      try await request.create(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(organisationID), action: "pledge_request.create", recordType: "pledge_request",
          recordID: try request.requireID().uuidString.lowercased(), after: AuditChain.json(PledgeRequestSnapshot(request))),
        by: audit, now: now, on: database)
    }
    return request
  }

  /// Withdraws an open request (asked by mistake, or the paper pledge came in instead). An acknowledged
  /// request is part of the record and stays; its pledge is deleted on the person page if need be.
  static func withdraw(_ request: PledgeRequest, by actor: Actor, audit: AuditActor, now: Date, on database: any Database) async throws {
    guard Policy.can(actor.principal, .manageRegister) else { throw Abort(.notFound) }
    guard !request.isAcknowledged else {
      throw ValidationFailure(issues: [ValidationIssue(field: "request", key: "validation.pledge_request_acknowledged")])
    }
    let before = AuditChain.json(PledgeRequestSnapshot(request))
    try await database.transaction { database in
      try await request.delete(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(request.$organisation.id), action: "pledge_request.withdraw", recordType: "pledge_request",
          recordID: try request.requireID().uuidString.lowercased(), before: before),
        by: audit, now: now, on: database)
    }
  }

  /// The person acknowledges the request: a pledge of its kind, scope and group is recorded as signed
  /// today with the method `acknowledged`, and the request points to it, in one transaction with both
  /// audit entries (who, when and from which address are the entries' own columns). Anyone but the
  /// person addressed gets 404, as for a record they cannot see.
  static func acknowledge(
    _ request: PledgeRequest, by actor: Actor, today: CivilDate, audit: AuditActor, now: Date, on database: any Database
  ) async throws -> Pledge {
    guard Policy.can(actor.principal, personID: actor.personID, acknowledgePledgeOf: request.$person.id) else { throw Abort(.notFound) }
    guard !request.isAcknowledged else {
      throw ValidationFailure(issues: [ValidationIssue(field: "request", key: "validation.pledge_request_acknowledged")])
    }
    let pledge = Pledge()
    pledge.$organisation.id = request.$organisation.id
    pledge.$person.id = request.$person.id
    pledge.$recordedBy.id = actor.userID
    pledge.kind = request.kind
    pledge.signedOn = today
    pledge.scope = request.scope
    pledge.assetGroup = request.assetGroup
    pledge.method = .acknowledged
    let before = AuditChain.json(PledgeRequestSnapshot(request))
    let requestID = try request.requireID()
    try await database.transaction { database in
      // Looked at again after taking turns with the organisation's other writers: the same request
      // acknowledged twice at once (two tabs, a double click) records one pledge, not two.
      try await AuditTrail.takeTurns(on: AuditEvent.chain(request.$organisation.id), in: database)
      let current = try await PledgeRequest.query(in: request.$organisation.id, on: database).filter(\.$id == requestID).first()
      guard let current, !current.isAcknowledged else {
        throw ValidationFailure(issues: [ValidationIssue(field: "request", key: "validation.pledge_request_acknowledged")])
      }
      try await pledge.create(on: database)
      request.acknowledgedAt = now
      request.$acknowledgedBy.id = actor.userID
      request.$pledge.id = try pledge.requireID()
      try await request.save(on: database)
      let chain = AuditEvent.chain(request.$organisation.id)
      try await AuditTrail.append(
        AuditEvent(
          chain: chain, action: "pledge.record", recordType: "pledge", recordID: try pledge.requireID().uuidString.lowercased(),
          after: AuditChain.json(PledgeSnapshot(pledge))),
        by: audit, now: now, on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: chain, action: "pledge_request.acknowledge", recordType: "pledge_request",
          recordID: try request.requireID().uuidString.lowercased(), before: before, after: AuditChain.json(PledgeRequestSnapshot(request))),
        by: audit, now: now, on: database)
    }
    return pledge
  }

  /// A person and a kind of pledge, to tell whether a request for it is open.
  struct Key: Hashable, Sendable {
    var personID: UUID
    var kind: PledgeKind
  }

  /// Every open request's person and kind, in one query read by column (the findings page).
  static func openKeys(organisationID: UUID, on database: any Database) async throws -> Set<Key> {
    let rows = try await PledgeRequest.query(in: organisationID, on: database).filter(\.$acknowledgedAt == nil)
      .field(\.$person.$id).field(\.$kind).all()
    return Set(rows.map { Key(personID: $0.$person.id, kind: $0.kind) })
  }

  /// The person's open requests, earliest due first: the home page's one query.
  static func open(personID: UUID, organisationID: UUID, on database: any Database) async throws -> [PledgeRequest] {
    try await PledgeRequest.query(in: organisationID, on: database)
      .filter(\.$person.$id == personID).filter(\.$acknowledgedAt == nil)
      .sort(\.$dueOn).sort(\.$createdAt).all()
  }

  /// The wording a new request starts with: Mamori's model text for the kind, in the person's training
  /// language. It is ours, not METI's; the officer adapts it to the organisation's own pledge.
  static func modelWording(_ kind: PledgeKind, language: Language, catalog: LocaleCatalog) -> String {
    catalog.text("pledge_request.wording.\(kind.rawValue)", language)
  }
}

extension PledgeRequest: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<PledgeRequest> {
    PledgeRequest.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}
