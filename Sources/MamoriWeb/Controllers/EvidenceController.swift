import Crypto
import Fluent
import Foundation
import MamoriCore
import Vapor

/// Evidence files of a self-check's items: uploaded with a type and size check, kept in the file store
/// outside the web root, always downloaded as attachments.
enum EvidenceController {
  static func evidence(_ req: Request, of assessment: Assessment) async throws -> AssessmentEvidence {
    guard let id = req.parameters.get("evidenceID", as: UUID.self),
      let evidence = try await AssessmentEvidence.query(in: assessment.$organisation.id, on: req.db).filter(\.$id == id)
        .filter(\.$organisation.$id == assessment.$organisation.id).filter(\.$assessment.$id == assessment.requireID()).first()
    else { throw Abort(.notFound) }
    return evidence
  }

  @Sendable static func upload(req: Request) async throws -> Response {
    let assessment = try await req.find(Assessment.self, "assessmentID")
    let catalog = try await AssessmentsController.catalog(for: assessment, req)
    // One byte past the limit is still received, so that a file just too large gets the friendly
    // message below; anything larger is cut off while it streams in (413).
    let upload = try await req.receiveUpload(maximumFileBytes: EvidenceFile.maximumBytes + 1)
    defer { upload.file?.remove() }
    guard let item = catalog.item(upload.fields["item"] ?? ""), let sectionID = item.sectionID else { throw Abort(.notFound) }
    let id = try assessment.requireID()
    let back = SiteRoute.assessmentSection(id, sectionID).path + "#item-\(item.id)"
    guard !assessment.isComplete else { return req.redirect(to: back, flash: .errorAssessmentLocked) }
    guard let file = upload.file else { return req.redirect(to: back, flash: .errorEvidenceEmpty) }
    // Evidence is stored, never parsed; its size was bounded while it was received.
    switch try await Evidence.attach(
      try file.data(), fileName: file.fileName, to: assessment, itemID: item.id, actor: req.auditActor, now: req.now,
      files: req.mamori.files, on: req.db)
    {
    case .failure(let problem):
      return req.redirect(to: back, flash: FlashMessage(evidenceProblem: problem))
    case .success:
      return req.redirect(to: back, flash: .evidenceAdded)
    }
  }

  @Sendable static func download(req: Request) async throws -> Response {
    let assessment = try await req.find(Assessment.self, "assessmentID")
    let evidence = try await evidence(req, of: assessment)
    return try await FileDownload.attachment(
      req, key: evidence.storageKey, fileName: evidence.fileName, contentType: evidence.contentType, fallback: "evidence")
  }

  @Sendable static func delete(req: Request) async throws -> Response {
    let assessment = try await req.find(Assessment.self, "assessmentID")
    let evidence = try await evidence(req, of: assessment)
    let catalog = try await AssessmentsController.catalog(for: assessment, req)
    let id = try assessment.requireID()
    let back = SiteRoute.assessmentSection(id, catalog.item(evidence.itemID)?.sectionID).path + "#item-\(evidence.itemID)"
    guard !assessment.isComplete else { return req.redirect(to: back, flash: .errorAssessmentLocked) }
    try await Evidence.remove(evidence, actor: req.auditActor, now: req.now, files: req.mamori.files, on: req.db)
    return req.redirect(to: back, flash: .evidenceDeleted)
  }

  // MARK: evidence of actions

  static func actionEvidence(_ req: Request, of action: AssessmentAction) async throws -> AssessmentActionEvidence {
    guard let id = req.parameters.get("actionEvidenceID", as: UUID.self),
      let evidence = try await AssessmentActionEvidence.query(in: action.$organisation.id, on: req.db).filter(\.$id == id)
        .filter(\.$action.$id == action.requireID()).first()
    else { throw Abort(.notFound) }
    return evidence
  }

  /// A file for an action, from its page: the same bound, checks and store as an item's evidence.
  @Sendable static func uploadForAction(req: Request) async throws -> Response {
    let action = try await req.find(AssessmentAction.self, "actionID")
    let upload = try await req.receiveUpload(maximumFileBytes: EvidenceFile.maximumBytes + 1)
    defer { upload.file?.remove() }
    let back = SiteRoute.assessmentAction(try action.requireID()).path + "#evidence"
    guard let file = upload.file else { return req.redirect(to: back, flash: .errorEvidenceEmpty) }
    switch try await Evidence.attach(
      try file.data(), fileName: file.fileName, to: action, actor: req.auditActor, now: req.now, files: req.mamori.files, on: req.db)
    {
    case .failure(let problem):
      return req.redirect(to: back, flash: FlashMessage(evidenceProblem: problem))
    case .success:
      return req.redirect(to: back, flash: .evidenceAdded)
    }
  }

  @Sendable static func downloadForAction(req: Request) async throws -> Response {
    let action = try await req.find(AssessmentAction.self, "actionID")
    let evidence = try await actionEvidence(req, of: action)
    return try await FileDownload.attachment(
      req, key: evidence.storageKey, fileName: evidence.fileName, contentType: evidence.contentType, fallback: "evidence")
  }

  @Sendable static func deleteForAction(req: Request) async throws -> Response {
    let action = try await req.find(AssessmentAction.self, "actionID")
    let evidence = try await actionEvidence(req, of: action)
    try await Evidence.remove(evidence, of: action, actor: req.auditActor, now: req.now, files: req.mamori.files, on: req.db)
    return req.redirect(to: SiteRoute.assessmentAction(try action.requireID()).path + "#evidence", flash: .evidenceDeleted)
  }
}
