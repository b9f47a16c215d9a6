import Fluent
import Foundation
import MamoriCore
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

/// Pledges requested by officers and acknowledged by the person in Mamori (issue 9), and the review
/// decisions an asset's page lists.
@Suite("Pledge requests and asset reviews", .timeLimit(.minutes(5)))
struct PledgeRequestTests {
  /// The test clock's day in Tokyo.
  let today = CivilDate(iso: "2026-11-18")!

  /// The member's account linked to the fixture's person, signed in.
  func linkedMember(_ tenant: TenantFixture, on app: Application) async throws -> Browser {
    let member = try #require(try await User.find(tenant.member.id, on: app.db))
    member.$person.id = tenant.person.id
    try await member.save(on: app.db)
    return try await Fixture.signIn(member, on: app)
  }

  func pledgeFindings(_ tenant: TenantFixture, on app: Application) async throws -> [Finding] {
    try await AssetRegister.findings(organisationID: tenant.organisationID, today: today, on: app.db).findings
      .filter { $0.kind == .pledgeMissing }
  }

  @Test("requested on the person page, listed on the person's home with its due date, acknowledged: a pledge signed today, pledge-missing gone")
  func requestAndAcknowledge() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let member = try await linkedMember(tenant, on: app)
      let personPath = "/people/\(tenant.person.id!.uuidString.lowercased())"
      #expect(try await pledgeFindings(tenant, on: app).map(\.personID) == ["tanaka.acme"])
      // Nothing requested yet: the member's home says so.
      #expect(try await app.send(.GET, "/", as: member).text.contains("確認を待っている誓約書はありません。"))
      let page = try await app.send(.GET, personPath, as: officer)
      #expect(page.text.contains("誓約書を依頼") && page.text.contains("action=\"\(personPath)/pledge-requests\""))

      // A due day in the past is refused on the person page, with the form kept.
      let past = try await app.send(.POST, personPath + "/pledge-requests", as: officer, form: ["request_kind": "joining", "request_due_on": "2026-11-17"])
      #expect(past.status == .unprocessableEntity && past.text.contains("期限は今日から366日後までの日付にしてください。"))
      #expect(try await PledgeRequest.query(on: app.db).count() == 0)

      let made = try await app.send(
        .POST, personPath + "/pledge-requests", as: officer, form: ["request_kind": "joining", "request_due_on": "2026-12-02", "request_scope": "設計図面"])
      #expect(made.status == .seeOther)
      let request = try #require(try await PledgeRequest.query(on: app.db).first())
      #expect(request.kind == .joining && request.dueOn == CivilDate(iso: "2026-12-02") && request.$requestedBy.id == tenant.officer.id)
      // Without wording of its own, the request carries Mamori's model text, marked as not official.
      #expect(request.wording.hasPrefix("入社時の秘密保持誓約書（Mamoriが作成したひな形であり、公式の文書ではありません）"))
      let requestPath = "/pledge-requests/\(request.id!.uuidString.lowercased())"
      #expect(try await app.send(.GET, personPath, as: officer).text.contains("href=\"\(requestPath)\""))

      // The member's home lists it with its due date and links to it.
      let home = try await app.send(.GET, "/", as: member)
      #expect(home.text.contains("確認する誓約書") && home.text.contains("誓約書（入社時）") && home.text.contains("期限 2026年12月2日"))
      #expect(home.text.contains("href=\"\(requestPath)\""))
      let shown = try await app.send(.GET, requestPath, as: member)
      #expect(shown.status == .ok && shown.text.contains("設計図面") && shown.text.contains("経済産業省などの公式の文書ではありません"))
      #expect(shown.text.contains("action=\"\(requestPath)/acknowledge\""))
      // The officer sees it too, but may not acknowledge on the person's behalf.
      let asOfficer = try await app.send(.GET, requestPath, as: officer)
      #expect(asOfficer.status == .ok && !asOfficer.text.contains("/acknowledge\""))
      #expect(try await app.send(.POST, requestPath + "/acknowledge", as: officer, form: ["agree": "yes"]).status == .notFound)

      // Acknowledging needs the box ticked.
      let unticked = try await app.send(.POST, requestPath + "/acknowledge", as: member, form: [:])
      #expect(unticked.status == .unprocessableEntity && unticked.text.contains("チェックを入れてください"))
      #expect(try await Pledge.query(on: app.db).count() == 0)

