import Foundation
import Testing

@testable import MamoriCore

@Suite("Register findings", .timeLimit(.minutes(5)))
struct FindingsTests {
  let today = CivilDate(iso: "2026-11-26")!
  typealias P = RegisterSnapshot.Person
  typealias A = RegisterSnapshot.Asset
  typealias G = RegisterSnapshot.Grant

  func kinds(_ findings: [Finding]) -> [String] { findings.map { "\($0.kind.rawValue) \($0.personID ?? "-") \($0.assetID ?? "-")" } }

  @Test("a leaver holds a grant from the day after the last working day, not on it")
  func leaverBoundary() {
    let assets = [A(code: "S", level: .secret, owner: "boss"), A(code: "I", level: .internal, owner: "boss")]
    let grants = [G(loginName: "today", assetCode: "S"), G(loginName: "yesterday", assetCode: "S"), G(loginName: "yesterday", assetCode: "I")]
    let people = [
      P(loginName: "boss", employment: .employee), P(loginName: "today", employment: .employee, lastWorkingDay: today),
      P(loginName: "yesterday", employment: .employee, lastWorkingDay: today.adding(days: -1)),
    ]
    let findings = Findings.compute(people: people, assets: assets, grants: grants, today: today)
    #expect(kinds(findings) == ["leaver-holds-grant yesterday S", "leaver-holds-grant yesterday I"])
    #expect(findings.map(\.severity) == [.critical, .high])
    #expect(findings[0].date == today.adding(days: -1))
  }

  @Test("a grant expiring today is still valid; one that expired yesterday is a finding")
  func expiryBoundary() {
    let assets = [A(code: "C", level: .confidential, owner: "a")]
    let people = [P(loginName: "a", employment: .employee), P(loginName: "b", employment: .employee)]
    let grants = [G(loginName: "a", assetCode: "C", expiresOn: today), G(loginName: "b", assetCode: "C", expiresOn: today.adding(days: -1))]
    let findings = Findings.compute(people: people, assets: assets, grants: grants, today: today)
    #expect(kinds(findings) == ["grant-expired b C"])
    #expect(findings[0].severity == .medium)
    #expect(findings[0].detail == "grant expired on 2026-11-25 and was not revoked")
  }

