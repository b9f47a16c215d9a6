import Fluent
import Foundation
import MamoriCore
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

/// Access review campaigns: what opening takes, who may decide what, revocation through the register's
/// own operation, closing, and the `grant-not-reviewed` finding.
@Suite("Access reviews", .timeLimit(.minutes(5)))
struct AccessReviewTests {
  /// A register with three assets — one owned by the member's person, one by a person without an
  /// account, one without an owner — and grants in every state.
  struct Setup {
    var tenant: TenantFixture
    var today: CivilDate
    /// The member's own asset (owner `tenant.person`, linked to the member account).
    var ownAsset: Asset
    var accountlessAsset: Asset
    var ownerlessAsset: Asset
    var other: Person
    /// Valid grants: other → own asset; tenant.person → own asset; tenant.person → ownerless asset;
    /// other → accountless asset.
    var onOwn: Grant
    var ownerOnOwn: Grant
    var onOwnerless: Grant
    var onAccountless: Grant
    var expired: Grant
    var revoked: Grant
  }

  static func setup(_ app: Application) async throws -> Setup {
    let tenant = try await Fixture.tenant("acme", on: app)
    tenant.member.$person.id = tenant.person.id
    try await tenant.member.save(on: app.db)
    let now = app.mamori.clock.now()
    let today = Organisations.today(tenant.organisation, now: now)
    let other = Person(
      organisationID: tenant.organisationID, departmentID: nil, code: "E002", loginName: "suzuki.acme", familyName: "鈴木",
      givenName: "花子", fullName: "鈴木 花子", email: nil, employmentType: .employee, jobTitle: "", hireDate: nil)
    try await other.create(on: app.db)
    func asset(_ code: String, owner: Person?) async throws -> Asset {
      try await AssetRegister.saveAsset(
        AssetDraft(code: code, name: "資産 \(code)", location: "/share/\(code)/", level: "secret"), ownerID: owner?.id, into: nil,
        organisationID: tenant.organisationID, actor: .system, now: now, on: app.db)
    }
    let own = try await asset("A-1", owner: tenant.person)
    let accountless = try await asset("A-2", owner: other)
    let ownerless = try await asset("A-3", owner: nil)
    func grant(_ person: Person, _ asset: Asset, on: String = "2026-01-05", expires: String = "") async throws -> Grant {
      try await AssetRegister.grant(
        GrantDraft(reason: "担当", grantedOn: on, expiresOn: expires), personID: person.id, to: asset, grantedBy: nil,
        organisationID: tenant.organisationID, today: today, actor: .system, now: now, on: app.db)
    }
    let expired = try await grant(other, ownerless, expires: today.adding(days: -1).iso)
    let revoked = try await grant(tenant.person, accountless)
    try await AssetRegister.revoke(revoked, by: nil, today: today, actor: .system, now: now, on: app.db)
    return Setup(
      tenant: tenant, today: today, ownAsset: own, accountlessAsset: accountless, ownerlessAsset: ownerless, other: other,
      onOwn: try await grant(other, own), ownerOnOwn: try await grant(tenant.person, own),
      onOwnerless: try await grant(tenant.person, ownerless), onAccountless: try await grant(other, accountless), expired: expired,
      revoked: revoked)
  }

  static func open(_ app: Application, _ setup: Setup, as browser: Browser, due: CivilDate? = nil) async throws -> AccessReview {
    let response = try await app.send(
      .POST, "/reviews", as: browser, form: ["name": "2026年度 第3四半期", "due_on": (due ?? setup.today.adding(days: 14)).iso])
    #expect(response.status == .seeOther, "\(response.text)")
    return try #require(try await AccessReview.query(on: app.db).filter(\.$closedOn == nil).first())
  }

  static func item(_ grant: Grant, on app: Application) async throws -> AccessReviewItem {
    try #require(try await AccessReviewItem.query(on: app.db).filter(\.$grant.$id == grant.requireID()).first())
  }

  static func flash(_ response: TestingHTTPResponse) -> String? { response.headers.setCookie?[Flash.cookieName]?.string }