      let acknowledged = try await app.send(
        .POST, requestPath + "/acknowledge", as: member, form: ["agree": "yes"])
      #expect(acknowledged.status == .seeOther)
      let pledge = try #require(try await Pledge.query(on: app.db).first())
      #expect(pledge.method == .acknowledged && pledge.signedOn == today && pledge.kind == .joining && pledge.scope == "設計図面")
      #expect(pledge.$person.id == tenant.person.id && pledge.$recordedBy.id == tenant.member.id)
      let after = try #require(try await PledgeRequest.find(request.id, on: app.db))
      #expect(after.$pledge.id == pledge.id && after.$acknowledgedBy.id == tenant.member.id && after.acknowledgedAt != nil)
      // The acknowledged pledge satisfies pledge-missing like a recorded one.
      #expect(try await pledgeFindings(tenant, on: app).isEmpty)
      #expect(try await app.send(.GET, "/", as: member).text.contains("確認を待っている誓約書はありません。"))
      #expect(try await app.send(.GET, personPath, as: officer).text.contains("Mamori上で確認"))

      // Who, when and from where: the audit entries of one transaction.
      let entries = try await AuditEntry.query(on: app.db).sort(\.$seq).all().filter { $0.action.hasPrefix("pledge") }
      #expect(entries.map(\.action) == ["pledge_request.create", "pledge.record", "pledge_request.acknowledge"])
      let memberID = tenant.member.id!.uuidString.lowercased()
      #expect(entries[1].actorID == memberID && entries[2].actorID == memberID && !entries[2].clientAddress.isEmpty)
      #expect(entries[2].after?.contains("\"acknowledged_at\"") == true && entries[1].after?.contains("\"method\":\"acknowledged\"") == true)