  @Test("dispatched workers and contractors with a valid grant to a secret asset; employees and other levels are not")
  func externalWorkers() {
    let assets = [A(code: "S", level: .secret, owner: "e"), A(code: "C", level: .confidential, owner: "e")]
    let people = [
      P(loginName: "d", employment: .dispatched), P(loginName: "c", employment: .contractor), P(loginName: "e", employment: .employee),
      P(loginName: "x", employment: .executive), P(loginName: "old", employment: .dispatched),
    ]
    let grants = [
      G(loginName: "d", assetCode: "S"), G(loginName: "d", assetCode: "C"), G(loginName: "c", assetCode: "S"),
      G(loginName: "e", assetCode: "S"), G(loginName: "x", assetCode: "S"),
      G(loginName: "old", assetCode: "S", expiresOn: today.adding(days: -3)),
      // A duplicate row makes no second finding.
      G(loginName: "d", assetCode: "S"),
    ]
    let findings = Findings.compute(people: people, assets: assets, grants: grants, today: today)
    #expect(
      kinds(findings) == [
        "external-worker-secret-grant c S", "external-worker-secret-grant d S", "grant-expired old S",
      ])
  }

  @Test("an asset without an owner, or whose owner has left, is a finding")
  func owners() {
    let assets = [A(code: "A1", level: .internal), A(code: "A2", level: .secret, owner: "gone"), A(code: "A3", level: .internal, owner: "here")]
    let people = [
      P(loginName: "gone", employment: .employee, lastWorkingDay: today.adding(days: -10)), P(loginName: "here", employment: .employee),
    ]
    let findings = Findings.compute(people: people, assets: assets, grants: [], today: today)
    #expect(kinds(findings) == ["asset-without-owner gone A2", "asset-without-owner - A1"])
    #expect(findings.map(\.severity) == [.high, .medium])
  }

  @Test("a key person holds at least 80 % of a group: exactly 80 % counts, 75 % does not")
  func keyPerson() {
    // Group G has 5 assets; k holds 4 (80 %). Group H has 4; h holds 3 (75 %).
    var assets = (1...5).map { A(code: "G\($0)", level: .internal, group: "G", owner: "k") }
    assets += (1...4).map { A(code: "H\($0)", level: .internal, group: "H", owner: "k") }
    let people = [P(loginName: "k", employment: .employee), P(loginName: "h", employment: .employee, isKeyPerson: true)]
    var grants = (1...4).map { G(loginName: "k", assetCode: "G\($0)") }
    grants += (1...3).map { G(loginName: "h", assetCode: "H\($0)") }
    var findings = Findings.compute(people: people, assets: assets, grants: grants, today: today)
    #expect(kinds(findings) == ["key-person k -"])
    #expect(findings[0].group == "G" && findings[0].held == 4 && findings[0].total == 5)
    #expect(findings[0].detail == "group G: grants to 4 of 5 assets")
    #expect(findings[0].severity == .medium)

    // With the setting at 75 %, h counts too, with low severity because they are a recorded key person.
    findings = Findings.compute(people: people, assets: assets, grants: grants, today: today, keyPersonPercent: 75)
    #expect(kinds(findings) == ["key-person k -", "key-person h -"])
    #expect(findings[1].severity == .low)

    // Expired grants do not count towards the share.
    grants[0].expiresOn = today.adding(days: -1)
    findings = Findings.compute(people: people, assets: assets, grants: grants, today: today)
    #expect(!kinds(findings).contains("key-person k -"))
  }

  @Test("groups of fewer than three assets have no key person")
  func smallGroups() {
    let assets = (1...2).map { A(code: "T\($0)", level: .internal, group: "T", owner: "a") }
    let grants = (1...2).map { G(loginName: "a", assetCode: "T\($0)") }
    #expect(Findings.compute(people: [P(loginName: "a", employment: .employee)], assets: assets, grants: grants, today: today).isEmpty)
  }

  @Test("the JSON of mamori findings has the issue's keys in order, null where nothing is named")
  func json() {
    let findings = [
      Finding(kind: .assetWithoutOwner, severity: .medium, assetID: "A-1"),
      Finding(kind: .keyPerson, severity: .medium, personID: "yamada", group: "ライン A", held: 4, total: 5),
    ]
    #expect(
      FindingsWriter.json(findings) == """
        [
        {"kind":"asset-without-owner","severity":"medium","person_id":null,"asset_id":"A-1","detail":"asset has no owner"},
        {"kind":"key-person","severity":"medium","person_id":"yamada","asset_id":null,"detail":"group ライン A: grants to 4 of 5 assets"}
        ]

        """)
    #expect(FindingsWriter.json([]) == "[]\n")
    let table = FindingsWriter.table(findings)
    #expect(table.hasPrefix("KIND                 SEVERITY  PERSON  ASSET"))
    #expect(table.hasSuffix("2 finding(s) (asset-without-owner: 1, key-person: 1)\n"))
  }

  @Test("asset drafts: required fields, levels, forms and the three core questions")
  func assetDraft() {
    var draft = AssetDraft(code: "A 1", name: "", location: "/share/x/", level: "top", group: "")
    #expect(Set(draft.normalised.validate().map(\.field)) == ["code", "name", "level"])
    draft = AssetDraft(code: "A-1", name: "図面", location: "/share/x/", level: "secret", isCore: true, coreSource: "強み")
    #expect(Set(draft.normalised.validate().map(\.field)) == ["core_superiority", "core_existence"])
    draft.isCore = false
    #expect(draft.normalised.validate().isEmpty)
    #expect(draft.normalised.coreSource == "")
    #expect(GrantDraft(grantedOn: "2026-11-01", expiresOn: "2026-10-31").validate().map(\.key) == ["validation.expiry_before_grant"])
    #expect(GrantDraft(grantedOn: "2026/11/01").validate().map(\.field) == ["granted_on"])
  }

  @Test("the 19 designated technologies, in the briefing's order")
  func designated() {
    #expect(DesignatedTechnology.allCases.count == 19)
    #expect(DesignatedTechnology.mlcc.number == 1 && DesignatedTechnology.flexibleEndoscope.number == 19)
    #expect(DesignatedTechnology.tadf.officialName == "TADF材料 (有機EL次世代発光材料)")
  }

  /// The demo's running campaign as the seeder writes it (``DemoReviews``): the grants in force on its
  /// first day, decided or waiting.
  func demoReviews(company: DemoCompany, register: DemoRegister) -> [RegisterSnapshot.ReviewItem] {
    let loginByCode = Dictionary(uniqueKeysWithValues: company.people.map { ($0.code, $0.loginName) })
    let member = company.accounts.first { $0.role == .member }?.personCode
    let ownerByAsset = Dictionary(uniqueKeysWithValues: register.assets.map { ($0.code, $0.ownerCode) })
    var items: [RegisterSnapshot.ReviewItem] = []
    for campaign in DemoReviews.campaigns(today: today) {
      for (index, grant) in register.grants.enumerated()
      where grant.grantedOn <= campaign.startsOn && (grant.expiresOn.map { $0 >= campaign.startsOn } ?? true) {
        let decision = DemoReviews.decision(
          assetCode: grant.assetCode, personCode: grant.personCode, closed: campaign.closedOn != nil,
          ownedByMember: member != nil && ownerByAsset[grant.assetCode] == member)
        // A grant revoked in the closed campaign is not in force any more.
        if decision == .revoke { continue }
        items.append(
          RegisterSnapshot.ReviewItem(
            grantID: "\(index)", loginName: loginByCode[grant.personCode]!, assetCode: grant.assetCode,
            grantExpiresOn: grant.expiresOn, campaign: campaign.name, startsOn: campaign.startsOn, dueOn: campaign.dueOn,
            decided: decision != nil))
      }
    }
    return items
  }

  @Test("the demo register produces every kind of finding")
  func demo() {
    let company = DemoCompany.make(today: today)
    let register = DemoRegister.make(company: company, today: today)
    #expect((280...320).contains(register.assets.count))
    #expect(Set(register.assets.map(\.group)).count == 5)
    let loginByCode = Dictionary(uniqueKeysWithValues: company.people.map { ($0.code, $0.loginName) })
    let findings = Findings.compute(
      people: company.people.map {
        P(loginName: $0.loginName, employment: $0.employmentType, lastWorkingDay: $0.exitDate, hireDate: $0.hireDate)
      },
      assets: register.assets.map { A(code: $0.code, level: $0.level, group: $0.group, owner: $0.ownerCode.flatMap { loginByCode[$0] }) },
      grants: register.grants.map { G(loginName: loginByCode[$0.personCode]!, assetCode: $0.assetCode, expiresOn: $0.expiresOn) },
      today: today, reviews: demoReviews(company: company, register: register),
      pledges: DemoPledges.make(company: company).map {
        RegisterSnapshot.Pledge(loginName: loginByCode[$0.personCode]!, kind: $0.kind, signedOn: $0.signedOn)
      })
    // training-overdue comes from the demo's training records, seeded by the web side (TrainingDemoTests).
    #expect(Set(findings.map(\.kind)) == Set(FindingKind.allCases).subtracting([.trainingOverdue]))
    let pledgeFindings = findings.filter { $0.kind == .pledgeMissing }
    #expect(pledgeFindings.contains { $0.severity == .high } && pledgeFindings.contains { $0.outdated })
    #expect(findings.contains { $0.kind == .keyPerson && $0.personID?.hasPrefix("yamada.makoto") == true })
  }
}
