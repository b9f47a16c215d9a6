import Fluent
import Foundation
import MamoriCore
import Testing
import Vapor

@testable import MamoriWeb

@Suite("People filter in SQL", .timeLimit(.minutes(5)))
struct PeopleFilterTests {
  @Test("the database's status filter picks exactly whom PersonStatus.on calls active, leaving or left, and text search ignores case")
  func statusAgreesWithTheRule() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let today = CivilDate(iso: "2026-11-18")!
      var people: [Person] = []
      let offsets: [Int?] = [nil, -400, -1, 0, 1, 30]
      var index = 0
      for notice in offsets {
        for exit in offsets {
          index += 1
          let person = Person(
            organisationID: tenant.organisationID, departmentID: nil, code: "P\(index)", loginName: "user\(index)",
            familyName: "姓", givenName: "名", fullName: "Person \(index)", email: nil, employmentType: .employee, jobTitle: "",
            hireDate: nil, noticeDate: notice.map { today.adding(days: $0) }, exitDate: exit.map { today.adding(days: $0) })
          try await person.create(on: app.db)
          people.append(person)
        }
      }
      for status in PersonStatus.allCases {
        let expected = Set(
          people.filter { PersonStatus.on(today, noticeDate: $0.noticeDay, exitDate: $0.exitDay) == status }.map(\.code))
        let filter = PeopleIndex.Filter(status: status)
        let found = try await PeopleIndex.query(filter, organisationID: tenant.organisationID, today: today, on: app.db).all()
          .map(\.code)
        #expect(Set(found).subtracting(["design-lead"]).intersection(Set(people.map(\.code))) == expected, "\(status)")
      }
      let byText = try await PeopleIndex.query(
        PeopleIndex.Filter(text: "PERSON 3"), organisationID: tenant.organisationID, today: today, on: app.db
      ).all().map(\.code)
      #expect(Set(byText).isSuperset(of: ["P3", "P30", "P31"]))
    }
  }
}
