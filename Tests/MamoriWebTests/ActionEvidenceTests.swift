import Fluent
import Foundation
import MamoriCore
import Testing
import Vapor
import VaporTesting
import MamoriTestSupport

@testable import MamoriWeb

/// Evidence files of actions (issue 12): attached on the action's page with the checks of item evidence,
/// listed and counted on the action list and its workbook, kept with the action across rounds.
@Suite("Evidence of actions", .timeLimit(.minutes(5)))
struct ActionEvidenceTests {
  func tics(_ app: Application) throws -> Catalog {
    try #require(app.mamori.checklists.first { $0.id == "tics-selfcheck-mamori" })
  }

  @Test("a file is attached to an action, listed, counted, exported, downloaded and deleted; refused files leave nothing; members are kept out")
  func attachToAction() async throws {
    let options = TestOptions()
    try await withApp(options) { app, options in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let member = try await Fixture.signIn(tenant.member, on: app)
      let catalog = try tics(app)
      let item = catalog.items[1]
      let first = try await Assessments.start(
        catalog: catalog, title: "前回", organisationID: tenant.organisationID, actor: .system, today: CivilDate(iso: "2026-05-01")!,
        now: app.mamori.clock.now(), on: app.db)
      for answered in catalog.items {
        _ = try await Assessments.save(
          first, catalog: catalog, itemID: answered.id, answer: answered.id == item.id ? "partial" : "yes", note: "", owner: answered.id == item.id ? "総務部 佐藤" : "",
          due: answered.id == item.id ? "2027-03-31" : "", actor: .system, now: app.mamori.clock.now(), on: app.db)
      }
      try await Assessments.complete(first, catalog: catalog, actor: .system, now: app.mamori.clock.now(), on: app.db)
      let action = try #require(try await AssessmentAction.query(on: app.db).filter(\.$itemID == item.id).first())
      let path = "/assessments/actions/\(action.id!.uuidString.lowercased())"

      // Attached after the round was completed: the action is worked on after it.
      let pdf = Data("%PDF-1.7\n改訂版\n%%EOF\n".utf8)
      let added = try await app.upload(path + "/evidence", as: officer, file: ("情報管理規程 改訂版.pdf", pdf))
      #expect(added.status == .seeOther)
      #expect(added.location == path + "#evidence")
      #expect(added.headers.setCookie?[Flash.cookieName]?.string == "flash.evidence_added")
      let stored = try #require(try await AssessmentActionEvidence.query(on: app.db).first())
      #expect(stored.fileName == "情報管理規程 改訂版.pdf" && stored.size == pdf.count && stored.$action.id == action.id)
      #expect(options.files.count == 1)
      #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "action_evidence.add").count() == 1)

      // The same checks as item evidence, and nothing is kept of a refused file.
      for (name, data, flash) in [
        ("tool.exe", Data("MZ".utf8), "flash.error_evidence_type"),
        ("page.pdf", Data("<html><script>alert(1)</script>".utf8), "flash.error_evidence_content"),
        ("big.txt", Data(repeating: 0x41, count: EvidenceFile.maximumBytes + 1), "flash.error_evidence_too_large"),
      ] {
        let refused = try await app.upload(path + "/evidence", as: officer, file: (name, data))
        #expect(refused.headers.setCookie?[Flash.cookieName]?.string == flash, "\(name)")
      }
      let empty = try await app.upload(path + "/evidence", as: officer, file: nil)
      #expect(empty.headers.setCookie?[Flash.cookieName]?.string == "flash.error_evidence_empty")
      #expect(try await AssessmentActionEvidence.query(on: app.db).count() == 1)
      #expect(options.files.count == 1)

      // The page lists it; the list counts it; the list's workbook names it.
      let filePath = path + "/evidence/\(stored.id!.uuidString.lowercased())"
      let page = try await app.send(.GET, path, as: officer)
      #expect(page.text.contains(html("情報管理規程 改訂版.pdf")))
      #expect(page.text.contains(filePath + "/delete"))
      let list = try await app.send(.GET, "/assessments/actions", as: officer)
      #expect(list.text.contains("<td class=\"num\">1</td>"))
      let xlsx = try await app.send(.GET, "/assessments/actions/export.xlsx", as: officer)
      let sheet = try #require(try XLSXReader(data: Data(buffer: xlsx.body)).sheets.first)
      #expect(sheet.rows[2]?.values.contains("根拠資料") == true)
      #expect(sheet.rows.values.contains { $0.values.contains("情報管理規程 改訂版.pdf") })

      let download = try await app.send(.GET, filePath, as: officer)
      #expect(download.status == .ok)
      #expect(Data(buffer: download.body) == pdf)
      #expect(download.headers.first(name: .contentDisposition)?.hasPrefix("attachment;") == true)
      #expect(download.headers.contentType == .pdf)

      // Members do not work on actions: 403 on the list, and (AccessGuard) 404 on every route with an id,
      // which does not tell them whether the action or file exists.
      #expect(try await app.send(.GET, "/assessments/actions", as: member).status == .forbidden)
      #expect(try await app.send(.GET, path, as: member).status == .notFound)
      #expect(try await app.send(.GET, filePath, as: member).status == .notFound)
      #expect(try await app.upload(path + "/evidence", as: member, file: ("a.pdf", pdf)).status == .notFound)
      #expect(try await app.send(.POST, filePath + "/delete", as: member, form: [:]).status == .notFound)
      #expect(try await AssessmentActionEvidence.query(on: app.db).count() == 1)

      // The next round keeps the action and so its file; the page shows the item's files of that round beside it.
      let next = try await Assessments.start(
        catalog: catalog, title: "今回", from: first, organisationID: tenant.organisationID, actor: .system,
        today: CivilDate(iso: "2026-11-01")!, now: app.mamori.clock.now(), on: app.db)
      _ = try await Evidence.attach(
        Data("%PDF-1.7\n台帳\n%%EOF\n".utf8), fileName: "持出し台帳.pdf", to: next, itemID: item.id, actor: .system, now: app.mamori.clock.now(),
        files: app.mamori.files, on: app.db)
      let later = try await app.send(.GET, path, as: officer)
      #expect(later.text.contains(html("情報管理規程 改訂版.pdf")))
      #expect(later.text.contains("持出し台帳.pdf"))
      #expect(later.text.contains("「今回」でこの項目に添付された資料です"))
      let itemFile = try #require(try await AssessmentEvidence.query(on: app.db).filter(\.$assessment.$id == next.id!).first())
      let itemFilePath = "/assessments/\(next.id!.uuidString.lowercased())/evidence/\(itemFile.id!.uuidString.lowercased())"
      #expect(later.text.contains(itemFilePath))
      #expect(!later.text.contains(itemFilePath + "/delete"))
      let roundBook = try await app.send(.GET, "/assessments/\(next.id!.uuidString.lowercased())/export.xlsx", as: officer)
      let actionSheet = try #require(try XLSXReader(data: Data(buffer: roundBook.body)).sheets.first { $0.name == "対策一覧" })
      #expect(actionSheet.rows.values.contains { $0.values.contains("情報管理規程 改訂版.pdf") })

      let deleted = try await app.send(.POST, filePath + "/delete", as: officer, form: [:])
      #expect(deleted.status == .seeOther)
      #expect(deleted.headers.setCookie?[Flash.cookieName]?.string == "flash.evidence_deleted")
      #expect(try await AssessmentActionEvidence.query(on: app.db).count() == 0)
      #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "action_evidence.delete").count() == 1)
      // The item's file of the round stays; the action's is gone from the store.
      #expect(options.files.count == 1)
      #expect(try await app.send(.GET, filePath, as: officer).status == .notFound)
    }
  }

