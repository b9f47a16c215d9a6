import Foundation
import Testing

@testable import MamoriCore

@Suite("Pledges and leaver checklists", .timeLimit(.minutes(5)))
struct PledgeLeaverTests {
  let today = CivilDate(iso: "2026-11-26")!
  typealias P = RegisterSnapshot.Person
  typealias A = RegisterSnapshot.Asset
  typealias G = RegisterSnapshot.Grant
  typealias L = RegisterSnapshot.Pledge

  func pledgeFindings(_ people: [P], _ pledges: [L], assets: [A] = [], grants: [G] = []) -> [Finding] {
    Findings.compute(people: people, assets: assets, grants: grants, today: today, pledges: pledges).filter { $0.kind == .pledgeMissing }
  }

  @Test("someone in employment needs the pledge of their employment type; dispatched and contracted staff need theirs")
  func requiredKind() {
    let people = [
      P(loginName: "emp", employment: .employee), P(loginName: "exec", employment: .executive),
      P(loginName: "disp", employment: .dispatched), P(loginName: "cont", employment: .contractor),
      P(loginName: "signed", employment: .employee), P(loginName: "wrongkind", employment: .dispatched),
    ]
    let pledges = [
      L(loginName: "signed", kind: .joining, signedOn: today.adding(days: -30)),
      // A joining pledge does not stand in for the dispatched/contracted one.
      L(loginName: "wrongkind", kind: .joining, signedOn: today.adding(days: -30)),
      L(loginName: "exec", kind: .joining, signedOn: today),
    ]
    let findings = pledgeFindings(people, pledges)
    #expect(Set(findings.compactMap(\.personID)) == ["emp", "disp", "cont", "wrongkind"])
    #expect(findings.first { $0.personID == "disp" }?.pledge == .external)
    #expect(findings.first { $0.personID == "emp" }?.pledge == .joining)
    #expect(findings.allSatisfy { $0.severity == .medium && !$0.outdated })
    #expect(findings.first { $0.personID == "disp" }?.detail == "no pledge for dispatched or contracted staff")
  }

  @Test("high for dispatched or contracted staff holding a valid secret or confidential grant, medium for internal or expired")
  func severity() {
    let people = [
      P(loginName: "a", employment: .dispatched), P(loginName: "b", employment: .contractor), P(loginName: "c", employment: .dispatched),
      P(loginName: "d", employment: .dispatched), P(loginName: "e", employment: .employee),
    ]
    let assets = [A(code: "S", level: .secret, owner: "e"), A(code: "C", level: .confidential, owner: "e"), A(code: "I", level: .internal, owner: "e")]
    let grants = [
      G(loginName: "a", assetCode: "S"), G(loginName: "b", assetCode: "C"), G(loginName: "c", assetCode: "I"),
      G(loginName: "d", assetCode: "S", expiresOn: today.adding(days: -1)), G(loginName: "e", assetCode: "S"),
    ]
    let severity = Dictionary(
      uniqueKeysWithValues: pledgeFindings(people, [], assets: assets, grants: grants).map { ($0.personID!, $0.severity) })
    #expect(severity == ["a": .high, "b": .high, "c": .medium, "d": .medium, "e": .medium])
  }

  @Test("a leaver past the last working day needs a leaving pledge, for a year; not on the last working day itself")
  func leavers() {
    let people = [
      P(loginName: "onday", employment: .employee, lastWorkingDay: today),
      P(loginName: "left", employment: .employee, lastWorkingDay: today.adding(days: -1)),
      P(loginName: "signed", employment: .employee, lastWorkingDay: today.adding(days: -1)),
      P(loginName: "yearago", employment: .employee, lastWorkingDay: today.adding(days: -365)),
      P(loginName: "longago", employment: .employee, lastWorkingDay: today.adding(days: -366)),
    ]
    let pledges = [
      L(loginName: "onday", kind: .joining, signedOn: today.adding(days: -900)),
      L(loginName: "signed", kind: .leaving, signedOn: today.adding(days: -1)),
    ]
    let findings = pledgeFindings(people, pledges)
    #expect(findings.map(\.personID) == ["left", "yearago"])
    #expect(findings.allSatisfy { $0.pledge == .leaving && $0.severity == .medium })
    #expect(findings[0].date == today.adding(days: -1))
    #expect(findings[0].detail == "no leaving pledge after the last working day 2026-11-25")
  }

  @Test("outdated: the latest pledge was signed more than a year before the hire date; later ones and joiners not yet started count")
  func outdated() {
    let hire = CivilDate(iso: "2024-04-01")!
    let people = [
      P(loginName: "rehired", employment: .employee, hireDate: hire),
      P(loginName: "boundary", employment: .employee, hireDate: hire),
      P(loginName: "renewed", employment: .employee, hireDate: hire),
      P(loginName: "future", employment: .employee, hireDate: today.adding(days: 10)),
    ]
    let pledges = [
      L(loginName: "rehired", kind: .joining, signedOn: hire.adding(days: -366)),
      L(loginName: "boundary", kind: .joining, signedOn: hire.adding(days: -365)),
      L(loginName: "renewed", kind: .joining, signedOn: hire.adding(days: -2000)),
      L(loginName: "renewed", kind: .joining, signedOn: hire.adding(days: -3)),
    ]
    let findings = pledgeFindings(people, pledges)
    #expect(findings.map(\.personID) == ["rehired"])
    #expect(findings.first?.outdated == true && findings.first?.date == hire.adding(days: -366))
  }