      // Twice is refused, and no second pledge is recorded; an acknowledged request cannot be withdrawn.
      #expect(try await app.send(.POST, requestPath + "/acknowledge", as: member, form: ["agree": "yes"]).status == .seeOther)
      #expect(try await app.send(.POST, requestPath + "/withdraw", as: officer, form: [:]).status == .seeOther)
      #expect(try await Pledge.query(on: app.db).count() == 1)
      #expect(try await PledgeRequest.query(on: app.db).count() == 1)
    }
  }

  @Test("the same request acknowledged twice at once records one pledge; attendance sent twice at once records each person once")
  func twiceAtOnce() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let now = app.mamori.clock.now()
      let organisationID = tenant.organisationID
      let request = try await PledgeRequests.request(
        PledgeRequestDraft(kind: "joining", dueOn: "2026-12-01"), person: tenant.person,
        by: .init(userID: nil, principal: Principal(role: .officer, isOperator: false), personID: nil), organisationID: organisationID,
        today: today, catalog: app.mamori.catalog, audit: .system, now: now, on: app.db)
      // Two copies read before either acknowledges, as two tabs or a double click would have them.
      let first = try #require(try await PledgeRequest.find(request.id, on: app.db))
      let second = try #require(try await PledgeRequest.find(request.id, on: app.db))
      let person = PledgeRequests.Actor(userID: tenant.member.id, principal: Principal(role: .member, isOperator: false), personID: tenant.person.id)
      let today = self.today
      let database = app.db
      async let a: Bool = { (try? await PledgeRequests.acknowledge(first, by: person, today: today, audit: .system, now: now, on: database)) != nil }()
      async let b: Bool = { (try? await PledgeRequests.acknowledge(second, by: person, today: today, audit: .system, now: now, on: database)) != nil }()
      let outcomes = await [a, b]
      #expect(outcomes.filter { $0 }.count == 1)
      #expect(try await Pledge.query(on: app.db).count() == 1)
      #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "pledge_request.acknowledge").count() == 1)

      let course = TrainingCourse()
      course.$organisation.id = organisationID
      (course.title, course.titleEn, course.details, course.material) = ("説明会", "Briefing", "", "")
      (course.dueDays, course.recurrenceMonths, course.allowsSelfDeclaration) = (30, nil, false)
      try await course.create(on: app.db)
      let attendance = Training.AttendanceInput(personIDs: [tenant.person.id!.uuidString], heldOn: "2026-11-18")
      async let c = Training.recordAttendance(
        attendance, course: course, recordedBy: nil, organisationID: organisationID, today: today, actor: .system, now: now, on: database)
      async let d = Training.recordAttendance(
        attendance, course: course, recordedBy: nil, organisationID: organisationID, today: today, actor: .system, now: now, on: database)
      let recorded = try await [c, d]
      #expect(recorded.map(\.count).sorted() == [0, 1])
      #expect(try await TrainingCompletion.query(on: app.db).filter(\.$course.$id == course.id!).count() == 1)
      let entries = try await AuditTrail.entries(chain: AuditEvent.chain(organisationID), on: app.db)
      #expect(AuditChain.verify(entries) == .intact(count: entries.count))
      #expect(entries.count { $0.action == "training.complete" } == 1)
    }
  }

  @Test("only the person addressed acknowledges; members cannot request or withdraw; officers withdraw open requests")
  func permissions() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let unlinked = try await Fixture.signIn(tenant.member, on: app)
      let personPath = "/people/\(tenant.person.id!.uuidString.lowercased())"
      // Refused like every officer's route with an id: as if the record did not exist.
      #expect(try await app.send(.POST, personPath + "/pledge-requests", as: unlinked, form: ["request_kind": "joining", "request_due_on": "2026-12-01"]).status == .notFound)
      #expect(try await app.send(.POST, "/pledge-requests", as: unlinked, form: ["request_user_id": "tanaka.acme", "request_kind": "joining"]).status == .forbidden)
      #expect(try await app.send(.POST, personPath + "/pledge-requests", as: officer, form: ["request_kind": "leaving", "request_due_on": "2026-12-01"]).status == .seeOther)
      let request = try #require(try await PledgeRequest.query(on: app.db).first())
      let requestPath = "/pledge-requests/\(request.id!.uuidString.lowercased())"
      // A member whose account is not this person's: the request does not exist for them.
      #expect(try await app.send(.GET, requestPath, as: unlinked).status == .notFound)
      #expect(try await app.send(.POST, requestPath + "/acknowledge", as: unlinked, form: ["agree": "yes"]).status == .notFound)
      #expect(try await app.send(.POST, requestPath + "/withdraw", as: unlinked, form: [:]).status == .notFound)
      #expect(!(try await app.send(.GET, "/", as: unlinked).text.contains(requestPath)))
      #expect(try await Pledge.query(on: app.db).count() == 0)

      // Withdrawn by the officer: gone from the person page, its entry keeps what it was.
      #expect(try await app.send(.POST, requestPath + "/withdraw", as: officer, form: [:]).status == .seeOther)
      #expect(try await PledgeRequest.query(on: app.db).count() == 0)
      let withdrawn = try #require(try await AuditEntry.query(on: app.db).filter(\.$action == "pledge_request.withdraw").first())
      #expect(withdrawn.before?.contains("\"kind\":\"leaving\"") == true)

      // The per-record rule itself.
      let person = UUID()
      let member = Principal(role: .member, isOperator: false)
      #expect(Policy.can(member, personID: person, acknowledgePledgeOf: person))
      #expect(!Policy.can(member, personID: UUID(), acknowledgePledgeOf: person))
      #expect(!Policy.can(member, personID: nil, acknowledgePledgeOf: person))
      #expect(!Policy.can(Principal(role: .officer, isOperator: false), personID: nil, acknowledgePledgeOf: person))
      #expect(Policy.can(Principal(role: .officer, isOperator: false), personID: nil, seePledgeOf: person))
      #expect(!Policy.can(Principal(role: .auditor, isOperator: false), personID: person, acknowledgePledgeOf: person))
    }
  }

  @Test("the pledges page requests by login name; a pledge-missing finding offers the request in one click, then says it is requested")
  func pledgesPageAndFindings() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let unknown = try await app.send(.POST, "/pledge-requests", as: officer, form: ["request_user_id": "nobody", "request_kind": "joining", "request_due_on": "2026-12-01"])
      #expect(unknown.status == .unprocessableEntity && unknown.text.contains("このログインIDの人は人員名簿にいません。"))
      #expect(unknown.text.contains("value=\"nobody\""))

      let personPath = "/people/\(tenant.person.id!.uuidString.lowercased())"
      let findings = try await app.send(.GET, "/findings?kind=pledge-missing", as: officer)
      #expect(findings.text.contains("action=\"\(personPath)/pledge-requests\"") && findings.text.contains("この誓約書を依頼"))
      #expect(try await app.send(.POST, personPath + "/pledge-requests", as: officer, form: ["request_kind": "joining", "from": "findings"]).status == .seeOther)
      let request = try #require(try await PledgeRequest.query(on: app.db).first())
      #expect(request.dueOn == today.adding(days: 14) && request.kind == .joining)
      let again = try await app.send(.GET, "/findings?kind=pledge-missing", as: officer)
      #expect(again.text.contains("依頼済み（本人の確認待ち）") && !again.text.contains("この誓約書を依頼"))
      // Still a finding until the person acknowledges.
      #expect(try await pledgeFindings(tenant, on: app).count == 1)

      #expect(try await app.send(.POST, "/pledge-requests", as: officer, form: ["request_user_id": "tanaka.acme", "request_kind": "project", "request_due_on": "2026-12-01"]).status == .seeOther)
      let list = try await app.send(.GET, "/pledges", as: officer)
      #expect(list.text.contains("依頼中の誓約書") && list.text.contains("田中 健太") && list.text.contains("プロジェクト参加時"))
      #expect(try await PledgeRequest.query(on: app.db).count() == 2)
    }
  }

  @Test("an asset's page lists the review decisions on its grants: campaign, person, decision, who and when")
  func assetReviews() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let now = app.mamori.clock.now()
      let asset = try await AssetRegister.saveAsset(
        AssetDraft(code: "A-1", name: "金型図面", location: "/cad/", level: "secret"), ownerID: nil, into: nil,
        organisationID: tenant.organisationID, actor: .system, now: now, on: app.db)
      let assetPath = "/assets/\(asset.id!.uuidString.lowercased())"
      #expect(try await app.send(.GET, assetPath, as: officer).text.contains("まだ棚卸しの対象になっていません"))
      _ = try await AssetRegister.grant(
        GrantDraft(grantedOn: "2026-01-01"), personID: tenant.person.id, to: asset, grantedBy: nil, organisationID: tenant.organisationID,
        today: today, actor: .system, now: now, on: app.db)
      let review = try await AccessReviews.open(
        AccessReviewDraft(name: "2026年度第3四半期", dueOn: "2026-12-31"), organisationID: tenant.organisationID, createdBy: nil,
        today: today, actor: .system, now: now, on: app.db)
      let pending = try await app.send(.GET, assetPath, as: officer)
      #expect(pending.text.contains("2026年度第3四半期") && pending.text.contains("未判断"))
      let item = try #require(try await AccessReviewItem.query(on: app.db).first())
      try await AccessReviews.decide(
        item, decision: .confirm, comment: "業務で必要", reviewer: .init(userID: tenant.officer.id, principal: .init(role: .officer, isOperator: false), personID: nil),
        today: today, actor: .system, now: now, on: app.db)
      let decided = try await app.send(.GET, assetPath, as: officer)
      #expect(decided.text.contains("href=\"/reviews/\(review.id!.uuidString.lowercased())\""))
      #expect(decided.text.contains("badge review-confirm\">継続"))
      #expect(decided.text.contains("officer acme") && decided.text.contains("業務で必要") && decided.text.contains("田中 健太"))
    }
  }
}

