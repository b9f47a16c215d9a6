import Foundation
import MamoriCore
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

/// The register's pages in both languages, from fixed models (the helpers of ``SnapshotTests``).
@Suite("HTML snapshots of the register", .timeLimit(.minutes(5)))
struct RegisterSnapshotTests {
  static let today = SnapshotTests.today
  static let organisationID = UUID(uuidString: "00000000-0000-0000-0000-0000000000F0")!

  static let findings = [
    Finding(kind: .leaverHoldsGrant, severity: .critical, personID: "sato.ichiro", assetID: "A-0121", date: CivilDate(iso: "2026-02-26")),
    Finding(kind: .externalWorkerSecretGrant, severity: .high, personID: "nguyen.minh", assetID: "A-0065"),
    Finding(kind: .assetWithoutOwner, severity: .medium, assetID: "A-0200"),
    Finding(kind: .keyPerson, severity: .medium, personID: "yamada.makoto", group: "ライン A", held: 55, total: 60),
  ]

  func person(_ id: Int, _ code: String, _ login: String, _ name: String, _ type: EmploymentType = .employee) -> Person {
    Person(
      id: UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", id)), organisationID: Self.organisationID, departmentID: nil,
      code: code, loginName: login, familyName: name, givenName: "", fullName: name, email: nil, employmentType: type, jobTitle: "",
      hireDate: nil)
  }

  func asset(_ id: Int, _ code: String, _ name: String, _ level: AssetLevel, owner: Person?) -> Asset {
    let asset = Asset()
    asset.id = UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", id))
    asset.$organisation.id = Self.organisationID
    asset.$owner.id = owner?.id
    asset.$owner.value = .some(owner)
    asset.code = code
    asset.name = name
    asset.details = "ライン A の主力製品の図面（デモ）"
    asset.form = .electronic
    asset.location = "/share/line-a/\(code)/"
    asset.level = level
    asset.group = "ライン A"
    asset.retention = "製品の販売終了後10年"
    asset.disposal = "データ消去ソフトで消去"
    asset.isCore = false
    asset.coreSource = ""
    asset.coreSuperiority = ""
    asset.coreExistence = ""
    return asset
  }

  func rule(_ level: AssetLevel) -> HandlingRule {
    let rule = HandlingRule()
    rule.level = level
    rule.marking = "表紙・各ページ・ファイル名に「極秘」と表示する。"
    rule.copying = "情報管理責任者の承認を得た場合に限る。"
    rule.printing = ""
    rule.takingOut = "禁止。"
    rule.sending = "禁止。"
    rule.storage = "施錠した保管庫。"
    rule.disposal = "溶解。"
    return rule
  }

