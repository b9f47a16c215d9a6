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

  @Test("a page of the list is one page of the register in code order with the matching count; a page past the end shows the last one")
  func pagesAndCounts() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      for index in 1...120 {
        let person = Person(
          organisationID: tenant.organisationID, departmentID: nil, code: String(format: "Q%03d", index), loginName: "q\(index)",
          familyName: "姓", givenName: "名", fullName: "Paged \(index)", email: nil, employmentType: .employee, jobTitle: "",
          hireDate: nil, noticeDate: nil, exitDate: nil)
        try await person.create(on: app.db)
      }
      let all = try await Person.query(in: tenant.organisationID, on: app.db).all().map(\.code).sorted()
      let pageCount = (all.count + 49) / 50
      #expect(pageCount == 3)
      let browser = try await Fixture.signIn(tenant.officer, on: app)
      func codes(_ path: String) async throws -> [String] {
        let body = try await app.send(.GET, path, as: browser).body.string
        return all.filter { body.contains(">\($0)<") }
      }
      #expect(try await codes("/people") == Array(all[0..<50]))
      #expect(try await codes("/people?page=2") == Array(all[50..<100]))
      #expect(try await codes("/people?page=3") == Array(all[100...]))
      #expect(try await codes("/people?page=9") == Array(all[100...]))
      let past = try await app.send(.GET, "/people?page=9", as: browser).body.string
      #expect(past.contains("aria-current=\"page\">3</a>"))
      let filtered = try await app.send(.GET, "/people?q=Paged+11", as: browser).body.string
      // "Paged 11" and "Paged 110" … "Paged 119": eleven of the register's people.
      let matching = all.filter { filtered.contains(">\($0)<") }
      #expect(matching.count == 11)
      #expect(filtered.contains("11") && filtered.contains("\(all.count)"))
    }
  }
}