/// The pages of this feature in both languages.
@Suite("Pledge request snapshots", .timeLimit(.minutes(5)))
struct PledgeRequestSnapshotTests {
  static let organisationID = UUID(uuidString: "00000000-0000-0000-0000-0000000000F0")!

  func request(_ person: Person) -> PledgeRequest {
    let request = PledgeRequest()
    request.id = UUID(uuidString: "00000000-0000-0000-0000-00000000AC01")
    request.$organisation.id = Self.organisationID
    request.$person.id = person.id!
    request.$requestedBy.id = UUID(uuidString: "00000000-0000-0000-0000-000000000002")
    request.kind = .joining
    request.scope = "金型設計の図面"
    request.assetGroup = "金型"
    request.dueOn = CivilDate(iso: "2026-03-20")!
    request.createdAt = Date(timeIntervalSince1970: 1_772_000_000)
    return request
  }

  func person() -> Person {
    Person(
      id: UUID(uuidString: "00000000-0000-0000-0000-00000000E013"), organisationID: Self.organisationID, departmentID: nil, code: "E013",
      loginName: "nakamura", familyName: "中村", givenName: "美咲", fullName: "中村 美咲", email: nil, employmentType: .employee, jobTitle: "",
      hireDate: nil)
  }

  @Test("the request's page as the person reads it before acknowledging", arguments: Language.allCases)
  func page(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let snapshots = SnapshotTests()
      let req = try snapshots.request(app, language: language, role: .member)
      var user = try #require(req.currentUser)
      let person = person()
      user.personID = person.id
      req.currentUser = user
      let pledgeRequest = self.request(person)
      pledgeRequest.wording = PledgeRequests.modelWording(.joining, language: language, catalog: app.mamori.catalog)
      let view = PledgeRequestPages.view(
        pledgeRequest, person: person, userNames: [pledgeRequest.$requestedBy.id!: "佐藤 officer"], today: SnapshotTests.today, user: user,
        agreeError: nil, req: req)
      let html = try await snapshots.render(
        app, "pledge-request", language: language, chrome: snapshots.chrome(req, title: view.title, path: "/pledge-requests/x"), body: view)
      try assertSnapshot(html, named: "pledge-request.\(language.rawValue).html")
    }
  }

  @Test("a member's home page with a pledge to acknowledge", arguments: Language.allCases)
  func home(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let snapshots = SnapshotTests()
      let req = try snapshots.request(app, language: language, role: .member)
      var model = Dashboard.Model(today: SnapshotTests.today, organisationName: "あおば精密工業株式会社")
      let person = person()
      model.ownPerson = person
      model.ownDepartment = "設計部"
      model.toDo.linked = true
      model.toDo.pledges = [request(person)]
      let view = Dashboard.view(model, user: req.currentUser!, req: req)
      let html = try await snapshots.render(
        app, "dashboard", language: language, chrome: snapshots.chrome(req, title: req.t("dashboard.title"), path: "/"), body: view)
      try assertSnapshot(html, named: "dashboard-member-pledge.\(language.rawValue).html")
    }
  }
}
