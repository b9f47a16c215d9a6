import Foundation
import Testing

@testable import MamoriCore

@Suite("Demo company", .timeLimit(.minutes(5)))
struct DemoCompanyTests {
  let today = CivilDate(iso: "2026-11-26")!

  @Test("about 120 people in the expected departments, all kinds of employment, two leavers")
  func shape() {
    let company = DemoCompany.make(today: today)
    #expect((110...130).contains(company.people.count))
    let departments = Set(company.departments.map(\.name))
    for name in ["設計部", "製造部", "品質保証部", "営業部", "総務部"] { #expect(departments.contains(name)) }
    #expect(Set(company.people.map(\.employmentType)) == Set(EmploymentType.allCases))
    let leavers = company.people.filter { PersonStatus.on(today, noticeDate: $0.noticeDate, exitDate: $0.exitDate) == .leaving }
    #expect(leavers.count == 2)
    #expect(leavers.contains { $0.employmentType == .dispatched })
    #expect(leavers.contains { $0.displayName == "山田 誠" && $0.departmentCode == "design" })
    for leaver in leavers {
      #expect(leaver.noticeDate! < today)
      #expect(today < leaver.exitDate!)
    }
  }

  @Test("codes, login names and e-mail addresses are unique; accounts point at real people")
  func uniqueness() {
    let company = DemoCompany.make(today: today)
    #expect(Set(company.people.map(\.code)).count == company.people.count)
    #expect(Set(company.people.map(\.loginName)).count == company.people.count)
    let emails = company.people.compactMap(\.email)
    #expect(Set(emails).count == emails.count)
    #expect(company.accounts.map { $0.role?.rawValue ?? "operator" } == ["admin", "officer", "member", "auditor", "operator"])
    for account in company.accounts where account.personCode != nil {
      #expect(company.people.contains { $0.code == account.personCode && $0.email == account.email })
    }
  }

  @Test("the same day gives the same company")
  func deterministic() {
    #expect(DemoCompany.make(today: today).people == DemoCompany.make(today: today).people)
  }
}