  @Test("without pledges given, the check is not run (callers that do not know pledges get no false findings)")
  func notRunWithoutPledges() {
    let findings = Findings.compute(people: [P(loginName: "emp", employment: .employee)], assets: [], grants: [], today: today)
    #expect(findings.isEmpty)
  }

  @Test("due days: everything by the last working day, monitoring 30 days after the leaving date; unknown with a notice only")
  func dueDays() {
    let notice = CivilDate(iso: "2026-10-01")!
    let exit = CivilDate(iso: "2026-12-15")!
    let leaving = CivilDate(iso: "2026-12-31")!
    for kind in LeaverTaskKind.allCases where kind != .monitoring {
      #expect(LeaverChecklist.dueDay(kind, notice: notice, exit: exit, leaving: leaving) == exit)
      #expect(LeaverChecklist.dueDay(kind, notice: notice, exit: nil, leaving: leaving) == leaving)
      #expect(LeaverChecklist.dueDay(kind, notice: notice, exit: nil, leaving: nil) == nil)
    }
    #expect(LeaverChecklist.dueDay(.monitoring, notice: notice, exit: exit, leaving: leaving) == CivilDate(iso: "2027-01-30"))
    #expect(LeaverChecklist.dueDay(.monitoring, notice: notice, exit: exit, leaving: nil) == CivilDate(iso: "2027-01-14"))
    #expect(LeaverChecklist.applies(notice: notice, exit: nil, leaving: nil))
    #expect(!LeaverChecklist.applies(notice: nil, exit: nil, leaving: nil))
  }

  @Test("the monitoring window is detection's departure window: 90 days before the last working day, or the earlier notice")
  func window() {
    let exit = CivilDate(iso: "2026-12-15")!
    #expect(LeaverChecklist.monitoringWindow(notice: nil, exit: exit) == exit.adding(days: -90)...exit)
    #expect(LeaverChecklist.monitoringWindow(notice: exit.adding(days: -89), exit: exit) == exit.adding(days: -90)...exit)
    #expect(LeaverChecklist.monitoringWindow(notice: exit.adding(days: -120), exit: exit) == exit.adding(days: -120)...exit)
    #expect(LeaverChecklist.monitoringWindow(notice: exit, exit: nil) == nil)
    // The same window decides departing-transfer in detection.
    #expect(DepartureWindow.contains(exit.adding(days: -90), exit: exit, notice: nil))
    #expect(!DepartureWindow.contains(exit.adding(days: -91), exit: exit, notice: nil))
  }

  @Test("a pledge draft: known kind, a real day not in the future, scope within its limit")
  func draft() {
    #expect(PledgeDraft(kind: "joining", signedOn: today.iso).validate(today: today).isEmpty)
    let bad = PledgeDraft(kind: "oath", signedOn: today.adding(days: 1).iso, scope: String(repeating: "x", count: 501)).validate(today: today)
    #expect(bad.map(\.field) == ["kind", "signed_on", "scope"])
    #expect(bad[1].key == "validation.pledge_future")
    #expect(PledgeDraft(signedOn: "2026-02-30").validate(today: today).map(\.key) == ["validation.date"])
    #expect(PledgeDraft(signedOn: "").validate(today: today).map(\.key) == ["validation.required"])
    #expect(PledgeKind.required(for: .executive) == .joining && PledgeKind.required(for: .contractor) == .external)
  }

  @Test("leavers list writer: JSON with nulls and overdue kinds, table with a summary")
  func writer() {
    let leaver = LeaverSummary(
      personID: "sato", name: "佐藤 \"一郎\"", employment: .contractor, noticeDate: nil, exitDate: CivilDate(iso: "2026-11-22"),
      leavingDate: nil, status: "open", done: 2, total: 6, overdue: [.leavingPledge, .revokeAccess], nextDue: CivilDate(iso: "2026-11-22"))
    #expect(
      LeaverWriter.json([leaver])
        == "[\n{\"person_id\":\"sato\",\"name\":\"佐藤 \\\"一郎\\\"\",\"employment_type\":\"contractor\",\"notice_date\":null,\"exit_date\":\"2026-11-22\",\"leaving_date\":null,\"status\":\"open\",\"done\":2,\"total\":6,\"overdue\":[\"leaving_pledge\",\"revoke_access\"],\"next_due\":\"2026-11-22\"}\n]\n")
    #expect(LeaverWriter.json([]) == "[]\n")
    let table = LeaverWriter.table([leaver])
    #expect(table.contains("sato    contractor  2026-11-22  -        open    2/6"))
    #expect(table.hasSuffix("1 leaver(s), 1 with overdue items\n"))
  }
}