  @Test("assets list, filtered by level", arguments: Language.allCases)
  func assets(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let snapshots = SnapshotTests()
      let request = try snapshots.request(app, language: language, role: .officer)
      let owner = person(1, "E1002", "yamada.makoto", "山田 誠")
      let core = asset(11, "A-0001", "シャフト図面 001", .secret, owner: owner)
      core.isCore = true
      let rows = [core, asset(12, "A-0002", "研削加工条件表 001", .secret, owner: nil)].map { asset in
        AssetsIndex.Row(
          id: asset.id!, code: asset.code, name: asset.name, level: asset.level, form: asset.form, group: asset.group,
          isCore: asset.isCore, ownerName: asset.owner?.fullName, grants: asset.id == core.id ? 4 : 0)
      }
      let model = AssetsIndex.Model(
        filter: .init(level: .secret), assets: rows, total: 300, matching: 2, pageCount: 1, groups: ["ライン A", "ライン B"])
      let html = try await snapshots.render(
        app, "assets", language: language, chrome: snapshots.chrome(request, title: request.t("assets.title"), path: "/assets"),
        body: AssetsIndex.view(model, req: request))
      try assertSnapshot(html, named: "assets.\(language.rawValue).html")
    }
  }

  @Test("an asset: record, handling rule, core technology, grants and the grant form", arguments: Language.allCases)
  func asset(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let snapshots = SnapshotTests()
      let request = try snapshots.request(app, language: language, role: .officer)
      let owner = person(1, "E1002", "yamada.makoto", "山田 誠")
      let worker = person(2, "H2001", "nguyen.minh", "グエン・ヴァン・ミン", .dispatched)
      let shown = asset(11, "A-0001", "シャフト図面 001", .secret, owner: owner)
      shown.isCore = true
      shown.coreSource = "直径3mm以下のシャフトを量産できること。"
      shown.coreSuperiority = "他社がすぐには再現できない。"
      shown.coreExistence = "研削加工条件表と設計課長のノウハウ。"
      shown.designatedTechnology = .photoresist
      func grant(_ id: Int, _ holder: Person, revoked: CivilDate? = nil, expires: CivilDate? = nil) -> Grant {
        let grant = Grant()
        grant.id = UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", id))
        grant.$person.id = holder.id!
        grant.$person.value = holder
        grant.$asset.id = shown.id!
        grant.$grantedBy.value = .some(nil)
        grant.reason = "設計責任者"
        grant.grantedOn = CivilDate(iso: "2025-04-01")!
        grant.expiresOn = expires
        grant.revokedOn = revoked
        return grant
      }
      let model = AssetShow.Model(
        asset: shown, rule: rule(.secret),
        grants: [
          grant(21, owner), grant(22, worker, expires: CivilDate(iso: "2026-02-28")),
          grant(23, worker, revoked: CivilDate(iso: "2026-01-15")),
        ],
        candidates: [owner, worker], today: Self.today)
      let html = try await snapshots.render(
        app, "asset", language: language, chrome: snapshots.chrome(request, title: "A-0001", path: "/assets/x"),
        body: try AssetShow.view(model, values: [:], errors: ["person_id": request.t("validation.grant_held")], req: request))
      try assertSnapshot(html, named: "asset.\(language.rawValue).html")
    }
  }

  @Test("the asset form, new", arguments: Language.allCases)
  func assetForm(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let snapshots = SnapshotTests()
      let request = try snapshots.request(app, language: language, role: .officer)
      let view = AssetFormPage.view(
        asset: nil, people: [person(1, "E1002", "yamada.makoto", "山田 誠")],
        values: AssetFormPage.newValues.merging(["code": "A 1", "is_core": "on"]) { $1 },
        errors: ["code": request.t("validation.asset_code"), "core_source": request.t("validation.required")], req: request)
      let html = try await snapshots.render(
        app, "asset-form", language: language,
        chrome: snapshots.chrome(request, title: request.t("assets.new_title"), path: "/assets/new"), body: view)
      try assertSnapshot(html, named: "asset-form.\(language.rawValue).html")
    }
  }

  @Test("findings with counts by kind", arguments: Language.allCases)
  func findingsPage(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let snapshots = SnapshotTests()
      let request = try snapshots.request(app, language: language, role: .officer)
      let report = AssetRegister.FindingsReport(
        findings: Self.findings,
        people: [
          "sato.ichiro": (UUID(uuidString: "00000000-0000-0000-0000-000000000031")!, "佐藤 一郎"),
          "yamada.makoto": (UUID(uuidString: "00000000-0000-0000-0000-000000000001")!, "山田 誠"),
        ],
        assets: ["A-0121": (UUID(uuidString: "00000000-0000-0000-0000-000000000041")!, "表面処理レシピ 001")])
      let html = try await snapshots.render(
        app, "findings", language: language, chrome: snapshots.chrome(request, title: request.t("findings.title"), path: "/findings"),
        body: FindingsPage.view(report, kind: nil, req: request))
      try assertSnapshot(html, named: "findings.\(language.rawValue).html")
    }
  }

  @Test("handling rules: the sheet and the forms", arguments: Language.allCases)
  func handlingRules(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let snapshots = SnapshotTests()
      let request = try snapshots.request(app, language: language, role: .officer)
      let view = HandlingRulesPage.view(
        rules: [rule(.secret)], organisation: "あおば精密工業株式会社", today: Self.today,
        submitted: (.internal, ["marking": "社外秘"], ["storage": request.t("validation.too_long", ["max": "1000"])]), req: request)
      let html = try await snapshots.render(
        app, "handling-rules", language: language,
        chrome: snapshots.chrome(request, title: request.t("handling_rules.title"), path: "/assets/handling-rules"), body: view)
      try assertSnapshot(html, named: "handling-rules.\(language.rawValue).html")
    }
  }

  @Test("register import: the form, and a refused file with every bad row", arguments: Language.allCases)
  func registerImport(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let snapshots = SnapshotTests()
      let request = try snapshots.request(app, language: language, role: .officer)
      let problems = [
        ImportProblem(line: 3, column: "exit_date", key: "register_import.date", arguments: ["value": "2026-02-30"]),
        ImportProblem(line: 6, key: "register_import.field_count", arguments: ["found": "2", "expected": "6"]),
      ].map { RegisterCommands.problem("people.xlsx", $0, catalog: app.mamori.catalog, language: language) }
      let view = RegisterImportPage.view(
        file: .people, failure: request.t("register_import_page.failed", ["count": "2"]), problems: problems, req: request)
      let html = try await snapshots.render(
        app, "register-import", language: language,
        chrome: snapshots.chrome(request, title: request.t("register_import_page.title"), path: "/register/import"), body: view)
      try assertSnapshot(html, named: "register-import.\(language.rawValue).html")
    }
  }
}
