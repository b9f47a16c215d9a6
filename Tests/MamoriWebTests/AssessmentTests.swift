import Fluent
import Foundation
import MamoriCore
import Testing
import Vapor
import VaporTesting
import MamoriTestSupport

@testable import MamoriWeb

/// Text as Leaf escapes it into a page.
func html(_ text: String) -> String {
  text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    .replacingOccurrences(of: "'", with: "&#39;")
}

@Suite("Self-assessments", .timeLimit(.minutes(5)))
struct AssessmentTests {
  func startTICS(_ app: Application, as officer: Browser, title: String = "2026年度 自己チェック") async throws -> (Assessment, Catalog) {
    let started = try await app.send(.POST, "/assessments", as: officer, form: ["catalog": "tics-selfcheck-mamori", "title": title])
    #expect(started.status == .seeOther)
    let assessment = try #require(try await Assessment.query(on: app.db).filter(\.$title == title).first())
    let catalog = try #require(app.mamori.checklists.first { $0.id == "tics-selfcheck-mamori" })
    return (assessment, catalog)
  }

  @Test("an officer starts a self-check, answers a section, sees the scores, and cannot complete it half answered")
  func answerAndScore() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let index = try await app.send(.GET, "/assessments", as: officer)
      #expect(index.status == .ok)
      #expect(index.text.contains("技術情報管理 自己チェック（Mamori版）"))
      let empty = try await app.send(.POST, "/assessments", as: officer, form: ["catalog": "tics-selfcheck-mamori", "title": " "])
      #expect(empty.status == .unprocessableEntity)
      #expect(empty.text.contains("入力してください。"))
      let unknown = try await app.send(.POST, "/assessments", as: officer, form: ["catalog": "nope", "title": "x"])
      #expect(unknown.status == .unprocessableEntity)

      let (assessment, catalog) = try await startTICS(app, as: officer)
      let id = assessment.id!.uuidString.lowercased()
      #expect(assessment.catalogVersion == catalog.version)
      let overview = try await app.send(.GET, "/assessments/\(id)", as: officer)
      #expect(overview.status == .ok)
      #expect(overview.text.contains("<svg"))
      #expect(overview.text.contains("経済産業省の公式"))  // the notice that this edition is ours
      #expect(overview.text.contains("○ = 2点、△ = 1点、× = 0点"))

      // The first section, as a page: every item with its provenance.
      let common = catalog.items.filter { $0.sectionID == catalog.items[0].sectionID }
      let page = try await app.send(.GET, "/assessments/\(id)/sections/\(common[0].sectionID!)", as: officer)
      #expect(page.status == .ok)
      #expect(page.text.contains(common[0].text.ja))
      #expect(page.text.contains("原文引用"))
      #expect(page.text.contains("data-autosave=\"/assessments/\(id)/autosave\""))

      // Autosave of one item: JSON back with the new totals.
      let saved = try await app.send(
        .POST, "/assessments/\(id)/autosave", as: officer,
        form: ["item": common[0].id, "answer": "partial", "note": "方針は一部の部署のみ", "owner": "総務部 鈴木", "due": "2027-03-31"])
      #expect(saved.status == .ok)
      let result = try #require(try saved.json() as? [String: Any])
      #expect(result["saved"] as? Bool == true)
      #expect(result["needsAction"] as? Bool == true)
      #expect(result["answered"] as? Int == 1)
      #expect(result["overall"] as? String == "50.0%")
      let entries = try await Assessments.entries(of: assessment, on: app.db)
      #expect(entries[common[0].id] == MetiSheet.Entry(answerID: "partial", note: "方針は一部の部署のみ", owner: "総務部 鈴木", due: "2027-03-31"))

      // A bad answer through autosave: refused with a message, nothing changed.
      let bad = try await app.send(.POST, "/assessments/\(id)/autosave", as: officer, form: ["item": common[0].id, "answer": "maybe"])
      #expect(bad.status == .unprocessableEntity)
      #expect(try await Assessments.entries(of: assessment, on: app.db)[common[0].id]?.answerID == "partial")
      let na = try await app.send(.POST, "/assessments/\(id)/autosave", as: officer, form: ["item": common[1].id, "answer": "na"])
      #expect(na.status == .unprocessableEntity)
      #expect(na.text.contains("該当しない"))

      // The whole section without JavaScript: one bad due date saves nothing of the section.
      var form: [String: String] = [:]
      for item in common { form["answer-\(item.id)"] = "yes" }
      form["due-\(common[1].id)"] = "2027-02-30"
      let rejected = try await app.send(.POST, "/assessments/\(id)/sections/\(common[0].sectionID!)", as: officer, form: form)
      #expect(rejected.status == .unprocessableEntity)
      #expect(rejected.text.contains("日付を正しく入力してください"))
      #expect(try await Assessments.entries(of: assessment, on: app.db)[common[1].id] == nil)
      form["due-\(common[1].id)"] = ""
      form["next"] = "1"
      let accepted = try await app.send(.POST, "/assessments/\(id)/sections/\(common[0].sectionID!)", as: officer, form: form)
      #expect(accepted.status == .seeOther)
      let pages = catalog.sections.filter { section in catalog.items.contains { $0.sectionID == section.id } }
      #expect(accepted.location == "/assessments/\(id)/sections/\(pages[1].id)")
      let afterSection = try await Assessments.entries(of: assessment, on: app.db)
      #expect(common.allSatisfy { afterSection[$0.id]?.answerID == "yes" })
      // ○ needs no action: owner and due date are dropped.
      #expect(afterSection[common[0].id]?.owner == "")