  @Test("deleting a round in progress deletes the files of the actions it raised, and only those")
  func roundDeletionTakesItsActionsFiles() async throws {
    let options = TestOptions()
    try await withApp(options) { app, options in
      let tenant = try await Fixture.tenant("acme", on: app)
      let catalog = try tics(app)
      let kept = try await Assessments.start(
        catalog: catalog, title: "前回", organisationID: tenant.organisationID, actor: .system, today: CivilDate(iso: "2026-05-01")!,
        now: app.mamori.clock.now(), on: app.db)
      _ = try await Assessments.save(
        kept, catalog: catalog, itemID: catalog.items[0].id, answer: "no", note: "", owner: "", due: "", actor: .system,
        now: app.mamori.clock.now(), on: app.db)
      let mistaken = try await Assessments.start(
        catalog: catalog, title: "誤って開始", organisationID: tenant.organisationID, actor: .system, today: CivilDate(iso: "2026-11-01")!,
        now: app.mamori.clock.now(), on: app.db)
      _ = try await Assessments.save(
        mistaken, catalog: catalog, itemID: catalog.items[1].id, answer: "no", note: "", owner: "", due: "", actor: .system,
        now: app.mamori.clock.now(), on: app.db)
      let actions = try await AssessmentAction.query(on: app.db).all()
      #expect(actions.count == 2)
      for action in actions {
        let attached = try await Evidence.attach(
          Data("a,b\n1,2\n".utf8), fileName: "\(action.itemID).csv", to: action, actor: .system, now: app.mamori.clock.now(),
          files: app.mamori.files, on: app.db)
        guard case .success = attached else { Issue.record("refused: \(attached)"); return }
      }
      #expect(options.files.count == 2)
      try await Assessments.delete(mistaken, actor: .system, now: app.mamori.clock.now(), files: app.mamori.files, on: app.db)
      let left = try await AssessmentActionEvidence.query(on: app.db).all()
      #expect(left.map(\.fileName) == ["\(catalog.items[0].id).csv"])
      #expect(options.files.count == 1)
    }
  }