  @Test("opening takes every grant in force, and only those, with the asset's owner; one campaign runs at a time")
  func openSnapshotsGrantsInForce() async throws {
    try await withApp { app, _ in
      let setup = try await Self.setup(app)
      let officer = try await Fixture.signIn(setup.tenant.officer, on: app)
      let bad = try await app.send(.POST, "/reviews", as: officer, form: ["name": " ", "due_on": setup.today.adding(days: -1).iso])
      #expect(bad.status == .unprocessableEntity)
      #expect(bad.text.contains("入力してください。") && bad.text.contains("期限は今日以降の日付にしてください。"))
      #expect(try await AccessReview.query(on: app.db).count() == 0)

      let review = try await Self.open(app, setup, as: officer)
      #expect(review.startsOn == setup.today && review.dueOn == setup.today.adding(days: 14))
      #expect(review.$createdBy.id == setup.tenant.officer.id)
      let items = try await AccessReviewItem.query(on: app.db).all()
      let grants = Set(items.map { $0.$grant.id })
      let inForce = [setup.onOwn, setup.ownerOnOwn, setup.onOwnerless, setup.onAccountless]
      #expect(grants == Set(try inForce.map { try $0.requireID() }))
      let expiredID = try setup.expired.requireID()
      let revokedID = try setup.revoked.requireID()
      #expect(!grants.contains(expiredID) && !grants.contains(revokedID))
      let ownerOfOwn = try await Self.item(setup.onOwn, on: app)
      #expect(ownerOfOwn.$owner.id == setup.tenant.person.id && ownerOfOwn.$asset.id == setup.ownAsset.id)
      #expect(try await Self.item(setup.onOwnerless, on: app).$owner.id == nil)
      #expect(items.allSatisfy { $0.decision == nil })
      let entry = try #require(try await AuditEntry.query(on: app.db).filter(\.$action == "access_review.open").first())
      #expect(entry.after?.contains("\"items\":4") == true)

      let again = try await app.send(.POST, "/reviews", as: officer, form: ["name": "もう一つ", "due_on": setup.today.iso])
      #expect(again.status == .unprocessableEntity)
      #expect(again.text.contains("実施中の棚卸しがあります。"))

      let list = try await app.send(.GET, "/reviews", as: officer)
      #expect(list.status == .ok && list.text.contains("2026年度 第3四半期") && list.text.contains("0 / 4"))
      let page = try await app.send(.GET, "/reviews/\(try review.requireID())", as: officer)
      #expect(page.status == .ok && page.text.contains("田中 健太") && page.text.contains("管理者なし"))
      let filtered = try await app.send(.GET, "/reviews/\(try review.requireID())?owner=none&decision=pending", as: officer)
      #expect(filtered.text.contains("1件") && filtered.text.contains("資産 A-3") && !filtered.text.contains("資産 A-1"))
      // A member neither sees nor opens campaigns.
      let member = try await Fixture.signIn(setup.tenant.member, on: app)
      #expect(try await app.send(.GET, "/reviews", as: member).status == .forbidden)
      #expect(try await app.send(.GET, "/reviews/\(try review.requireID())", as: member).status == .notFound)
    }
  }

  @Test("an owner sees and decides only their own assets' grants; officers decide on behalf only where no owner can")
  func ownersDecideTheirOwn() async throws {
    try await withApp { app, _ in
      let setup = try await Self.setup(app)
      let officer = try await Fixture.signIn(setup.tenant.officer, on: app)
      let review = try await Self.open(app, setup, as: officer)
      let member = try await Fixture.signIn(setup.tenant.member, on: app)

      let mine = try await app.send(.GET, "/my-reviews", as: member)
      #expect(mine.status == .ok)
      #expect(mine.text.contains("資産 A-1") && !mine.text.contains("資産 A-2") && !mine.text.contains("資産 A-3"))
      #expect(mine.text.contains("判断待ち：2件"))
      let home = try await app.send(.GET, "/", as: member)
      #expect(home.text.contains("あなたの判断を待っているアクセス権：2件") && home.text.contains("/my-reviews"))

      // Another owner's grant and an ownerless one: not the member's to decide, and not shown to exist.
      for grant in [setup.onAccountless, setup.onOwnerless] {
        let item = try await Self.item(grant, on: app)
        let refused = try await app.send(.POST, "/review-items/\(try item.requireID())/decision", as: member, form: ["decision": "confirm"])
        #expect(refused.status == .notFound)
        #expect(try await AccessReviewItem.find(item.id, on: app.db)?.decision == nil)
      }
      // The officer may not decide for an owner who can sign in…
      let owned = try await Self.item(setup.onOwn, on: app)
      let overruled = try await app.send(.POST, "/review-items/\(try owned.requireID())/decision", as: officer, form: ["decision": "revoke", "from": "campaign"])
      #expect(overruled.status == .notFound)
      #expect(try await Grant.find(setup.onOwn.id, on: app.db)?.revokedOn == nil)

      // …and decides, on the owner's behalf, for an asset without an owner or whose owner has no account.
      for grant in [setup.onOwnerless, setup.onAccountless] {
        let item = try await Self.item(grant, on: app)
        let decided = try await app.send(
          .POST, "/review-items/\(try item.requireID())/decision", as: officer, form: ["decision": "confirm", "comment": "業務で必要", "from": "campaign"])
        let campaignPath = "/reviews/\(try review.requireID().uuidString.lowercased())"
        #expect(decided.status == .seeOther && decided.location == campaignPath)
        #expect(Self.flash(decided) == "flash.review_confirmed")
        let after = try #require(try await AccessReviewItem.find(item.id, on: app.db))
        #expect(after.decision == .confirm && after.onBehalf && after.$decidedBy.id == setup.tenant.officer.id)
        #expect(after.comment == "業務で必要" && after.decidedAt != nil)
      }

      // The owner confirms their own.
      let confirmed = try await app.send(.POST, "/review-items/\(try owned.requireID())/decision", as: member, form: ["decision": "confirm", "from": "mine"])
      #expect(confirmed.status == .seeOther && confirmed.location == "/my-reviews")
      let after = try #require(try await AccessReviewItem.find(owned.id, on: app.db))
      #expect(after.decision == .confirm && !after.onBehalf && after.$decidedBy.id == setup.tenant.member.id)
      // A decision is final.
      let twice = try await app.send(.POST, "/review-items/\(try owned.requireID())/decision", as: member, form: ["decision": "revoke"])
      #expect(Self.flash(twice) == "flash.error_review_decided")
      #expect(try await Grant.find(setup.onOwn.id, on: app.db)?.revokedOn == nil)
      // No decision chosen, or a comment too long: nothing recorded.
      let ownerOwn = try await Self.item(setup.ownerOnOwn, on: app)
      let none = try await app.send(.POST, "/review-items/\(try ownerOwn.requireID())/decision", as: member, form: ["decision": "maybe"])
      #expect(Self.flash(none) == "flash.error_review_invalid")
      let long = try await app.send(
        .POST, "/review-items/\(try ownerOwn.requireID())/decision", as: member,
        form: ["decision": "confirm", "comment": String(repeating: "長", count: 1001)])
      #expect(Self.flash(long) == "flash.error_review_invalid")
      #expect(try await AccessReviewItem.find(ownerOwn.id, on: app.db)?.decision == nil)

      let progress = try await app.send(.GET, "/reviews/\(try review.requireID())", as: officer)
      #expect(progress.text.contains("3 / 4") && progress.text.contains("（代理）"))
    }
  }