      // Completing with unanswered items is refused.
      let early = try await app.send(.POST, "/assessments/\(id)/complete", as: officer, form: [:])
      #expect(early.status == .unprocessableEntity)
      #expect(early.text.contains("未回答の項目が\(catalog.items.count - common.count)件あります。"))
      #expect(try await Assessment.find(assessment.id, on: app.db)?.isComplete == false)
    }
  }

  @Test("a complete self-check is locked; history, comparison, action list, SVG and xlsx downloads")
  func completeCompareExport() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let (first, catalog) = try await startTICS(app, as: officer, title: "2026年5月")
      for (index, item) in catalog.items.enumerated() {
        _ = try await Assessments.save(
          first, catalog: catalog, itemID: item.id, answer: index % 3 == 0 ? "no" : "yes", note: "", owner: "品質保証部", due: "2026-01-31",
          actor: .system, now: app.mamori.clock.now(), on: app.db)
      }
      let firstID = first.id!.uuidString.lowercased()
      let done = try await app.send(.POST, "/assessments/\(firstID)/complete", as: officer, form: [:])
      #expect(done.status == .seeOther)
      let locked = try #require(try await Assessment.find(first.id, on: app.db))
      #expect(locked.isComplete)
      #expect(locked.completedAt != nil)
      let refused = try await app.send(.POST, "/assessments/\(firstID)/autosave", as: officer, form: ["item": catalog.items[0].id, "answer": "yes"])
      #expect(refused.status == .unprocessableEntity)
      #expect(try await Assessments.entries(of: locked, on: app.db)[catalog.items[0].id]?.answerID == "no")

      // The action list: the × of the completed one, with section-qualified numbers, owners and due
      // dates (overdue by now).
      let changed = catalog.items.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
      let firstActions = try await app.send(.GET, "/assessments/actions", as: officer)
      #expect(firstActions.status == .ok)
      #expect(firstActions.text.contains(changed[0].text.ja))
      #expect(firstActions.text.contains(">\(AssessmentsController.qualifiedNumber(changed[0], catalog: catalog, language: .ja))<"))
      #expect(firstActions.text.contains("品質保証部"))
      #expect(firstActions.text.contains("期限切れ"))

      let (second, _) = try await startTICS(app, as: officer, title: "2026年11月")
      for item in catalog.items {
        _ = try await Assessments.save(second, catalog: catalog, itemID: item.id, answer: "yes", note: "", owner: "", due: "", actor: .system, now: app.mamori.clock.now(), on: app.db)
      }
      let secondID = second.id!.uuidString.lowercased()
      let history = try await app.send(.GET, "/assessments", as: officer)
      #expect(history.text.contains("2026年5月"))
      #expect(history.text.contains("2026年11月"))
      #expect(history.text.contains("100.0%"))

      let compare = try await app.send(.GET, "/assessments/\(secondID)/compare?with=\(firstID)", as: officer)
      #expect(compare.status == .ok)
      #expect(compare.text.contains("2026年11月 と 2026年5月 の比較"))
      for item in changed { #expect(compare.text.contains(html(item.text.ja)), "\(item.id)") }
      #expect(!compare.text.contains(catalog.items[1].text.ja))
      #expect(compare.text.components(separatedBy: "<polygon").count - 1 == 4 + 2)

      let svg = try await app.send(.GET, "/assessments/\(secondID)/radar.svg?with=\(firstID)", as: officer)
      #expect(svg.status == .ok)
      #expect(svg.headers.contentType?.subType == "svg+xml")
      #expect(svg.headers.first(name: .contentDisposition)?.contains("attachment") == true)
      #expect(svg.text.hasPrefix("<?xml"))

      // Answered ○ in the new round, the actions are done: the list of those still to do is empty.
      let actions = try await app.send(.GET, "/assessments/actions", as: officer)
      #expect(actions.status == .ok)
      #expect(actions.text.contains("該当する対策はありません。"))

      let xlsx = try await app.send(.GET, "/assessments/\(firstID)/export.xlsx", as: officer)
      #expect(xlsx.status == .ok)
      let data = Data(buffer: xlsx.body)
      #expect(try MetiSheet.readAnswers(data: data, file: "export.xlsx", catalog: catalog) == Dictionary(
        uniqueKeysWithValues: catalog.items.enumerated().map { ($0.element.id, $0.offset % 3 == 0 ? "no" : "yes") }))

      // English pages say the same.
      let user = try #require(try await User.find(tenant.officer.id, on: app.db))
      user.language = .en
      try await user.save(on: app.db)
      let english = try await app.send(.GET, "/assessments/\(secondID)", as: officer)
      #expect(english.text.contains("Overall score"))
      #expect(english.text.contains("Scoring: ○ = 2 points"))
      let englishCompare = try await app.send(.GET, "/assessments/\(secondID)/compare?with=\(firstID)", as: officer)
      #expect(englishCompare.text.contains("2026年11月 compared with 2026年5月"))
      for item in changed { #expect(englishCompare.text.contains(html(item.text.en)), "\(item.id)") }
    }
  }

  @Test("answers imported from a METI-layout workbook, all or nothing")
  func importWorkbook() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let (assessment, catalog) = try await startTICS(app, as: officer)
      let id = assessment.id!.uuidString.lowercased()
      let common = catalog.items.filter { $0.sectionID == catalog.items[0].sectionID }
      let section = try #require(catalog.section(common[0].sectionID!))
      func workbook(_ rows: [[String]]) throws -> Data {
        let cells: [[XLSXCell]] = [[.text("内容"), .empty, .text("チェック欄")]] + rows.map { $0.map { .text($0) } }
        return try XLSXWriter.data(XLSXWorkbook(sheets: [XLSXSheet(name: "シート1", rows: cells)]))
      }
      func upload(_ data: Data, name: String) async throws -> TestingHTTPResponse {
        try await app.upload("/assessments/\(id)/import", as: officer, file: (name, data))
      }
      let bad = try await upload(
        try workbook([[section.title.ja], ["1", common[0].text.ja, "○"], ["2", "違う文章", "×"]]), name: "meti.xlsx")
      #expect(bad.status == .unprocessableEntity)
      #expect(bad.text.contains("meti.xlsx:4:"))
      #expect(try await Assessments.entries(of: assessment, on: app.db).isEmpty)
      let good = try await upload(
        try workbook([[section.title.ja], ["1", common[0].text.ja, "○"], ["2", common[1].text.ja, "一部実施している"]]), name: "meti.xlsx")
      #expect(good.status == .seeOther)
      let entries = try await Assessments.entries(of: assessment, on: app.db)
      #expect(entries[common[0].id]?.answerID == "yes")
      #expect(entries[common[1].id]?.answerID == "partial")
    }
  }

  @Test("members cannot open self-checks")
  func membersRefused() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let member = try await Fixture.signIn(tenant.member, on: app)
      #expect(try await app.send(.GET, "/assessments", as: member).status == .forbidden)
      let tics = try #require(app.mamori.checklists.first { $0.id == "tics-selfcheck-mamori" })
      let round = try await Assessments.start(
        catalog: tics, title: "R", organisationID: tenant.organisationID, actor: .system, today: CivilDate(iso: "2026-11-01")!,
        now: app.mamori.clock.now(), on: app.db)
      let id = round.id!.uuidString.lowercased()
      let rename = try await app.send(.POST, "/assessments/\(id)/rename", as: member, form: ["title": "X"]).status
      // Refused with 404 on a route with an id, as every refusal there (the access table's rule).
      #expect(rename == .notFound, "\(rename)")
      let delete = try await app.send(.POST, "/assessments/\(id)/delete", as: member, form: [:]).status
      #expect(delete == .notFound, "\(delete)")
      #expect(try await Assessment.find(round.id, on: app.db)?.title == "R")
    }
  }
}

