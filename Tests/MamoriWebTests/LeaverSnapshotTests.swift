import Foundation
import MamoriCore
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

/// The leavers list, a leaver's checklist and the pledges list in both languages, from fixed models.
@Suite("HTML snapshots of pledges and leavers", .timeLimit(.minutes(5)))
struct LeaverSnapshotTests {
  static let today = SnapshotTests.today
  static let organisationID = RegisterSnapshotTests.organisationID

  func uuid(_ id: Int) -> UUID { UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", id))! }

  func person(_ id: Int, _ name: String, _ type: EmploymentType, notice: String?, exit: String?, leaving: String?) -> Person {
    Person(
      id: uuid(id), organisationID: Self.organisationID, departmentID: nil, code: "C\(id)", loginName: "user\(id)", familyName: name,
      givenName: "", fullName: name, email: nil, employmentType: type, jobTitle: "", hireDate: CivilDate(iso: "2023-04-01"),
      noticeDate: notice.flatMap { CivilDate(iso: $0) }, exitDate: exit.flatMap { CivilDate(iso: $0) },
      leavingDate: leaving.flatMap { CivilDate(iso: $0) })
  }

  func leaverCase(_ id: Int, _ person: Person, _ status: LeaverCase.Status = .open) -> LeaverCase {
    let leaverCase = LeaverCase()
    leaverCase.id = uuid(id)
    leaverCase.$organisation.id = Self.organisationID
    leaverCase.$person.id = person.id!
    leaverCase.openedOn = person.noticeDate ?? Self.today
    leaverCase.status = status
    return leaverCase
  }

  func tasks(for leaverCase: LeaverCase, _ person: Person, done: Set<LeaverTaskKind>, owner: UUID?) -> [LeaverTask] {
    LeaverTaskKind.allCases.enumerated().map { index, kind in
      let task = LeaverTask()
      task.id = uuid(100 + index)
      task.$leaverCase.id = leaverCase.id!
      task.kind = kind
      task.$owner.id = owner
      task.dueOn = LeaverChecklist.dueDay(kind, notice: person.noticeDate, exit: person.exitDate, leaving: person.leavingDate)
      task.note = done.contains(kind) ? "完了（デモ）" : ""
      if done.contains(kind) {
        task.doneOn = CivilDate(iso: "2026-02-25")
        task.$doneBy.id = owner
      }
      return task
    }
  }

  @Test("leavers list with progress and overdue items", arguments: Language.allCases)
  func list(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let snapshots = SnapshotTests()
      let request = try snapshots.request(app, language: language, role: .officer)
      let adviser = person(1, "佐藤 一郎", .contractor, notice: "2026-01-15", exit: "2026-02-26", leaving: "2026-02-26")
      let lead = person(2, "山田 誠", .employee, notice: "2026-02-18", exit: "2026-04-04", leaving: "2026-04-18")
      let first = leaverCase(11, adviser)
      let second = leaverCase(12, lead)
      let model = LeaversPage.ListModel(
        status: .open,
        rows: [
          .init(leaverCase: first, person: adviser, tasks: tasks(for: first, adviser, done: [.returnItems, .informPartners], owner: nil)),
          .init(leaverCase: second, person: lead, tasks: tasks(for: second, lead, done: [.exitInterview], owner: nil)),
        ], matching: 2, page: 1, pageCount: 1, today: Self.today)
      let html = try await snapshots.render(
        app, "leavers", language: language, chrome: snapshots.chrome(request, title: request.t("leavers.title"), path: "/leavers"),
        body: LeaversPage.listView(model, req: request))
      try assertSnapshot(html, named: "leavers.\(language.rawValue).html")
    }
  }

  @Test("a leaver's checklist: items with owners, an overdue one, an error, grants still held, the window", arguments: Language.allCases)
  func checklist(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let snapshots = SnapshotTests()
      let request = try snapshots.request(app, language: language, role: .officer)
      let adviser = person(1, "佐藤 一郎", .contractor, notice: "2025-10-01", exit: "2026-02-26", leaving: "2026-02-26")
      let shown = leaverCase(11, adviser)
      let officer = User(
        id: uuid(21), email: "nakamura@aoba.example", displayName: "中村 美咲", role: .officer, organisationID: Self.organisationID,
        status: .active)
      let asset = RegisterSnapshotTests().asset(31, "A-0121", "表面処理レシピ 001", .secret, owner: nil)
      let grant = Grant()
      grant.id = uuid(41)
      grant.$person.id = adviser.id!
      grant.$asset.id = asset.id!
      grant.$asset.value = asset
      grant.reason = "技術顧問"
      grant.grantedOn = CivilDate(iso: "2025-04-01")!
      let pledge = Pledge()
      pledge.id = uuid(51)
      pledge.$person.id = adviser.id!
      pledge.kind = .external
      pledge.signedOn = CivilDate(iso: "2025-04-01")!
      pledge.scope = ""
      pledge.assetGroup = ""
      let model = LeaversPage.CaseModel(
        leaverCase: shown, person: adviser, tasks: tasks(for: shown, adviser, done: [.returnItems], owner: officer.id),
        users: [officer], grants: [grant], pledges: [pledge], today: Self.today)
      let html = try await snapshots.render(
        app, "leaver", language: language, chrome: snapshots.chrome(request, title: adviser.fullName, path: "/leavers/x"),
        body: LeaversPage.caseView(
          model, values: ["due_monitoring": "2026-13-01", "note_monitoring": "ログ待ち"],
          errors: ["due_monitoring": request.t("validation.date")], req: request))
      try assertSnapshot(html, named: "leaver.\(language.rawValue).html")
    }
  }

  @Test("pledges list filtered by kind", arguments: Language.allCases)
  func pledges(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let snapshots = SnapshotTests()
      let request = try snapshots.request(app, language: language, role: .officer)
      let worker = person(1, "グエン・ヴァン・ミン", .dispatched, notice: nil, exit: nil, leaving: nil)
      let pledge = Pledge()
      pledge.id = uuid(51)
      pledge.$person.id = worker.id!
      pledge.$recordedBy.id = uuid(21)
      pledge.kind = .external
      pledge.signedOn = CivilDate(iso: "2025-04-01")!
      pledge.scope = "派遣契約の範囲で知った情報"
      pledge.assetGroup = "ライン A"
      pledge.fileName = "誓約書.pdf"
      pledge.storageKey = "k"
      let view = PledgesPage.listView(
        pledges: [pledge], people: [worker.id!: worker], userNames: [uuid(21): "中村 美咲"], kind: .external, matching: 1, page: 1,
        pageCount: 1, req: request)
      let html = try await snapshots.render(
        app, "pledges", language: language, chrome: snapshots.chrome(request, title: request.t("pledges.title"), path: "/pledges"),
        body: view)
      try assertSnapshot(html, named: "pledges.\(language.rawValue).html")
    }
  }
}