  @Test("a revoke decision revokes the grant through the register's revocation, both audited in one go")
  func revokeDecisionRevokes() async throws {
    try await withApp { app, _ in
      let setup = try await Self.setup(app)
      let officer = try await Fixture.signIn(setup.tenant.officer, on: app)
      _ = try await Self.open(app, setup, as: officer)
      let member = try await Fixture.signIn(setup.tenant.member, on: app)
      let item = try await Self.item(setup.onOwn, on: app)
      let before = try await AuditEntry.query(on: app.db).count()
      let response = try await app.send(
        .POST, "/review-items/\(try item.requireID())/decision", as: member, form: ["decision": "revoke", "comment": "異動済み"])
      #expect(response.status == .seeOther && Self.flash(response) == "flash.review_revoked")
      let grant = try #require(try await Grant.find(setup.onOwn.id, on: app.db))
      #expect(grant.revokedOn == setup.today && grant.$revokedBy.id == setup.tenant.member.id)
      let decided = try #require(try await AccessReviewItem.find(item.id, on: app.db))
      #expect(decided.decision == .revoke && decided.comment == "異動済み")
      let entries = try await AuditEntry.query(on: app.db).sort(\.$seq).all().suffix(from: before)
      #expect(entries.map(\.action) == ["access_review.decide", "grant.revoke"])
      #expect(entries.allSatisfy { $0.actor == setup.tenant.member.email })
      let records = try await AuditTrail.entries(chain: AuditEvent.chain(setup.tenant.organisationID), on: app.db)
      #expect(AuditChain.verify(records) == .intact(count: records.count))
      let mine = try await app.send(.GET, "/my-reviews", as: member)
      #expect(mine.text.contains("取消") && mine.text.contains("異動済み"))
    }
  }

  @Test("closing ends the campaign: no more decisions, only officers close, closing twice changes nothing")
  func closing() async throws {
    try await withApp { app, _ in
      let setup = try await Self.setup(app)
      let officer = try await Fixture.signIn(setup.tenant.officer, on: app)
      let review = try await Self.open(app, setup, as: officer)
      let reviewID = try review.requireID()
      let member = try await Fixture.signIn(setup.tenant.member, on: app)
      #expect(try await app.send(.POST, "/reviews/\(reviewID)/close", as: member, form: [:]).status == .notFound)
      let closed = try await app.send(.POST, "/reviews/\(reviewID)/close", as: officer, form: [:])
      #expect(closed.status == .seeOther && Self.flash(closed) == "flash.review_closed")
      #expect(try await AccessReview.find(reviewID, on: app.db)?.closedOn == setup.today)
      #expect(try await app.send(.POST, "/reviews/\(reviewID)/close", as: officer, form: [:]).status == .seeOther)
      #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "access_review.close").count() == 1)

      let item = try await Self.item(setup.onOwn, on: app)
      let late = try await app.send(.POST, "/review-items/\(try item.requireID())/decision", as: member, form: ["decision": "confirm"])
      #expect(Self.flash(late) == "flash.error_review_closed")
      #expect(try await AccessReviewItem.find(item.id, on: app.db)?.decision == nil)
      // The owner's page lists running campaigns only; a new campaign may open now.
      #expect(try await app.send(.GET, "/my-reviews", as: member).text.contains("判断を待っているアクセス権はありません。"))
      _ = try await Self.open(app, setup, as: officer)
      #expect(try await AccessReview.query(on: app.db).count() == 2)
    }
  }