@Suite("Checklists of an organisation", .timeLimit(.minutes(5)))
struct OrganisationCatalogTests {
  func upload(_ app: Application, as browser: Browser, name: String, text: String) async throws -> TestingHTTPResponse {
    try await app.upload("/assessments/catalogs", as: browser, file: (name, Data(text.utf8)))
  }

  @Test("an organisation adds its own checklist; others never see it; versions only grow; old self-checks keep theirs")
  func ownCatalog() async throws {
    try await withApp { app, _ in
      let a = try await Fixture.tenant("tenant-a", on: app)
      let b = try await Fixture.tenant("tenant-b", on: app)
      let officerA = try await Fixture.signIn(a.officer, on: app)
      let officerB = try await Fixture.signIn(b.officer, on: app)
      let sample = try String(contentsOf: Repository.root.appendingPathComponent("Tests/Fixtures/catalogs/sample.yaml"), encoding: .utf8)

      let broken = try await upload(app, as: officerA, name: "customer.yaml", text: sample.replacingOccurrences(of: "fields: [systems]", with: "fields: [nowhere]"))
      #expect(broken.status == .unprocessableEntity)
      #expect(broken.text.contains("customer.yaml:"))
      #expect(broken.text.contains("unknown field"))
      let builtInID = try await upload(app, as: officerA, name: "x.yaml", text: sample.replacingOccurrences(of: "id: sample", with: "id: tics-selfcheck-mamori"))
      #expect(builtInID.status == .unprocessableEntity)
      #expect(try await OrganisationCatalog.query(on: app.db).count() == 0)

      let added = try await upload(app, as: officerA, name: "customer.yaml", text: sample)
      #expect(added.status == .seeOther)
      let page = try await app.send(.GET, "/assessments/catalogs", as: officerA)
      #expect(page.text.contains("テスト用チェックリスト"))
      #expect(page.text.contains("自社で追加"))
      #expect(!(try await app.send(.GET, "/assessments/catalogs", as: officerB)).text.contains("テスト用チェックリスト"))
      #expect(!(try await app.send(.GET, "/assessments", as: officerB)).text.contains("テスト用チェックリスト"))
      // B cannot start a self-check with A's checklist.
      let refused = try await app.send(.POST, "/assessments", as: officerB, form: ["catalog": "sample", "title": "x"])
      #expect(refused.status == .unprocessableEntity)

      let started = try await app.send(.POST, "/assessments", as: officerA, form: ["catalog": "sample", "title": "取引先チェック"])
      #expect(started.status == .seeOther)
      let location = try #require(started.location)
      // The same version again is refused; version 3 with one more item is taken.
      #expect(try await upload(app, as: officerA, name: "customer.yaml", text: sample).status == .unprocessableEntity)
      // The sample ends with the last item of its last section: one more item goes after it.
      let version3 = sample.replacingOccurrences(of: "version: 2", with: "version: 3")
        + "      - id: partners-3\n        number: \"3\"\n        text: {ja: 新しい項目。, en: A new item.}\n        fields: [systems]\n        provenance: ours\n"
      #expect(try await upload(app, as: officerA, name: "customer-v3.yaml", text: version3).status == .seeOther)
      let summary = try await app.send(.GET, location, as: officerA)
      #expect(summary.text.contains("0 / 4") || summary.text.contains("（0 / 4 項目）"))
      #expect(!summary.text.contains("0 / 5"))
      let fresh = try await app.send(.POST, "/assessments", as: officerA, form: ["catalog": "sample", "title": "取引先チェック v3"])
      let freshPage = try await app.send(.GET, try #require(fresh.location), as: officerA)
      #expect(freshPage.text.contains("0 / 5"))
    }
  }
}

@Suite("Evidence files", .timeLimit(.minutes(5)))
struct EvidenceTests {
  func post(_ app: Application, _ path: String, as browser: Browser, fields: [String: String], file: (name: String, data: Data)?)
    async throws -> TestingHTTPResponse
  {
    try await app.upload(path, as: browser, fields: fields, file: file)
  }