  /// A workbook's chart part and the rows of its scores sheet.
  static func chartAndScores(_ data: Data) throws -> (chart: String, scores: [Int: [Int: String]]) {
    let sheets = try XLSXReader(data: data).sheets
    return (try chartXML(data), sheets[1].rows)
  }

  /// The first chart part of a workbook, empty when it has none.
  static func chartXML(_ data: Data) throws -> String {
    let zip = try ZipReader(data: data)
    var budget = ZipReader.Budget()
    guard let part = try zip.read("xl/charts/chart1.xml", budget: &budget) else { return "" }
    return String(decoding: part, as: UTF8.self)
  }

  @Test("a round's workbook draws the previous completed round of its catalog as a second series, with its scores as a column")
  func workbookComparesPreviousRound() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let catalog = try tics(app)
      func round(_ title: String, _ day: String, no: Int, complete: Bool) async throws -> Assessment {
        let round = try await Assessments.start(
          catalog: catalog, title: title, organisationID: tenant.organisationID, actor: .system, today: CivilDate(iso: day)!,
          now: app.mamori.clock.now(), on: app.db)
        for (index, item) in catalog.items.enumerated() {
          _ = try await Assessments.save(
            round, catalog: catalog, itemID: item.id, answer: index < no ? "no" : "yes", note: "", owner: "", due: "", actor: .system,
            now: app.mamori.clock.now(), on: app.db)
        }
        if complete { try await Assessments.complete(round, catalog: catalog, actor: .system, now: app.mamori.clock.now(), on: app.db) }
        return round
      }
      let first = try await round("2025年度", "2025-11-01", no: 20, complete: true)
      // An earlier round still open is no comparison point.
      _ = try await round("2026年度 下書き", "2026-05-01", no: 0, complete: false)
      let second = try await round("2026年度", "2026-11-01", no: 5, complete: false)
      func workbook(_ round: Assessment) async throws -> (chart: String, scores: [Int: [Int: String]]) {
        let response = try await app.send(.GET, "/assessments/\(round.id!.uuidString.lowercased())/export.xlsx", as: officer)
        #expect(response.status == .ok)
        return try Self.chartAndScores(Data(buffer: response.body))
      }
      let now = try await workbook(second)
      #expect(now.chart.components(separatedBy: "<c:ser>").count - 1 == 2)
      #expect(now.chart.contains("<c:v>2026年度</c:v>") && now.chart.contains("<c:v>2025年度</c:v>"))
      #expect(now.scores[1]?[4] == "2025年度")
      let overall = try #require(now.scores.values.first { $0[0] == "総合" })
      let before = Scoring.score(catalog, answers: try await Assessments.entries(of: first, on: app.db).compactMapValues(\.answerID))
      let previousOverall = try #require(before.overall)
      #expect(Double(overall[4] ?? "") == (previousOverall * 10).rounded() / 10)
      #expect(overall[1] != overall[4])
      // The first round has nothing before it: one series, four columns.
      let alone = try await workbook(first)
      #expect(alone.chart.components(separatedBy: "<c:ser>").count - 1 == 1)
      #expect(alone.scores[1]?[4] == nil)
    }
  }
}

