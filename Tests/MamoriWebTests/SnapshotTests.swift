import Foundation
import MamoriCore
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

/// Rendered pages in both languages, from fixed view models, so that a change to a template or a
/// text shows up as a reviewable diff.
@Suite("HTML snapshots", .timeLimit(.minutes(5)))
struct SnapshotTests {
  static let today = CivilDate(iso: "2026-03-02")!

  func request(_ app: Application, language: Language, role: Role?) throws -> Request {
    let request = Request(application: app, on: app.eventLoopGroup.next())
    let user = User(
      id: UUID(uuidString: "00000000-0000-0000-0000-000000000001"), email: "nakamura@aoba.example",
      displayName: "中村 美咲", role: role, organisationID: UUID(), language: language, status: .active)
    request.currentUser = try CurrentUser(user: user, credential: .session(id: UUID(), csrfToken: "CSRF"))
    return request
  }

  func chrome(_ request: Request, title: String, path: String) -> Chrome {
    Chrome(
      title: title, csrf: "CSRF", isDemo: true,
      user: request.currentUser.map { .init(name: $0.displayName, role: request.t($0.role?.labelKey ?? "role.operator"), tenant: "あおば精密工業株式会社") },
      nav: Navigation.links(for: request.currentUser, currentPath: path, t: { request.t($0) }), flash: nil, path: path,
      languages: Language.allCases.map {
        .init(code: $0.rawValue, label: request.mamori.catalog.text("language.\($0.rawValue)", $0), current: $0 == request.language)
      },
      assetVersion: "test")
  }

  func render<Body: Encodable & Sendable>(
    _ app: Application, _ template: String, language: Language, chrome: Chrome, body: Body
  ) async throws -> String {
    let page = Page(lang: language.rawValue, chrome: chrome, body: body)
    let view = try await app.view.render(template, page).get()
    let html = String(buffer: view.data)
    try await LeafReference.check(app, template, page, compiled: html)
    return html
  }