  @Test("a PDF is attached, listed, downloaded as an attachment and deleted; wrong types and disguised files are refused")
  func attach() async throws {
    let options = TestOptions()
    try await withApp(options) { app, options in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let catalog = try #require(app.mamori.checklists.first { $0.id == "tics-selfcheck-mamori" })
      let assessment = try await Assessments.start(
        catalog: catalog, title: "証跡テスト", organisationID: tenant.organisationID, actor: .system, today: CivilDate(iso: "2026-11-01")!, now: app.mamori.clock.now(),
        on: app.db)
      let id = assessment.id!.uuidString.lowercased()
      let item = catalog.items[0]
      let pdf = Data("%PDF-1.7\n規程\n%%EOF\n".utf8)
      let added = try await post(app, "/assessments/\(id)/evidence", as: officer, fields: ["item": item.id], file: ("情報管理規程 v2.pdf", pdf))
      #expect(added.status == .seeOther)
      #expect(added.location == "/assessments/\(id)/sections/\(item.sectionID!)#item-\(item.id)")
      let stored = try #require(try await AssessmentEvidence.query(on: app.db).first())
      #expect(stored.fileName == "情報管理規程 v2.pdf")
      #expect(stored.size == pdf.count)
      #expect(options.files.count == 1)

      let page = try await app.send(.GET, "/assessments/\(id)/sections/\(item.sectionID!)", as: officer)
      #expect(page.text.contains("情報管理規程 v2.pdf"))
      let download = try await app.send(.GET, "/assessments/\(id)/evidence/\(stored.id!.uuidString.lowercased())", as: officer)
      #expect(download.status == .ok)
      #expect(Data(buffer: download.body) == pdf)
      #expect(download.headers.first(name: .contentDisposition)?.hasPrefix("attachment;") == true)
      #expect(download.headers.contentType == .pdf)

      for (name, data, flash) in [
        ("tool.exe", Data("MZ".utf8), "flash.error_evidence_type"),
        ("page.pdf", Data("<html><script>alert(1)</script>".utf8), "flash.error_evidence_content"),
        ("big.txt", Data(repeating: 0x41, count: EvidenceFile.maximumBytes + 1), "flash.error_evidence_too_large"),
      ] {
        let refused = try await post(app, "/assessments/\(id)/evidence", as: officer, fields: ["item": item.id], file: (name, data))
        #expect(refused.status == .seeOther)
        #expect(refused.headers.setCookie?[Flash.cookieName]?.string == flash, "\(name)")
      }
      #expect(try await AssessmentEvidence.query(on: app.db).count() == 1)

      let deleted = try await app.send(.POST, "/assessments/\(id)/evidence/\(stored.id!.uuidString.lowercased())/delete", as: officer, form: [:])
      #expect(deleted.status == .seeOther)
      #expect(try await AssessmentEvidence.query(on: app.db).count() == 0)
      #expect(options.files.count == 0)

      // A completed self-check takes no new evidence.
      assessment.status = .complete
      try await assessment.save(on: app.db)
      let locked = try await post(app, "/assessments/\(id)/evidence", as: officer, fields: ["item": item.id], file: ("a.pdf", pdf))
      #expect(locked.headers.setCookie?[Flash.cookieName]?.string == "flash.error_assessment_locked")
      #expect(try await AssessmentEvidence.query(on: app.db).count() == 0)
    }
  }
}

@Suite("File store", .timeLimit(.minutes(5)))
struct FileStoreTests {
  @Test("files in a folder: written owner-only, read back, deleted; keys that are not Mamori's are refused")
  func directory() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-files-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = DirectoryFileStore(folder: folder.appendingPathComponent("evidence"))
    let key = UUID().uuidString.lowercased()
    try await store.put(Data("%PDF-1.4".utf8), key: key)
    #expect(try await store.get(key: key) == Data("%PDF-1.4".utf8))
    let attributes = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("evidence/\(key)").path)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    try await store.delete(key: key)
    #expect(try await store.get(key: key) == nil)
    await #expect(throws: (any Error).self) { try await store.put(Data("x".utf8), key: "../escape") }
  }
}

@Suite("Rounds of a self-check", .timeLimit(.minutes(5)))
struct AssessmentRoundTests {
  func tics(_ app: Application) throws -> Catalog {
    try #require(app.mamori.checklists.first { $0.id == "tics-selfcheck-mamori" })
  }

  /// Answers every item: × for every third, △ for every third plus one (with an owner and a due date), ○ otherwise.
  func answerAll(_ assessment: Assessment, catalog: Catalog, app: Application) async throws {
    for (index, item) in catalog.items.enumerated() {
      let answer = ["no", "partial", "yes"][index % 3]
      _ = try await Assessments.save(
        assessment, catalog: catalog, itemID: item.id, answer: answer, note: "メモ \(index)", owner: "総務部 鈴木", due: "2027-03-31",
        actor: .system, now: app.mamori.clock.now(), on: app.db)
    }
  }

