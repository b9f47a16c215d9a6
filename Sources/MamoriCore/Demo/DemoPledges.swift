/// The demo company's pledges (誓約書), so that `pledge-missing` shows in the demo (decision 127): most
/// people signed the pledge their employment type needs on their first day; one in seventeen has none,
/// the Case 4 dispatched worker (who holds a secret asset) has none, and one employee's pledge is from an
/// earlier engagement.
public enum DemoPledges {
  public struct Pledge: Sendable, Equatable {
    public var personCode: String
    public var kind: PledgeKind
    public var signedOn: CivilDate
    public var scope: String
  }

  public static func make(company: DemoCompany) -> [Pledge] {
    let worker = company.people.first { $0.employmentType == .dispatched && $0.noticeDate != nil }?.code
    var outdatedDone = false
    var pledges: [Pledge] = []
    for (index, entry) in company.people.enumerated() where entry.code != worker && index % 17 != 5 {
      let kind = PledgeKind.required(for: entry.employmentType)
      var signed = entry.hireDate
      if !outdatedDone, entry.employmentType == .employee, entry.noticeDate == nil {
        // Rehired: the pledge on file is from the first engagement.
        signed = entry.hireDate.adding(days: -3 * 365)
        outdatedDone = true
      }
      pledges.append(
        Pledge(
          personCode: entry.code, kind: kind, signedOn: signed,
          scope: kind == .external ? "派遣・委託契約の範囲で知った情報（デモ）" : "就業中に知った営業秘密の全般（デモ）"))
    }
    return pledges
  }
}
