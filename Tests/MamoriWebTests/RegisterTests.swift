import Fluent
import Foundation
import MamoriCore
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

@Suite("People and departments", .timeLimit(.minutes(5)))
struct RegisterTests {
  @Test("an officer adds a person; bad input is shown field by field and nothing is saved")
  func addPerson() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let bad = try await app.send(
        .POST, "/people", as: officer,
        form: [
          "code": "E001", "login_name": "has space", "family_name": "", "employment_type": "boss",
          "hire_date": "2026-02-30", "exit_date": "2020-01-01", "email": "not-an-address",
        ])
      #expect(bad.status == .unprocessableEntity)
      for message in [
        "すでに使われています。", "空白やカンマを含めないでください。", "入力してください。", "一覧から選んでください。",
        "日付を正しく入力してください", "メールアドレスの形式が正しくありません。",
      ] {
        #expect(bad.text.contains(message), "missing: \(message)")
      }
      #expect(bad.text.contains("value=\"has space\""))
      #expect(try await Person.query(on: app.db).count() == 1)

      let good = try await app.send(
        .POST, "/people", as: officer,
        form: [
          "code": "H2001", "login_name": "nguyen.minh", "family_name": "グエン", "given_name": "ヴァン・ミン",
          "full_name": "グエン・ヴァン・ミン", "employment_type": "dispatched",
          "department_id": tenant.department.id!.uuidString.lowercased(), "hire_date": "2025-04-01",
          "notice_date": "2026-11-01", "exit_date": "2026-11-30",
        ])
      #expect(good.status == .seeOther)
      let location = try #require(good.location)
      let page = try await app.send(.GET, location, as: officer)
      #expect(page.text.contains("グエン・ヴァン・ミン"))
      #expect(page.text.contains("退職予定"))
      #expect(page.text.contains("2026年11月30日"))
      #expect(page.text.contains("あと12日"))
    }
  }

  @Test("the list filters by employment, status and text, and counts what it shows")
  func filters() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let organisationID = tenant.organisationID
      for (code, type, exit) in [("H1", EmploymentType.dispatched, "2026-12-01"), ("C1", .contractor, "2025-01-31"), ("X1", .executive, "")] {
        try await Person(
          organisationID: organisationID, departmentID: nil, code: code, loginName: code.lowercased(), familyName: "佐藤",
          givenName: code, fullName: "佐藤 \(code)", email: nil, employmentType: type, jobTitle: "",
          hireDate: CivilDate(iso: "2020-01-01"), exitDate: CivilDate(iso: exit)
        ).create(on: app.db)
      }
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let all = try await app.send(.GET, "/people", as: officer)
      #expect(all.text.contains("全4人"))
      let dispatched = try await app.send(.GET, "/people?type=dispatched", as: officer)
      #expect(dispatched.text.contains("全4人中 1人が該当"))
      #expect(dispatched.text.contains("佐藤 H1"))
      #expect(!dispatched.text.contains("佐藤 C1"))
      let left = try await app.send(.GET, "/people?status=left", as: officer)
      #expect(left.text.contains("佐藤 C1"))
      #expect(!left.text.contains("佐藤 H1"))
      let search = try await app.send(.GET, "/people?q=tanaka", as: officer)
      #expect(search.text.contains("田中 健太"))
      #expect(search.text.contains("全4人中 1人が該当"))
    }
  }

  @Test("a department with people cannot be deleted; an empty one can")
  func departments() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let admin = try await Fixture.signIn(tenant.admin, on: app)
      let duplicate = try await app.send(.POST, "/departments", as: admin, form: ["code": "design", "name": "別の設計部"])
      #expect(duplicate.status == .unprocessableEntity)
      let blocked = try await app.send(.POST, "/departments/\(tenant.department.id!.uuidString)/delete", as: admin, form: [:])
      #expect(blocked.status == .seeOther)
      #expect(try await Department.find(tenant.department.id, on: app.db) != nil)
      #expect(try await app.send(.POST, "/departments", as: admin, form: ["code": "qa", "name": "品質保証部"]).status == .seeOther)
      let qa = try #require(try await Department.query(on: app.db).filter(\.$code == "qa").first())
      #expect(try await app.send(.POST, "/departments/\(qa.id!.uuidString)/delete", as: admin, form: [:]).status == .seeOther)
      #expect(try await Department.find(qa.id, on: app.db) == nil)
    }
  }

  @Test("the dashboard lists leavers with days left, and a member sees their own record only")
  func dashboard() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      tenant.person.noticeDate = CivilDate(iso: "2026-11-10")
      tenant.person.exitDate = CivilDate(iso: "2026-12-18")
      try await tenant.person.save(on: app.db)
      tenant.member.$person.id = tenant.person.id
      try await tenant.member.save(on: app.db)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let page = try await app.send(.GET, "/", as: officer)
      #expect(page.text.contains("退職予定者"))
      #expect(page.text.contains("あと30日"))
      #expect(page.text.contains("2026年12月18日"))
      let member = try await Fixture.signIn(tenant.member, on: app)
      let own = try await app.send(.GET, "/", as: member)
      #expect(own.text.contains("あなたの登録情報"))
      #expect(!own.text.contains("退職予定者"))
      #expect(!own.text.contains("登録人数"))
    }
  }
}