  @Test("a round started from the previous one carries answers, notes, owners, due dates and files, to be confirmed")
  func carryOver() async throws {
    try await withApp { app, options in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let catalog = try tics(app)
      let first = try await Assessments.start(
        catalog: catalog, title: "2026年5月", organisationID: tenant.organisationID, actor: .system, today: CivilDate(iso: "2026-05-01")!,
        now: app.mamori.clock.now(), on: app.db)
      try await answerAll(first, catalog: catalog, app: app)
      let pdf = Data("%PDF-1.4\n%\u{e2}\u{e3}\u{cf}\u{d3}\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".utf8)
      let attached = try await Evidence.attach(
        pdf, fileName: "規程.pdf", to: first, itemID: catalog.items[0].id, actor: .system, now: app.mamori.clock.now(),
        files: options.files, on: app.db)
      guard case .success(let original) = attached else { Issue.record("evidence refused: \(attached)"); return }
      try await Assessments.complete(first, catalog: catalog, actor: .system, now: app.mamori.clock.now(), on: app.db)

      // The start form offers the latest round and a default title distinct from the ones in use.
      let index = try await app.send(.GET, "/assessments", as: officer)
      #expect(index.text.contains("<option value=\"\(first.id!.uuidString.lowercased())\" data-catalog=\"tics-selfcheck-mamori\" selected>"))
      let started = try await app.send(
        .POST, "/assessments", as: officer,
        form: ["catalog": catalog.id, "title": "2026年11月", "from": first.id!.uuidString.lowercased()])
      #expect(started.status == .seeOther)
      let second = try #require(try await Assessment.query(on: app.db).filter(\.$title == "2026年11月").first())
      let secondID = second.id!.uuidString.lowercased()
      let before = try await Assessments.entries(of: first, on: app.db)
      let carried = try await Assessments.entries(of: second, on: app.db)
      #expect(carried.count == catalog.items.count)
      for item in catalog.items {
        var expected = try #require(before[item.id])
        expected.carriedOver = true
        #expect(carried[item.id] == expected, "\(item.id)")
      }
      // ○ keeps no owner or due date, as when answering.
      #expect(carried[catalog.items[2].id]?.owner == "")
      // The file is a copy under a key of its own.
      let files = try await AssessmentEvidence.query(on: app.db).filter(\.$assessment.$id == second.id!).all()
      #expect(files.map(\.fileName) == ["規程.pdf"])
      #expect(files.first?.storageKey != original.storageKey)
      #expect(files.first?.$organisation.id == tenant.organisationID)
      #expect(try await options.files.get(key: files[0].storageKey) == pdf)
      let entry = try #require(
        try await AuditEntry.query(on: app.db).filter(\.$action == "assessment.start").filter(\.$recordID == secondID).first())
      #expect(entry.after?.contains("\"carried_from\":\"\(first.id!.uuidString.lowercased())\"") == true)

      // Marked on the summary and on the section page; completing is refused until all are confirmed.
      let summary = try await app.send(.GET, "/assessments/\(secondID)", as: officer)
      #expect(summary.text.contains("前回から引き継いだ、まだ確認していない項目が\(catalog.items.count)件あります。"))
      let sectionID = try #require(catalog.items[0].sectionID)
      let page = try await app.send(.GET, "/assessments/\(secondID)/sections/\(sectionID)", as: officer)
      #expect(page.text.contains("引き継ぎ・要確認"))
      let early = try await app.send(.POST, "/assessments/\(secondID)/complete", as: officer, form: [:])
      #expect(early.status == .unprocessableEntity)

      // Saving an item unchanged confirms it; saving a section confirms all of its items.
      let confirmed = try await app.send(
        .POST, "/assessments/\(secondID)/autosave", as: officer,
        form: ["item": catalog.items[0].id, "answer": "no", "note": "メモ 0", "owner": "総務部 鈴木", "due": "2027-03-31"])
      #expect(confirmed.status == .ok)
      let afterOne = try await Assessments.entries(of: second, on: app.db)
      #expect(afterOne[catalog.items[0].id]?.carriedOver == false)
      #expect(afterOne[catalog.items[1].id]?.carriedOver == true)
      let pages = AssessmentsController.pages(catalog)
      for section in pages {
        var form: [String: String] = [:]
        for item in catalog.items where item.sectionID == section.id {
          let value = try #require(afterOne[item.id])
          form["answer-\(item.id)"] = value.answerID
          form["note-\(item.id)"] = value.note
          form["owner-\(item.id)"] = value.owner
          form["due-\(item.id)"] = value.due ?? ""
        }
        #expect(try await app.send(.POST, "/assessments/\(secondID)/sections/\(section.id)", as: officer, form: form).status == .seeOther)
      }
      #expect(try await Assessments.entries(of: second, on: app.db).values.allSatisfy { !$0.carriedOver })
      #expect(try await app.send(.POST, "/assessments/\(secondID)/complete", as: officer, form: [:]).status == .seeOther)

      // The first round is unchanged.
      #expect(try await Assessments.entries(of: first, on: app.db) == before)
    }
  }

  @Test("a round of another catalog or another organisation cannot be carried over")
  func carryOverRefused() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let other = try await Fixture.tenant("other", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let catalog = try tics(app)
      let foreign = try await Assessments.start(
        catalog: catalog, title: "B", organisationID: other.organisationID, actor: .system, today: CivilDate(iso: "2026-05-01")!,
        now: app.mamori.clock.now(), on: app.db)
      let refused = try await app.send(
        .POST, "/assessments", as: officer, form: ["catalog": catalog.id, "title": "A", "from": foreign.id!.uuidString.lowercased()])
      #expect(refused.status == .unprocessableEntity)
      let meti = try #require(app.mamori.checklists.first { $0.id != catalog.id })
      let own = try await Assessments.start(
        catalog: meti, title: "M", organisationID: tenant.organisationID, actor: .system, today: CivilDate(iso: "2026-05-01")!,
        now: app.mamori.clock.now(), on: app.db)
      let mismatch = try await app.send(
        .POST, "/assessments", as: officer, form: ["catalog": catalog.id, "title": "A", "from": own.id!.uuidString.lowercased()])
      #expect(mismatch.status == .unprocessableEntity)
      #expect(try await Assessment.query(on: app.db).filter(\.$title == "A").count() == 0)
    }
  }

  @Test("rounds get distinct default titles and can be renamed; a round in progress can be deleted, a completed one cannot")
  func renameAndDelete() async throws {
    try await withApp { app, options in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let catalog = try tics(app)
      let today = Organisations.today(tenant.organisation, now: app.mamori.clock.now())
      let base = "\(DateDisplay.date(today, .ja)) 実施"
      let first = try await app.send(.GET, "/assessments", as: officer)
      #expect(first.text.contains("value=\"\(html(base))\""))
      #expect(try await app.send(.POST, "/assessments", as: officer, form: ["catalog": catalog.id, "title": base, "from": ""]).status == .seeOther)
      let second = try await app.send(.GET, "/assessments", as: officer)
      #expect(second.text.contains("value=\"\(html(base)) (2)\""))
      // The same title twice is refused.
      let twice = try await app.send(.POST, "/assessments", as: officer, form: ["catalog": catalog.id, "title": base, "from": ""])
      #expect(twice.status == .unprocessableEntity)
      #expect(twice.text.contains("すでに使われています"))

      let round = try #require(try await Assessment.query(on: app.db).filter(\.$title == base).first())
      let id = round.id!.uuidString.lowercased()
      let renamed = try await app.send(.POST, "/assessments/\(id)/rename", as: officer, form: ["title": "2026年度 上期"])
      #expect(renamed.status == .seeOther)
      #expect(try await Assessment.find(round.id, on: app.db)?.title == "2026年度 上期")
      #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "assessment.rename").count() == 1)
      let empty = try await app.send(.POST, "/assessments/\(id)/rename", as: officer, form: ["title": " "])
      #expect(empty.status == .unprocessableEntity)
      #expect(empty.text.contains("入力してください。"))

      // Deleting a round in progress takes its answers and files with it.
      _ = try await Assessments.save(
        round, catalog: catalog, itemID: catalog.items[0].id, answer: "yes", note: "", owner: "", due: "", actor: .system,
        now: app.mamori.clock.now(), on: app.db)
      let pdf = Data("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".utf8)
      let attached = try await Evidence.attach(
        pdf, fileName: "a.pdf", to: round, itemID: catalog.items[0].id, actor: .system, now: app.mamori.clock.now(), files: options.files,
        on: app.db)
      guard case .success(let file) = attached else { Issue.record("evidence refused: \(attached)"); return }
      let deleted = try await app.send(.POST, "/assessments/\(id)/delete", as: officer, form: [:])
      #expect(deleted.status == .seeOther)
      #expect(deleted.location == "/assessments")
      #expect(try await Assessment.find(round.id, on: app.db) == nil)
      #expect(try await AssessmentAnswer.query(on: app.db).filter(\.$assessment.$id == round.id!).count() == 0)
      #expect(try await options.files.get(key: file.storageKey) == nil)
      #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "assessment.delete").count() == 1)

      // A completed round stays.
      let done = try await Assessments.start(
        catalog: catalog, title: "完了済み", organisationID: tenant.organisationID, actor: .system, today: today, now: app.mamori.clock.now(),
        on: app.db)
      for item in catalog.items {
        _ = try await Assessments.save(
          done, catalog: catalog, itemID: item.id, answer: "yes", note: "", owner: "", due: "", actor: .system, now: app.mamori.clock.now(),
          on: app.db)
      }
      try await Assessments.complete(done, catalog: catalog, actor: .system, now: app.mamori.clock.now(), on: app.db)
      let kept = try await app.send(.POST, "/assessments/\(done.id!.uuidString.lowercased())/delete", as: officer, form: [:])
      #expect(kept.status == .conflict)
      #expect(kept.text.contains("完了した自己チェックは削除できません。"))
      #expect(try await Assessment.find(done.id, on: app.db) != nil)
      // A completed round can still be renamed.
      let renamedDone = try await app.send(.POST, "/assessments/\(done.id!.uuidString.lowercased())/rename", as: officer, form: ["title": "2025年度"])
      #expect(renamedDone.status == .seeOther)
    }
  }

  @Test("the comparison does not list items the open round has not answered yet")
  func compareOpenRound() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let catalog = try tics(app)
      let first = try await Assessments.start(
        catalog: catalog, title: "前回", organisationID: tenant.organisationID, actor: .system, today: CivilDate(iso: "2026-05-01")!,
        now: app.mamori.clock.now(), on: app.db)
      try await answerAll(first, catalog: catalog, app: app)
      try await Assessments.complete(first, catalog: catalog, actor: .system, now: app.mamori.clock.now(), on: app.db)
      let open = try await Assessments.start(
        catalog: catalog, title: "今回", organisationID: tenant.organisationID, actor: .system, today: CivilDate(iso: "2026-11-01")!,
        now: app.mamori.clock.now(), on: app.db)
      // One item answered differently, one the same; the rest not yet answered.
      _ = try await Assessments.save(
        open, catalog: catalog, itemID: catalog.items[0].id, answer: "yes", note: "", owner: "", due: "", actor: .system,
        now: app.mamori.clock.now(), on: app.db)
      _ = try await Assessments.save(
        open, catalog: catalog, itemID: catalog.items[2].id, answer: "yes", note: "", owner: "", due: "", actor: .system,
        now: app.mamori.clock.now(), on: app.db)
      let page = try await app.send(
        .GET, "/assessments/\(open.id!.uuidString.lowercased())/compare?with=\(first.id!.uuidString.lowercased())", as: officer)
      #expect(page.status == .ok)
      #expect(page.text.contains(html(catalog.items[0].text.ja)))
      #expect(!page.text.contains(html(catalog.items[1].text.ja)))
      #expect(!page.text.contains(html(catalog.items[2].text.ja)))
      #expect(page.text.components(separatedBy: "<td><a href=").count - 1 == 1)
    }
  }

  @Test("actions are raised by △ and ×, kept across rounds, edited after completion, closed by ○, sorted, filtered and exported")
  func actionList() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let catalog = try tics(app)
      let items = catalog.items
      let first = try await Assessments.start(
        catalog: catalog, title: "前回", organisationID: tenant.organisationID, actor: .system, today: CivilDate(iso: "2026-05-01")!,
        now: app.mamori.clock.now(), on: app.db)
      let planned: [String: (String, String, String)] = [
        items[0].id: ("no", "総務部 佐藤", "2026-01-10"), items[1].id: ("partial", "情報システム部 鈴木", "2027-06-30"),
        items[3].id: ("partial", "", ""),
      ]
      for item in items {
        let (answer, owner, due) = planned[item.id] ?? ("yes", "", "")
        _ = try await Assessments.save(
          first, catalog: catalog, itemID: item.id, answer: answer, note: "", owner: owner, due: due, actor: .system,
          now: app.mamori.clock.now(), on: app.db)
      }
      try await Assessments.complete(first, catalog: catalog, actor: .system, now: app.mamori.clock.now(), on: app.db)
      let raised = try await AssessmentAction.query(on: app.db).all()
      #expect(raised.count == 3)
      #expect(raised.allSatisfy { $0.status == .open && $0.$assessment.id == first.id })
      #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "assessment_action.create").count() == 3)
      let number = { (item: Catalog.Item) in AssessmentsController.qualifiedNumber(item, catalog: catalog, language: .ja) }

      // By due date (undated last), with section-qualified numbers and the overdue one marked.
      let list = try await app.send(.GET, "/assessments/actions", as: officer)
      #expect(list.status == .ok)
      let positions = [items[0], items[1], items[3]].map { list.text.range(of: ">" + html(number($0)) + "<")?.lowerBound }
      #expect(positions.allSatisfy { $0 != nil })
      #expect(positions[0]! < positions[1]! && positions[1]! < positions[2]!)
      #expect(list.text.contains("期限切れ 1件"))

      // Edited after the round is completed.
      let second = try #require(raised.first { $0.itemID == items[1].id })
      let secondPath = "/assessments/actions/\(second.id!.uuidString.lowercased())"
      #expect(try await app.send(.GET, secondPath, as: officer).status == .ok)
      let bad = try await app.send(.POST, secondPath, as: officer, form: ["status": "in_progress", "owner": "x", "due": "2027-02-30", "note": ""])
      #expect(bad.status == .unprocessableEntity)
      #expect(bad.text.contains("日付を正しく入力してください"))
      let edited = try await app.send(
        .POST, secondPath, as: officer, form: ["status": "in_progress", "owner": "情報システム部 高橋", "due": "2027-05-31", "note": "規程の改訂中"])
      #expect(edited.status == .seeOther)
      let updated = try #require(try await AssessmentAction.find(second.id, on: app.db))
      #expect(updated.status == .inProgress && updated.owner == "情報システム部 高橋" && updated.dueOn == CivilDate(iso: "2027-05-31"))
      #expect(updated.note == "規程の改訂中")

      // Filtered by status, owner and section; sorted by number.
      let inProgress = try await app.send(.GET, "/assessments/actions?status=in_progress", as: officer)
      #expect(inProgress.text.contains(html(items[1].text.ja)) && !inProgress.text.contains(html(items[0].text.ja)))
      let byOwner = try await app.send(.GET, "/assessments/actions?owner=\("総務部 佐藤".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", as: officer)
      #expect(byOwner.text.contains(html(items[0].text.ja)) && !byOwner.text.contains(html(items[1].text.ja)))
      // By due date: the test clock's today is 2026-11-18, so only items[0] (2026-01-10) is overdue.
      let overdue = try await app.send(.GET, "/assessments/actions?due=overdue", as: officer)
      #expect(overdue.text.contains(html(items[0].text.ja)) && !overdue.text.contains(html(items[1].text.ja)))
      let otherSection = try #require(catalog.items.first { $0.sectionID != items[0].sectionID }?.sectionID)
      let bySection = try await app.send(.GET, "/assessments/actions?section=\(catalog.id)/\(otherSection)", as: officer)
      #expect(!bySection.text.contains(html(items[0].text.ja)))
      let byNumber = try await app.send(.GET, "/assessments/actions?sort=number&status=all", as: officer)
      let numbered = [items[0], items[1], items[3]].map { byNumber.text.range(of: ">" + html(number($0)) + "<")?.lowerBound ?? list.text.startIndex }
      #expect(numbered[0] < numbered[1] && numbered[1] < numbered[2], "numbered: \(numbered)")

      // The workbook has the filtered list; the round's workbook an action sheet beside the answers.
      let xlsx = try await app.send(.GET, "/assessments/actions/export.xlsx?status=active&sort=number", as: officer)
      #expect(xlsx.status == .ok)
      let sheet = try #require(try XLSXReader(data: Data(buffer: xlsx.body)).sheets.first)
      let texts = sheet.rows.values.flatMap(\.values)
      #expect(texts.contains(items[1].text.ja))
      #expect(texts.contains("情報システム部 高橋"))
      #expect(texts.contains("対応中"))
      let roundBook = try await app.send(.GET, "/assessments/\(first.id!.uuidString.lowercased())/export.xlsx", as: officer)
      #expect(try XLSXReader(data: Data(buffer: roundBook.body)).sheets.map(\.name).contains("対策一覧"))

      // The next round carries the action's current owner and due date, and shows where each action stands.
      let next = try await Assessments.start(
        catalog: catalog, title: "今回", from: first, organisationID: tenant.organisationID, actor: .system,
        today: CivilDate(iso: "2026-11-01")!, now: app.mamori.clock.now(), on: app.db)
      let carried = try await Assessments.entries(of: next, on: app.db)
      #expect(carried[items[1].id]?.owner == "情報システム部 高橋")
      #expect(carried[items[1].id]?.due == "2027-05-31")
      // ○ closes the action; confirming a △ unchanged leaves its action as it is.
      _ = try await Assessments.save(
        next, catalog: catalog, itemID: items[0].id, answer: "yes", note: "", owner: "", due: "", actor: .system,
        now: app.mamori.clock.now(), on: app.db)
      _ = try await Assessments.save(
        next, catalog: catalog, itemID: items[1].id, answer: "partial", note: "", owner: "情報システム部 高橋", due: "2027-05-31",
        actor: .system, now: app.mamori.clock.now(), on: app.db)
      let afterNext = try await AssessmentAction.query(on: app.db).all()
      #expect(afterNext.count == 3)
      #expect(afterNext.first { $0.itemID == items[0].id }?.status == .done)
      #expect(afterNext.first { $0.itemID == items[1].id }?.status == .inProgress)
      let page = try await app.send(.GET, "/assessments/\(next.id!.uuidString.lowercased())/sections/\(items[0].sectionID!)", as: officer)
      #expect(page.text.contains("対策の状況：完了"))
      #expect(page.text.contains("対策の状況：対応中"))
      let active = try await app.send(.GET, "/assessments/actions", as: officer)
      #expect(!active.text.contains(html(items[0].text.ja)))

      // Home shows the latest round and its open actions.
      let home = try await app.send(.GET, "/", as: officer)
      #expect(home.text.contains("今回"))
      #expect(home.text.contains("未完了の対策"))
    }
  }

  @Test("an exported workbook imported into another round carries answers, notes, owners and due dates")
  func workbookRoundTrip() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let catalog = try tics(app)
      let first = try await Assessments.start(
        catalog: catalog, title: "前回", organisationID: tenant.organisationID, actor: .system, today: CivilDate(iso: "2026-05-01")!,
        now: app.mamori.clock.now(), on: app.db)
      try await answerAll(first, catalog: catalog, app: app)
      let exported = try await app.send(.GET, "/assessments/\(first.id!.uuidString.lowercased())/export.xlsx", as: officer)
      #expect(exported.status == .ok)
      let second = try await Assessments.start(
        catalog: catalog, title: "今回", organisationID: tenant.organisationID, actor: .system, today: CivilDate(iso: "2026-11-01")!,
        now: app.mamori.clock.now(), on: app.db)
      let imported = try await app.upload(
        "/assessments/\(second.id!.uuidString.lowercased())/import", as: officer, file: ("export.xlsx", Data(buffer: exported.body)))
      #expect(imported.status == .seeOther)
      #expect(try await Assessments.entries(of: second, on: app.db) == (try await Assessments.entries(of: first, on: app.db)))
    }
  }

  @Test("overdue actions are mailed to the organisation's officers and administrators, in their language; nothing without SMTP")
  func overdueReminder() async throws {
    try await withApp { app, _ in
      let unsent = try await AssessmentActions.remindOverdue(context: app.mamori, baseURL: "https://m.example", actor: .commandLine, on: app.db)
      #expect(unsent == nil)
    }
    let mailer = RecordingMailer()
    try await withApp(TestOptions(mailer: mailer)) { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let quiet = try await Fixture.tenant("quiet", on: app)
      let catalog = try tics(app)
      let round = try await Assessments.start(
        catalog: catalog, title: "前回", organisationID: tenant.organisationID, actor: .system, today: CivilDate(iso: "2026-05-01")!,
        now: app.mamori.clock.now(), on: app.db)
      // The test clock's today is 2026-11-18: one action overdue, one due later, one without a date.
      for (index, due) in ["2026-10-31", "2027-03-31", ""].enumerated() {
        _ = try await Assessments.save(
          round, catalog: catalog, itemID: catalog.items[index].id, answer: "no", note: "", owner: "総務部 佐藤", due: due,
          actor: .system, now: app.mamori.clock.now(), on: app.db)
      }
      // The other organisation's actions are not due yet.
      let other = try await Assessments.start(
        catalog: catalog, title: "B", organisationID: quiet.organisationID, actor: .system, today: CivilDate(iso: "2026-05-01")!,
        now: app.mamori.clock.now(), on: app.db)
      _ = try await Assessments.save(
        other, catalog: catalog, itemID: catalog.items[0].id, answer: "no", note: "", owner: "", due: "2027-01-31", actor: .system,
        now: app.mamori.clock.now(), on: app.db)
      let officer = try #require(try await User.find(tenant.officer.id, on: app.db))
      officer.language = .en
      try await officer.save(on: app.db)

      let report = try #require(
        try await AssessmentActions.remindOverdue(context: app.mamori, baseURL: "https://m.example", actor: .commandLine, on: app.db))
      #expect(report == OverdueReminderReport(organisations: 1, sent: 2, failed: 0))
      let messages = mailer.messages
      #expect(Set(messages.map(\.to)) == [tenant.officer.email, tenant.admin.email])
      let english = try #require(messages.first { $0.to == tenant.officer.email })
      #expect(english.subject == "1 self-check action is overdue")
      #expect(english.body.contains(catalog.items[0].text.en))
      #expect(!english.body.contains(catalog.items[1].text.en))
      #expect(english.body.contains("https://m.example/assessments/actions?sort=due"))
      let japanese = try #require(messages.first { $0.to == tenant.admin.email })
      #expect(japanese.subject == "自己チェックの対策で期限を過ぎたものが1件あります")
      #expect(japanese.body.contains("総務部 佐藤") && japanese.body.contains("2026年10月31日"))
      #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "assessment_action.remind").count() == 1)
    }
  }
}
