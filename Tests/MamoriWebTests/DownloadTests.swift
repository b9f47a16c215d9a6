import Fluent
import Foundation
import MamoriCore
import Testing
import Vapor

@testable import MamoriWeb

@Suite("Downloads", .timeLimit(.minutes(5)))
struct DownloadTests {
  @Test("evidence in the folder store is streamed from its file (ranges answered), with its name and no caching")
  func evidenceIsStreamed() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-download-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    var options = TestOptions()
    options.filesOverride = DirectoryFileStore(folder: folder)
    try await withApp(options) { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let catalog = try #require(app.mamori.checklists.first { $0.id == "tics-selfcheck-mamori" })
      let assessment = try await Assessments.start(
        catalog: catalog, title: "ダウンロード", organisationID: tenant.organisationID, actor: .system,
        today: CivilDate(iso: "2026-11-01")!, now: app.mamori.clock.now(), on: app.db)
      let id = assessment.id!.uuidString.lowercased()
      let item = catalog.items[0]
      // Larger than one read chunk, so that the body has to come in pieces.
      var pdf = Data("%PDF-1.7\n".utf8)
      pdf.append(Data(repeating: 0x41, count: 300_000))
      pdf.append(Data("\n%%EOF\n".utf8))
      let added = try await app.upload("/assessments/\(id)/evidence", as: officer, fields: ["item": item.id], file: ("規程.pdf", pdf))
      #expect(added.status == .seeOther)
      let stored = try #require(try await AssessmentEvidence.query(on: app.db).first())
      guard case .file(let path)? = try await app.mamori.files.content(key: stored.storageKey) else {
        Issue.record("the folder store should hand out a path")
        return
      }
      #expect(path.hasPrefix(folder.path))

      let url = "/assessments/\(id)/evidence/\(stored.id!.uuidString.lowercased())"
      let download = try await app.send(.GET, url, as: officer)
      #expect(download.status == .ok)
      #expect(Data(buffer: download.body) == pdf)
      #expect(download.headers.first(name: .contentDisposition)?.hasPrefix("attachment;") == true)
      #expect(download.headers.first(name: .cacheControl) == "private, no-store")
      #expect(download.headers.first(name: .contentLength) == String(pdf.count))

      var range = HTTPHeaders()
      range.replaceOrAdd(name: .range, value: "bytes=0-8")
      let partial = try await app.send(.GET, url, as: officer, headers: range)
      #expect(partial.status == .partialContent)
      #expect(Data(buffer: partial.body) == Data("%PDF-1.7\n".utf8))
    }
  }
}