  @Test("grant-not-reviewed appears the day after the due day for undecided grants in force, and goes when decided")
  func findingAfterDueDay() async throws {
    try await withApp { app, _ in
      let setup = try await Self.setup(app)
      let officer = try await Fixture.signIn(setup.tenant.officer, on: app)
      _ = try await Self.open(app, setup, as: officer, due: setup.today)
      let organisationID = setup.tenant.organisationID
      func notReviewed(on day: CivilDate) async throws -> [Finding] {
        try await AssetRegister.findings(organisationID: organisationID, today: day, on: app.db).findings.filter { $0.kind == .grantNotReviewed }
      }
      #expect(try await notReviewed(on: setup.today).isEmpty)
      let tomorrow = setup.today.adding(days: 1)
      let overdue = try await notReviewed(on: tomorrow)
      #expect(overdue.count == 4)
      #expect(overdue.allSatisfy { $0.severity == .high && $0.date == setup.today && $0.campaign == "2026年度 第3四半期" })
      #expect(overdue.contains { $0.personID == "suzuki.acme" && $0.assetID == "A-1" })

      // Decided (confirmed or revoked) grants are reviewed; so is a grant revoked on its asset's page.
      let member = try await Fixture.signIn(setup.tenant.member, on: app)
      for (grant, decision) in [(setup.onOwn, "confirm"), (setup.ownerOnOwn, "revoke")] {
        let item = try await Self.item(grant, on: app)
        #expect(try await app.send(.POST, "/review-items/\(try item.requireID())/decision", as: member, form: ["decision": decision]).status == .seeOther)
      }
      try await AssetRegister.revoke(setup.onAccountless, by: nil, today: setup.today, actor: .system, now: app.mamori.clock.now(), on: app.db)
      let left = try await notReviewed(on: tomorrow)
      #expect(left.map { $0.assetID } == ["A-3"])
      // The findings page and the home page count it (the cache follows the audit chain).
      let findings = try await app.send(.GET, "/findings?kind=grant-not-reviewed", as: officer)
      #expect(findings.status == .ok)
      let json = FindingsWriter.json(left)
      #expect(json.contains(#""kind":"grant-not-reviewed","severity":"high","person_id":"tanaka.acme","asset_id":"A-3""#))
    }
  }

  @Test("the demo has a closed campaign and an overdue one with undecided grants: grant-not-reviewed, and the member's reviews")
  func demo() async throws {
    try await withApp(TestOptions(configure: { $0.isDemo = true })) { app, _ in
      _ = try await DemoSeeder.seed(on: app)
      let reviews = try await AccessReview.query(on: app.db).sort(\.$startsOn).all()
      #expect(reviews.count == 2 && reviews[0].isClosed && !reviews[1].isClosed)
      let organisationID = reviews[0].$organisation.id
      let today = CivilDate(app.mamori.clock.now(), in: Organisations.defaultTimeZone)
      #expect(reviews[1].dueOn < today)
      let closedItems = try await AccessReviewItem.query(on: app.db).filter(\.$review.$id == reviews[0].requireID()).all()
      #expect(!closedItems.isEmpty && closedItems.allSatisfy { $0.decision != nil })
      #expect(closedItems.contains { $0.decision == .revoke } && closedItems.contains { $0.onBehalf })
      let findings = try await AssetRegister.findings(organisationID: organisationID, today: today, on: app.db).findings
      let notReviewed = findings.filter { $0.kind == .grantNotReviewed }
      #expect(notReviewed.count > 10)
      #expect(Set(findings.map(\.kind)) == Set(FindingKind.allCases))
      let member = try #require(try await User.query(on: app.db).filter(\.$role == .member).first())
      let browser = try await Fixture.signIn(member, on: app)
      #expect(try await app.send(.GET, "/", as: browser).text.contains("あなたの判断を待っているアクセス権"))
      let mine = try await app.send(.GET, "/my-reviews", as: browser)
      #expect(mine.status == .ok && mine.text.contains("継続する"))
    }
  }
}
