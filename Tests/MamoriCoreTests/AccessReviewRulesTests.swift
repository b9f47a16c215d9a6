import Foundation
import Testing

@testable import MamoriCore

@Suite("Access review rules", .timeLimit(.minutes(5)))
struct AccessReviewRulesTests {
  let today = CivilDate(iso: "2026-11-26")!
  typealias R = RegisterSnapshot.ReviewItem

  func item(
    _ grant: String, _ login: String = "yamada", _ asset: String = "A-1", starts: Int = -40, due: Int = -1, decided: Bool = false,
    expires: CivilDate? = nil, campaign: String = "Q3"
  ) -> R {
    R(
      grantID: grant, loginName: login, assetCode: asset, grantExpiresOn: expires, campaign: campaign,
      startsOn: today.adding(days: starts), dueOn: today.adding(days: due), decided: decided)
  }

  @Test("grant-not-reviewed: undecided after the due day, not on it; decided, expired or unknown assets are not")
  func overdueBoundary() {
    let items = [
      item("g1", "yamada", "A-1"), item("g2", "sato", "A-1", due: 0), item("g3", "kato", "A-1", decided: true),
      item("g4", "ito", "A-1", expires: today.adding(days: -1)), item("g5", "ono", "A-1", expires: today),
      item("g6", "abe", "X-9"),
    ]
    let findings = Findings.grantsNotReviewed(items, assetCodes: ["A-1"], today: today)
    #expect(findings.map { "\($0.personID ?? "") \($0.assetID ?? "")" } == ["ono A-1", "yamada A-1"])
    #expect(findings.allSatisfy { $0.kind == .grantNotReviewed && $0.severity == .high && $0.date == today.adding(days: -1) })
    #expect(findings[0].detail == "access review Q3 was due \(today.adding(days: -1).iso) and this grant has no decision")
  }

  @Test("only a grant's latest campaign counts: confirmed this quarter is reviewed, whatever last quarter left")
  func latestCampaignCounts() {
    let items = [
      item("g1", starts: -120, due: -90, campaign: "Q2"), item("g1", starts: -30, due: -1, decided: true, campaign: "Q3"),
      item("g2", "sato", starts: -120, due: -90, decided: true, campaign: "Q2"),
      item("g2", "sato", starts: -30, due: -1, campaign: "Q3"),
      // Last quarter's overdue item while this quarter's campaign is not due yet: not a finding.
      item("g3", "kato", starts: -120, due: -90, campaign: "Q2"), item("g3", "kato", starts: -5, due: 10, campaign: "Q4"),
    ]
    let findings = Findings.grantsNotReviewed(items, assetCodes: ["A-1"], today: today)
    #expect(findings.map { "\($0.personID ?? "") \($0.campaign ?? "")" } == ["sato Q3"])
    // compute() adds them to the others, most severe first.
    let all = Findings.compute(
      people: [], assets: [RegisterSnapshot.Asset(code: "A-1", level: .internal, owner: nil)], grants: [], today: today, reviews: items)
    #expect(all.map(\.kind) == [.grantNotReviewed, .assetWithoutOwner])
  }

  @Test("an owner decides their own assets' grants; officers only where no owner can; auditors never")
  func policy() {
    let owner = UUID()
    let member = Principal(role: .member, isOperator: false)
    let officer = Principal(role: .officer, isOperator: false)
    let admin = Principal(role: .admin, isOperator: false)
    let auditor = Principal(role: .auditor, isOperator: false)
    let withAccount = ReviewSubject(ownerPersonID: owner, ownerHasAccount: true)
    let withoutAccount = ReviewSubject(ownerPersonID: owner, ownerHasAccount: false)
    let ownerless = ReviewSubject(ownerPersonID: nil, ownerHasAccount: false)
    #expect(Policy.can(member, personID: owner, decide: withAccount) == .owner)
    #expect(Policy.can(officer, personID: owner, decide: withAccount) == .owner)
    #expect(Policy.can(member, personID: UUID(), decide: withAccount) == nil)
    #expect(Policy.can(member, personID: nil, decide: ownerless) == nil)
    #expect(Policy.can(member, personID: UUID(), decide: withoutAccount) == nil)
    #expect(Policy.can(officer, personID: nil, decide: withAccount) == nil)
    #expect(Policy.can(admin, personID: nil, decide: withAccount) == nil)
    #expect(Policy.can(officer, personID: nil, decide: ownerless) == .onBehalf)
    #expect(Policy.can(admin, personID: UUID(), decide: withoutAccount) == .onBehalf)
    #expect(Policy.can(auditor, personID: owner, decide: withAccount) == nil)
    #expect(Policy.can(nil, personID: owner, decide: withAccount) == nil)
    #expect(Policy.can(member, personID: owner, see: withAccount) && !Policy.can(member, personID: UUID(), see: withAccount))
    #expect(Policy.can(officer, personID: nil, see: withAccount))
    #expect(Policy.can(member, .reviewOwnAssets) && !Policy.can(auditor, .reviewOwnAssets) && !Policy.can(nil, .reviewOwnAssets))
  }

  @Test("a campaign needs a name and a due day from today to a year ahead")
  func draftRules() {
    #expect(AccessReviewDraft(name: "Q3", dueOn: today.iso).validate(today: today).isEmpty)
    #expect(AccessReviewDraft(name: "Q3", dueOn: today.adding(days: 366).iso).validate(today: today).isEmpty)
    let keys = { (draft: AccessReviewDraft) in draft.normalised.validate(today: self.today).map { "\($0.field) \($0.key)" } }
    #expect(keys(AccessReviewDraft(name: "  ", dueOn: "")) == ["name validation.required", "due_on validation.required"])
    #expect(keys(AccessReviewDraft(name: "Q3", dueOn: today.adding(days: -1).iso)) == ["due_on validation.review_due_past"])
    #expect(keys(AccessReviewDraft(name: "Q3", dueOn: today.adding(days: 367).iso)) == ["due_on validation.period_too_long"])
    #expect(keys(AccessReviewDraft(name: "Q3", dueOn: "2026/13/01")) == ["due_on validation.date"])
    #expect(keys(AccessReviewDraft(name: String(repeating: "x", count: 201), dueOn: today.iso)) == ["name validation.too_long"])
  }
}
