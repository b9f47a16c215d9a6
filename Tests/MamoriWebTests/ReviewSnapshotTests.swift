import Foundation
import MamoriCore
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

/// The access review pages in both languages, from fixed models (the helpers of ``SnapshotTests``).
@Suite("HTML snapshots of access reviews", .timeLimit(.minutes(5)))
struct ReviewSnapshotTests {
  static let today = SnapshotTests.today
  static func id(_ number: Int) -> UUID { UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", number))! }

  static let campaigns = [
    ReviewPages.Campaign(
      id: id(1), name: "2026年度 第1四半期", startsOn: today.adding(days: -20), dueOn: today.adding(days: -2), closedOn: nil,
      createdBy: "中村 美咲", total: 40, decided: 31),
    ReviewPages.Campaign(
      id: id(2), name: "2025年度 第4四半期", startsOn: today.adding(days: -110), dueOn: today.adding(days: -80),
      closedOn: today.adding(days: -78), createdBy: "中村 美咲", total: 38, decided: 38),
  ]

  static func item(_ number: Int, owner: (UUID, String, Bool)?, decision: ReviewDecision? = nil, onBehalf: Bool = false) -> ReviewPages.Item {
    ReviewPages.Item(
      id: id(100 + number), reviewID: id(1), reviewName: "2026年度 第1四半期", dueOn: today.adding(days: -2), isClosed: false,
      assetID: id(200 + number), assetCode: "A-000\(number)", assetName: "シャフト図面 00\(number)", level: number == 1 ? .secret : .confidential,
      personID: id(300 + number), personName: number == 2 ? "グエン ミン" : "佐藤 一郎", loginName: number == 2 ? "nguyen.minh" : "sato.ichiro",
      reason: "担当業務", grantedOn: CivilDate(iso: "2025-04-01"), expiresOn: number == 3 ? CivilDate(iso: "2026-09-30") : nil,
      revokedOn: decision == .revoke ? today.adding(days: -5) : nil, ownerID: owner?.0, ownerName: owner?.1, ownerHasAccount: owner?.2 ?? false,
      decision: decision, comment: decision == .revoke ? "異動のため不要" : "",
      decidedBy: decision == nil ? nil : "中村 美咲", decidedAt: decision == nil ? nil : Date(timeIntervalSince1970: 1_772_000_000),
      onBehalf: onBehalf)
  }

  @Test("campaigns list with the open form", arguments: Language.allCases)
  func index(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let snapshots = SnapshotTests()
      let request = try snapshots.request(app, language: language, role: .officer)
      let closedOnly = Self.campaigns.filter { $0.closedOn != nil }
      let view = ReviewPages.indexView(
        closedOnly, today: Self.today, values: ["name": "", "due_on": "2026-02-20"],
        errors: ["name": request.t("validation.required")], req: request)
      let html = try await snapshots.render(
        app, "reviews", language: language, chrome: snapshots.chrome(request, title: request.t("reviews.title"), path: "/reviews"),
        body: view)
      try assertSnapshot(html, named: "reviews.\(language.rawValue).html")
    }
  }

  @Test("a campaign: progress by owner, filtered items, decisions on the owner's behalf", arguments: Language.allCases)
  func show(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let snapshots = SnapshotTests()
      let request = try snapshots.request(app, language: language, role: .officer)
      let yamada = (Self.id(11), "山田 誠", true)
      let kato = (Self.id(12), "加藤 健", false)
      let owners = [
        ReviewPages.OwnerProgress(ownerID: yamada.0, name: yamada.1, hasAccount: true, total: 20, decided: 20),
        ReviewPages.OwnerProgress(ownerID: kato.0, name: kato.1, hasAccount: false, total: 18, decided: 11),
        ReviewPages.OwnerProgress(ownerID: nil, name: nil, hasAccount: false, total: 2, decided: 0),
      ]
      let items = [
        Self.item(1, owner: nil), Self.item(2, owner: kato), Self.item(3, owner: yamada),
        Self.item(4, owner: kato, decision: .revoke, onBehalf: true), Self.item(5, owner: yamada, decision: .confirm),
      ]
      let view = ReviewPages.showView(
        Self.campaigns[0], owners: owners, items: items, matching: 5, filter: .init(decision: "pending"), today: Self.today,
        user: request.currentUser, req: request)
      let html = try await snapshots.render(
        app, "review", language: language, chrome: snapshots.chrome(request, title: Self.campaigns[0].name, path: "/reviews/x"),
        body: view)
      try assertSnapshot(html, named: "review.\(language.rawValue).html")
    }
  }

  @Test("an owner's own reviews", arguments: Language.allCases)
  func mine(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let snapshots = SnapshotTests()
      let request = try snapshots.request(app, language: language, role: .member)
      let me = Self.id(21)
      request.currentUser?.personID = me
      let items = [Self.item(1, owner: (me, "中村 美咲", true)), Self.item(2, owner: (me, "中村 美咲", true), decision: .confirm)]
      let view = ReviewPages.mineView(items, matching: 2, page: 1, pending: 1, today: Self.today, user: request.currentUser, req: request)
      let html = try await snapshots.render(
        app, "my-reviews", language: language, chrome: snapshots.chrome(request, title: request.t("reviews.mine_title"), path: "/my-reviews"),
        body: view)
      try assertSnapshot(html, named: "my-reviews.\(language.rawValue).html")
      #expect(!html.contains("/assets/"), "a member gets no links to the officer's register pages")
    }
  }
}
