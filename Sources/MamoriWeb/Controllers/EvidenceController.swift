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
      let evidence = try await AssessmentEvidence.query(on: req.db).filter(\.$id == id)
        .filter(\.$assessment.$id == assessment.requireID()).first()
    else { throw Abort(.notFound) }
    return evidence
  }

  @Sendable static func upload(req: Request) async throws -> Response {
    let assessment = try await req.find(Assessment.self, "assessmentID")
    let catalog = try await AssessmentsController.catalog(for: assessment, req)
    struct Upload: Content {
      var item: String?
      var file: File?
    }
    let upload = try req.content.decode(Upload.self)
    guard let item = catalog.item(upload.item ?? ""), let sectionID = item.sectionID else { throw Abort(.notFound) }
    let id = try assessment.requireID()
    let back = SiteRoute.assessmentSection(id, sectionID).path + "#item-\(item.id)"
    guard !assessment.isComplete else { return req.redirect(to: back, flash: "flash.error_assessment_locked") }
    guard let file = upload.file else { return req.redirect(to: back, flash: "flash.error_evidence_empty") }
    let data = Data(buffer: file.data)
    switch EvidenceFile.check(name: file.filename, data: data) {
    case .failure(let problem):
      return req.redirect(to: back, flash: "flash.error_evidence_\(problem.rawValue)")
    case .success(let kind):
      let key = UUID().uuidString.lowercased()
      try await req.mamori.files.put(data, key: key)
      let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
      do {
        try await AssessmentEvidence(
          assessmentID: id, itemID: item.id, fileName: EvidenceFile.displayName(file.filename), contentType: kind.contentType,
          size: data.count, sha256: digest, storageKey: key, uploadedBy: req.currentUser?.id
        ).create(on: req.db)
      } catch {
        try? await req.mamori.files.delete(key: key)
        throw error
      }
      return req.redirect(to: back, flash: "flash.evidence_added")
    }
  }

  @Sendable static func download(req: Request) async throws -> Response {
    let assessment = try await req.find(Assessment.self, "assessmentID")
    let evidence = try await evidence(req, of: assessment)
    guard let data = try await req.mamori.files.get(key: evidence.storageKey) else { throw Abort(.notFound) }
    let response = Response(status: .ok, body: .init(data: data))
    let type = evidence.contentType.split(separator: "/").map(String.init)
    response.headers.contentType = type.count == 2 ? HTTPMediaType(type: type[0], subType: type[1]) : .binary
    // Always a download, never rendered in Mamori's origin; the name in both plain and RFC 5987 form.
    let ascii = String(evidence.fileName.unicodeScalars.filter { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 }.map(Character.init))
    let encoded = evidence.fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
    response.headers.replaceOrAdd(
      name: .contentDisposition, value: "attachment; filename=\"\(ascii.isEmpty ? "evidence" : ascii)\"; filename*=UTF-8''\(encoded)")
    response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
    return response
  }

  @Sendable static func delete(req: Request) async throws -> Response {
    let assessment = try await req.find(Assessment.self, "assessmentID")
    let evidence = try await evidence(req, of: assessment)
    let catalog = try await AssessmentsController.catalog(for: assessment, req)
    let id = try assessment.requireID()
    let back = SiteRoute.assessmentSection(id, catalog.item(evidence.itemID)?.sectionID).path + "#item-\(evidence.itemID)"
    guard !assessment.isComplete else { return req.redirect(to: back, flash: "flash.error_assessment_locked") }
    try await evidence.delete(on: req.db)
    try await req.mamori.files.delete(key: evidence.storageKey)
    return req.redirect(to: back, flash: "flash.evidence_deleted")
  }
}