  @Test("sign-in page", arguments: Language.allCases)
  func login(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let request = Request(application: app, on: app.eventLoopGroup.next())
      request.cookies[Request.languageCookie] = .init(string: language.rawValue)
      var chrome = chrome(request, title: request.t("login.title"), path: "/login")
      chrome.isDemo = false
      let html = try await render(
        app, "login", language: language, chrome: chrome,
        body: AuthController.LoginView(email: "tanaka@aoba.example", next: "/people", error: request.t("login.failed"), notice: nil))
      try assertSnapshot(html, named: "login.\(language.rawValue).html")
    }
  }

  @Test("dashboard of an officer, with leavers", arguments: Language.allCases)
  func dashboard(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let request = try request(app, language: language, role: .officer)
      var model = Dashboard.Model(today: Self.today, organisationName: "あおば精密工業株式会社")
      model.register.peopleByType = [(.employee, 96), (.dispatched, 16), (.contractor, 5), (.executive, 5), (.other, 4)]
      model.register.departmentCount = 9
      model.register.leavers = [
        .init(
          personID: UUID(uuidString: "00000000-0000-0000-0000-00000000000A")!, name: "山田 誠", department: "設計部",
          employment: .employee, noticeDate: CivilDate(iso: "2026-02-18"), exitDate: CivilDate(iso: "2026-04-04")),
        .init(
          personID: UUID(uuidString: "00000000-0000-0000-0000-00000000000B")!, name: "グエン・ヴァン・ミン", department: "製造部",
          employment: .dispatched, noticeDate: CivilDate(iso: "2026-02-10"), exitDate: CivilDate(iso: "2026-03-11")),
      ]
      model.register.activeAccounts = 3
      model.register.auditGrants = [("みどり技術情報認証センター", CivilDate(iso: "2026-04-30"))]
      model.register.findings = RegisterSnapshotTests.findings
      var view = Dashboard.view(model, user: request.currentUser!, req: request)
      view.selfCheck = Dashboard.SelfCheckCard(
        title: "2026年3月 自己チェック", href: "/assessments/00000000-0000-0000-0000-0000000000c1", catalogName: "技術情報管理 自己チェック（Mamori版）",
        status: request.t("assessments.status_in_progress"), overall: "62.5%", openActions: 7, overdueActions: 2,
        startHref: "/assessments/00000000-0000-0000-0000-0000000000c1", startLabel: request.t("dashboard.selfcheck_continue"))
      let html = try await render(app, "dashboard", language: language, chrome: chrome(request, title: request.t("dashboard.title"), path: "/"), body: view)
      try assertSnapshot(html, named: "dashboard.\(language.rawValue).html")
    }
  }

  @Test("people list, filtered", arguments: Language.allCases)
  func people(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let request = try request(app, language: language, role: .officer)
      let organisationID = UUID()
      let design = Department(id: UUID(uuidString: "00000000-0000-0000-0000-0000000000D1"), organisationID: organisationID, code: "design", name: "設計部")
      let person = PeopleIndex.Row(
        id: UUID(uuidString: "00000000-0000-0000-0000-0000000000A1")!, code: "E1002", fullName: "山田 誠",
        departmentID: design.id, employment: .employee, jobTitle: "設計課長",
        noticeDate: CivilDate(iso: "2026-02-18"), exitDate: CivilDate(iso: "2026-04-04"))
      let model = PeopleIndex.Model(
        filter: .init(departmentID: design.id, status: .leaving), today: Self.today, people: [person], total: 120, matching: 1,
        pageCount: 1, departments: [PeopleIndex.DepartmentOption(id: design.id!, code: design.code, name: design.name)])
      let html = try await render(
        app, "people", language: language, chrome: chrome(request, title: request.t("people.title"), path: "/people"),
        body: PeopleIndex.view(model, req: request))
      try assertSnapshot(html, named: "people.\(language.rawValue).html")
    }
  }

  @Test("department form with an error, drawn by the shared field partial with the rule's limits", arguments: Language.allCases)
  func departmentForm(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let request = try request(app, language: language, role: .officer)
      let errors = FieldErrors(["code": request.t("validation.taken")])
      let body = DepartmentsController.EditView(
        fields: DepartmentsController.fields(request, values: ["code": "design", "name": "設計部"], errors: errors, codeHint: true),
        errors: errors, action: "/departments/d1", deleteAction: "/departments/d1/delete", people: 0, hasPeople: false)
      let html = try await render(
        app, "department", language: language, chrome: chrome(request, title: "設計部", path: "/departments/d1"), body: body)
      #expect(html.contains("maxlength=\"\(Register.departmentCode.maximum)\""))
      try assertSnapshot(html, named: "department-form.\(language.rawValue).html")
    }
  }

  @Test("not-found error page", arguments: Language.allCases)
  func notFound(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let request = try request(app, language: language, role: .member)
      let html = try await render(
        app, "error", language: language, chrome: chrome(request, title: request.t("error.title"), path: "/people/x"),
        body: ErrorPageMiddleware.ErrorView(
          status: 404, heading: request.t("error.heading.not_found"), message: request.t("error.message.not_found"), signedIn: true))
      try assertSnapshot(html, named: "error-404.\(language.rawValue).html")
    }
  }

  /// The sample checklist of Tests/Fixtures with one answer of each kind.
  func sampleAssessment(complete: Bool) throws -> (Catalog, Assessment, [String: MetiSheet.Entry]) {
    let catalog = try CatalogLoader.load(url: Repository.root.appendingPathComponent("Tests/Fixtures/catalogs/sample.yaml"))
    let assessment = Assessment(
      id: UUID(uuidString: "00000000-0000-0000-0000-0000000000C1"), organisationID: UUID(), catalogID: "sample", catalogVersion: 2,
      title: "2026年3月 自己チェック", startedOn: CivilDate(iso: "2026-03-01")!, startedBy: nil)
    if complete {
      assessment.status = .complete
      assessment.completedAt = Date(timeIntervalSince1970: 1_772_452_800)
    }
    let entries: [String: MetiSheet.Entry] = [
      "common-1": .init(answerID: "yes", note: "規程第3条"),
      "common-2": .init(answerID: "partial", note: "", owner: "総務部 鈴木", due: "2026-02-27"),
      "partners-1": .init(answerID: "na"),
    ]
    return (catalog, assessment, entries)
  }

  @Test("self-check summary: scores, chart, sections, actions", arguments: Language.allCases)
  func assessmentSummary(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let request = try request(app, language: language, role: .officer)
      let (catalog, assessment, entries) = try sampleAssessment(complete: false)
      let earlier = Assessment(
        id: UUID(uuidString: "00000000-0000-0000-0000-0000000000C0"), organisationID: UUID(), catalogID: "sample", catalogVersion: 2,
        title: "2025年9月 自己チェック", startedOn: CivilDate(iso: "2025-09-01")!, startedBy: nil)
      let view = try AssessmentsController.showView(
        request, catalog: catalog, assessment: assessment, entries: entries, others: [earlier], today: Self.today,
        timeZone: Organisations.defaultTimeZone, errors: [:])
      let html = try await render(
        app, "assessment", language: language, chrome: chrome(request, title: assessment.title, path: "/assessments/x"), body: view)
      try assertSnapshot(html, named: "assessment.\(language.rawValue).html")
    }
  }

  @Test("self-check section page, and the same page once complete", arguments: Language.allCases)
  func assessmentSection(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let request = try request(app, language: language, role: .officer)
      let evidence = AssessmentEvidence(
        assessmentID: UUID(), organisationID: UUID(), itemID: "common-1", fileName: "情報管理規程 v2.pdf", contentType: "application/pdf", size: 48_213,
        sha256: "x", storageKey: "k", uploadedBy: nil)
      evidence.id = UUID(uuidString: "00000000-0000-0000-0000-0000000000E1")
      for complete in [false, true] {
        let (catalog, assessment, entries) = try sampleAssessment(complete: complete)
        let view = try AssessmentsController.sectionView(
          request, catalog: catalog, assessment: assessment, sectionID: "common", entries: entries, evidence: ["common-1": [evidence]], overrides: [:], errors: [:])
        let html = try await render(
          app, "assessment-section", language: language, chrome: chrome(request, title: view.sectionTitle, path: "/assessments/x"),
          body: view)
        try assertSnapshot(html, named: "assessment-section\(complete ? "-locked" : "").\(language.rawValue).html")
      }
    }
  }

  /// The built-in TICS checklist, whose answer guide is quoted from METI's briefing.
  func ticsAssessment() throws -> (Catalog, Assessment) {
    let catalog = try CatalogLoader.load(url: Repository.resources.appendingPathComponent("Catalogs/tics-selfcheck-mamori.yaml"))
    let assessment = Assessment(
      id: UUID(uuidString: "00000000-0000-0000-0000-0000000000C2"), organisationID: UUID(), catalogID: catalog.id,
      catalogVersion: catalog.version, title: "2026年3月 自己チェック", startedOn: CivilDate(iso: "2026-03-01")!, startedBy: nil)
    return (catalog, assessment)
  }

  @Test("answering page of the TICS checklist: the answer guide beside the choices, quoted with its source", arguments: Language.allCases)
  func answerGuide(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let request = try request(app, language: language, role: .officer)
      let (catalog, assessment) = try ticsAssessment()
      let view = try AssessmentsController.sectionView(
        request, catalog: catalog, assessment: assessment, sectionID: "common", entries: ["common-1": .init(answerID: "yes")],
        evidence: [:], overrides: [:], errors: [:])
      let html = try await render(
        app, "assessment-section", language: language, chrome: chrome(request, title: view.sectionTitle, path: "/assessments/x"),
        body: view)
      #expect(html.contains(language == .ja ? "全ての従業員、全ての守るべき情報（※）、全ての取組においておおむね実施できている" : "Generally done for all employees"))
      #expect(html.contains("経済安全保障の観点からの技術流出対策について"))
      try assertSnapshot(html, named: "assessment-section-tics.\(language.rawValue).html")
    }
  }

  @Test("the downloaded radar chart carries a caption: checklist, self-check, day, 「Mamori版」", arguments: Language.allCases)
  func radarCaption(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let request = try request(app, language: language, role: .officer)
      let (catalog, assessment) = try ticsAssessment()
      let report = Scoring.score(catalog, answers: ["common-1": "yes", "common-2": "partial", "identify-1": "no"])
      let caption = AssessmentsController.chartCaption(request, catalog: catalog, title: assessment.title, today: Self.today)
      let svg = AssessmentsController.chart(
        catalog: catalog, language: language, series: [(assessment.title, report)], title: assessment.title, req: request,
        caption: caption)
      #expect(svg.contains(language == .ja ? "2026年3月2日作成" : "made on 2 March 2026"))
      #expect(svg.contains("Mamori版"))
      try assertSnapshot(svg, named: "radar-download.\(language.rawValue).svg")
    }
  }

  @Test("checklists page: sources, field provenance, the official sheet and what imports from it", arguments: Language.allCases)
  func catalogsPage(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let request = try request(app, language: language, role: .officer)
      let catalogs = try CatalogLoader.loadFolder(Repository.resources.appendingPathComponent("Catalogs"))
      let view = CatalogsController.indexView(request, catalogs: catalogs, builtIn: Set(catalogs.map(\.id)), error: nil)
      let html = try await render(
        app, "catalogs", language: language, chrome: chrome(request, title: request.t("catalogs.title"), path: "/assessments/catalogs"),
        body: view)
      #expect(html.contains("checklist_kaitei.xlsx"))
      try assertSnapshot(html, named: "catalogs.\(language.rawValue).html")
    }
  }

  @Test("an action's page: its form, its own evidence and the item's evidence in the latest round", arguments: Language.allCases)
  func assessmentAction(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let request = try request(app, language: language, role: .officer)
      let (catalog, assessment, _) = try sampleAssessment(complete: true)
      let action = AssessmentAction(
        organisationID: UUID(), assessmentID: assessment.id!, catalogID: "sample", itemID: "common-2", owner: "総務部 鈴木",
        dueOn: CivilDate(iso: "2026-02-27"))
      action.id = UUID(uuidString: "00000000-0000-0000-0000-0000000000A1")
      action.status = .inProgress
      action.note = "規程の改訂案を回覧中"
      let own = AssessmentActionEvidence(
        actionID: action.id!, organisationID: UUID(), fileName: "改訂案 第2版.docx",
        contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", size: 20_480, sha256: "x", storageKey: "k",
        uploadedBy: nil)
      own.id = UUID(uuidString: "00000000-0000-0000-0000-0000000000E2")
      let latest = Assessment(
        id: UUID(uuidString: "00000000-0000-0000-0000-0000000000C3"), organisationID: UUID(), catalogID: "sample", catalogVersion: 2,
        title: "2026年9月 自己チェック", startedOn: CivilDate(iso: "2026-09-01")!, startedBy: nil)
      let itemFile = AssessmentEvidence(
        assessmentID: latest.id!, organisationID: UUID(), itemID: "common-2", fileName: "情報管理規程 v2.pdf", contentType: "application/pdf",
        size: 48_213, sha256: "x", storageKey: "k", uploadedBy: nil)
      itemFile.id = UUID(uuidString: "00000000-0000-0000-0000-0000000000E1")
      let view = try AssessmentsController.actionEditView(
        request, action: action, catalog: catalog, round: assessment, files: [own], latest: latest, itemFiles: [itemFile], values: nil,
        errors: [:])
      let html = try await render(
        app, "assessment-action", language: language, chrome: chrome(request, title: view.number, path: "/assessments/actions/x"), body: view)
      #expect(html.contains("改訂案 第2版.docx"))
      #expect(html.contains("/assessments/actions/00000000-0000-0000-0000-0000000000a1/evidence/00000000-0000-0000-0000-0000000000e2/delete"))
      #expect(html.contains("/assessments/00000000-0000-0000-0000-0000000000c3/evidence/00000000-0000-0000-0000-0000000000e1"))
      try assertSnapshot(html, named: "assessment-action.\(language.rawValue).html")
    }
  }
}
