import Fluent
import Foundation
import MamoriCore
import MamoriTestSupport
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

/// Training: assigning a course, taking the built-in course's quiz as a member, due dates turning into
/// overdue a year later, the member's own to-dos, the officer's page and the command line's report.
@Suite("Training", .timeLimit(.minutes(5)))
struct TrainingWebTests {
  static let courseID = "meti-technology-outflow-basics"

  func builtIn(_ app: Application) throws -> Course {
    try #require(app.mamori.courses.first { $0.id == Self.courseID })
  }

  /// The tenant's member account linked to its person, and the course assigned to everyone today.
  func setUp(_ app: Application, slug: String = "acme") async throws -> (TenantFixture, TrainingCourse) {
    let tenant = try await Fixture.tenant(slug, on: app)
    tenant.member.$person.id = tenant.person.id
    try await tenant.member.save(on: app.db)
    let today = Organisations.today(tenant.organisation, now: app.mamori.clock.now())
    _ = try await Training.assign(
      .init(course: Training.builtInPrefix + Self.courseID, scope: "everyone", departmentID: "", employmentType: "", assignedOn: ""),
      builtIn: app.mamori.courses, organisationID: tenant.organisationID, assignedBy: tenant.officer.id, today: today, actor: .system,
      now: app.mamori.clock.now(), on: app.db)
    let course = try #require(try await TrainingCourse.query(in: tenant.organisationID, on: app.db).first())
    return (tenant, course)
  }

  func actions(_ app: Application, _ organisationID: UUID) async throws -> [String] {
    try await AuditEntry.query(on: app.db).filter(\.$chain == AuditEvent.chain(organisationID)).sort(\.$seq).all().map(\.action)
  }

  @Test("assigning: the built-in course gets its row with the first assignment; a repeat and a department scope without a department are refused")
  func assign() async throws {
    try await withApp { app, _ in
      let (tenant, course) = try await setUp(app)
      #expect(course.catalogID == Self.courseID && course.dueDays == 30 && course.recurrenceMonths == 12)
      #expect(try await actions(app, tenant.organisationID).suffix(2) == ["training.course_create", "training.assign"])
      let today = Organisations.today(tenant.organisation, now: app.mamori.clock.now())
      func assign(_ input: Training.AssignmentInput) async throws -> [String] {
        do {
          _ = try await Training.assign(
            input, builtIn: app.mamori.courses, organisationID: tenant.organisationID, assignedBy: nil, today: today, actor: .system,
            now: app.mamori.clock.now(), on: app.db)
          return []
        } catch let failure as ValidationFailure {
          return failure.issues.map { "\($0.field):\($0.key)" }
        }
      }
      let id = course.id!.uuidString
      #expect(try await assign(.init(course: id, scope: "everyone", departmentID: "", employmentType: "", assignedOn: "")) == ["scope:training.validation.assigned"])
      #expect(try await assign(.init(course: id, scope: "department", departmentID: "", employmentType: "", assignedOn: "")) == ["department_id:validation.choice"])
      #expect(try await assign(.init(course: id, scope: "employment", departmentID: "", employmentType: "dispatched", assignedOn: "2026-02-30")) == ["assigned_on:validation.date"])
      #expect(try await assign(.init(course: "builtin:nope", scope: "everyone", departmentID: "", employmentType: "", assignedOn: "")) == ["course:validation.choice"])
      #expect(try await assign(.init(course: id, scope: "department", departmentID: tenant.department.id!.uuidString, employmentType: "", assignedOn: "")) == [])
      #expect(try await TrainingAssignment.query(in: tenant.organisationID, on: app.db).count() == 2)
      #expect(try await TrainingCourse.query(in: tenant.organisationID, on: app.db).count() == 1)

      // The page form does the same, with the officer as the one who assigned.
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let refused = try await app.send(.POST, "/training/assignments", as: officer, form: ["course": id, "scope": "everyone"])
      #expect(refused.status == .unprocessableEntity)
      #expect(refused.text.contains("この教材は同じ対象にすでに割り当てられています。"))
      let made = try await app.send(.POST, "/training/assignments", as: officer, form: ["course": id, "scope": "employment", "employment_type": "dispatched"])
      #expect(made.status == .seeOther)
      let byOfficer = try #require(try await TrainingAssignment.query(in: tenant.organisationID, on: app.db).filter(\.$scope == .employment).first())
      #expect(byOfficer.$assignedBy.id == tenant.officer.id && byOfficer.employmentType == .dispatched)
      // Removing keeps the course; the form's CSRF token is required.
      #expect(try await app.send(.POST, "/training/assignments/\(byOfficer.id!.uuidString)/delete", as: officer, form: [:], csrf: false).status == .forbidden)
      #expect(try await app.send(.POST, "/training/assignments/\(byOfficer.id!.uuidString)/delete", as: officer, form: [:]).status == .seeOther)
      #expect(try await TrainingAssignment.find(byOfficer.id, on: app.db) == nil)
      #expect(try await actions(app, tenant.organisationID).last == "training.unassign")
    }
  }

  @Test("a member takes the quiz: a failed attempt shows the wrong answers and records nothing; a pass completes the course")
  func quiz() async throws {
    try await withApp { app, _ in
      let (tenant, course) = try await setUp(app)
      let content = try builtIn(app)
      let member = try await Fixture.signIn(tenant.member, on: app)
      let home = try await app.send(.GET, "/", as: member)
      #expect(home.text.contains("受講する教育"))
      #expect(home.text.contains("href=\"/training/courses/\(course.id!.uuidString.lowercased())\""))
      #expect(home.text.contains("受講待ち"))

      let page = try await app.send(.GET, "/training/courses/\(course.id!.uuidString)", as: member)
      #expect(page.status == .ok)
      #expect(page.text.contains("～技術に精通している従業員の引抜き～"))
      #expect(page.text.contains("資料からの引用") && page.text.contains("Mamori による説明（経済産業省の文言ではありません）"))
      #expect(page.text.contains("name=\"_csrf\""))
      // The person's training language decides the lessons' language.
      tenant.person.trainingLanguage = .en
      try await tenant.person.save(on: app.db)
      let english = try await app.send(.GET, "/training/courses/\(course.id!.uuidString)", as: member)
      #expect(english.text.contains("Poaching employees who know the technology well"))
      #expect(english.text.contains("<h1>Preventing technology outflow, the basics"))

      var answers = Dictionary(uniqueKeysWithValues: content.questions.map { ($0.id, $0.answer) })
      answers["q3"] = "a"
      answers["q7"] = "a"
      answers["q8"] = "b"
      let failed = try await app.send(.POST, "/training/courses/\(course.id!.uuidString)/quiz", as: member, form: answers)
      #expect(failed.status == .ok)
      #expect(failed.text.contains("Not passed yet"))
      #expect(failed.text.contains("7 of 10 answers right (70%). Pass mark: 80%."))
      #expect(failed.text.contains("Q3.") && failed.text.contains("Q7.") && failed.text.contains("Q8.") && !failed.text.contains("<strong>Q1.</strong>"))
      #expect(try await TrainingCompletion.query(in: tenant.organisationID, on: app.db).count() == 0)
      #expect(try await actions(app, tenant.organisationID).last == "training.quiz_failed")
      // Without the form's token nothing is scored.
      #expect(try await app.send(.POST, "/training/courses/\(course.id!.uuidString)/quiz", as: member, form: answers, csrf: false).status == .forbidden)

      answers["q3"] = "c"
      answers["q7"] = "b"
      let passed = try await app.send(.POST, "/training/courses/\(course.id!.uuidString)/quiz", as: member, form: answers)
      #expect(passed.text.contains("Passed. The course is recorded as completed."))
      let completion = try #require(try await TrainingCompletion.query(in: tenant.organisationID, on: app.db).first())
      #expect(completion.$person.id == tenant.person.id && completion.score == 90 && completion.isSelfRecorded)
      #expect(completion.$recordedBy.id == tenant.member.id)
      #expect(try await actions(app, tenant.organisationID).last == "training.complete")
      let after = try await app.send(.GET, "/", as: member)
      #expect(after.text.contains("修了"))
      #expect(!after.text.contains("受講待ち"))
    }
  }

  @Test("a completion is overdue a year and a day later, and training-overdue appears, high for a holder of a secret asset")
  func recurrence() async throws {
    let options = TestOptions()
    try await withApp(options) { app, options in
      let (tenant, course) = try await setUp(app)
      let today = Organisations.today(tenant.organisation, now: app.mamori.clock.now())
      _ = try await Training.recordCompletion(
        course: course, personID: tenant.person.id!, completedOn: today, score: nil, recordedBy: tenant.officer.id, selfRecorded: false,
        organisationID: tenant.organisationID, actor: .system, now: app.mamori.clock.now(), on: app.db)
      let asset = try await AssetRegister.saveAsset(
        AssetDraft(code: "S-1", name: "図面", location: "/s/", level: "secret"), ownerID: tenant.person.id, into: nil,
        organisationID: tenant.organisationID, actor: .system, now: app.mamori.clock.now(), on: app.db)
      _ = try await AssetRegister.grant(
        GrantDraft(grantedOn: today.iso), personID: tenant.person.id, to: asset, grantedBy: nil, organisationID: tenant.organisationID,
        today: today, actor: .system, now: app.mamori.clock.now(), on: app.db)
      func findings() async throws -> [Finding] {
        try await RegisterCommands.findings(organisationSlug: "acme", on: app).filter { $0.kind == .trainingOverdue }
      }
      #expect(try await findings().isEmpty)
      let due = today.adding(months: 12)
      options.clock.set(due.start(in: Organisations.defaultTimeZone).addingTimeInterval(12 * 3600))
      #expect(try await findings().isEmpty, "the due day itself is still in time")
      options.clock.advance(by: 86_400)
      let overdue = try await findings()
      #expect(overdue.count == 1)
      #expect(overdue.first?.severity == .high && overdue.first?.personID == tenant.person.loginName && overdue.first?.date == due)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let page = try await app.send(.GET, "/training?state=overdue", as: officer)
      #expect(page.text.contains("田中 健太") && page.text.contains("期限切れ"))
      let findingsPage = try await app.send(.GET, "/findings?kind=training-overdue", as: officer)
      #expect(findingsPage.text.contains("教育の期限切れ"))
    }
  }

  @Test("a member sees only their own to-dos and cannot open the officer's page; a member without a person is told why")
  func memberOwnToDos() async throws {
    try await withApp { app, _ in
      let (tenant, course) = try await setUp(app)
      let other = Person(
        organisationID: tenant.organisationID, departmentID: tenant.department.id, code: "E002", loginName: "suzuki", familyName: "鈴木",
        givenName: "花子", fullName: "鈴木 花子", email: nil, employmentType: .employee, jobTitle: "", hireDate: nil)
      try await other.create(on: app.db)
      let today = Organisations.today(tenant.organisation, now: app.mamori.clock.now())
      _ = try await Training.recordCompletion(
        course: course, personID: other.id!, completedOn: today, score: nil, recordedBy: nil, selfRecorded: false,
        organisationID: tenant.organisationID, actor: .system, now: app.mamori.clock.now(), on: app.db)
      let member = try await Fixture.signIn(tenant.member, on: app)
      let home = try await app.send(.GET, "/", as: member)
      #expect(home.text.contains("受講待ち"), "the member's own course is still to take")
      #expect(!home.text.contains("鈴木 花子") && !home.text.contains("修了"))
      #expect(try await app.send(.GET, "/training", as: member).status == .forbidden)
      #expect(!home.text.contains("href=\"/training\""))

      tenant.member.$person.id = nil
      try await tenant.member.save(on: app.db)
      let unlinked = try await app.send(.GET, "/", as: try await Fixture.signIn(tenant.member, on: app))
      #expect(unlinked.text.contains("人員名簿の人と結び付いていないため"))
      #expect(!unlinked.text.contains("受講する教育"))
      let officerHome = try await app.send(.GET, "/", as: try await Fixture.signIn(tenant.officer, on: app))
      #expect(officerHome.text.contains("href=\"/training\""))
    }
  }

  @Test("the officer's page filters by department and state, and counts completion per course")
  func officerPage() async throws {
    try await withApp { app, _ in
      let (tenant, course) = try await setUp(app)
      let elsewhere = Department(organisationID: tenant.organisationID, code: "sales", name: "営業部")
      try await elsewhere.create(on: app.db)
      let other = Person(
        organisationID: tenant.organisationID, departmentID: elsewhere.id, code: "E002", loginName: "suzuki", familyName: "鈴木",
        givenName: "花子", fullName: "鈴木 花子", email: nil, employmentType: .employee, jobTitle: "", hireDate: nil)
      try await other.create(on: app.db)
      let today = Organisations.today(tenant.organisation, now: app.mamori.clock.now())
      _ = try await Training.recordCompletion(
        course: course, personID: other.id!, completedOn: today, score: 100, recordedBy: nil, selfRecorded: true,
        organisationID: tenant.organisationID, actor: .system, now: app.mamori.clock.now(), on: app.db)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let all = try await app.send(.GET, "/training?state=all", as: officer)
      #expect(all.text.contains("田中 健太") && all.text.contains("鈴木 花子"))
      #expect(all.text.contains("<td>2</td><td>1</td><td>1</td><td>0</td><td>50%</td>"))
      let sales = try await app.send(.GET, "/training?state=all&department=\(elsewhere.id!.uuidString)", as: officer)
      #expect(sales.text.contains("鈴木 花子") && !sales.text.contains("田中 健太"))
      let toDo = try await app.send(.GET, "/training", as: officer)
      #expect(toDo.text.contains("田中 健太") && !toDo.text.contains("<a href=\"/people/\(other.id!.uuidString.lowercased())\">"))
      // Each person's page lists their courses.
      let personPage = try await app.send(.GET, "/people/\(other.id!.uuidString)", as: officer)
      #expect(personPage.text.contains("<h2 id=\"training-heading\">教育</h2>"))
      #expect(personPage.text.contains("badge training-done"))
    }
  }
}

@Suite("Training in the demo", .timeLimit(.minutes(5)))
struct TrainingDemoTests {
  @Test("the demo assigns the built-in course to everyone, most completed, some overdue; the member has it to take")
  func demo() async throws {
    try await withApp(TestOptions(configure: { $0.isDemo = true })) { app, _ in
      let logins = try await DemoSeeder.seed(on: app)
      let lines = try await TrainingCommands.list(organisationSlug: "aoba-seimitsu", on: app)
      let course = try #require(lines.first)
      #expect(lines.count == 1 && course.builtIn == "meti-technology-outflow-basics" && course.assignments.count == 1)
      #expect(course.covered >= 100 && course.done * 10 >= course.covered * 7, "\(course)")
      #expect(course.overdue >= 10 && course.due >= 1)
      let findings = try await RegisterCommands.findings(organisationSlug: "aoba-seimitsu", on: app).filter { $0.kind == .trainingOverdue }
      #expect(findings.count == course.overdue)
      #expect(Set(findings.map(\.severity)) == [.high, .medium])
      let overdue = try await TrainingCommands.overdue(organisationSlug: "aoba-seimitsu", on: app)
      let json = try #require(try JSONSerialization.jsonObject(with: Data(TrainingCommands.json(overdue).utf8)) as? [[String: Any]])
      #expect(json.count == course.overdue)
      #expect(Set(json.flatMap(\.keys)) == ["person_id", "name", "department", "course", "due_on"])
      #expect(TrainingCommands.table(overdue).hasSuffix("\(course.overdue) overdue\n"))

      let member = try #require(logins.first { $0.role == "member" })
      let user = try #require(try await User.query(on: app.db).filter(\.$email == member.email).first())
      let home = try await app.send(.GET, "/", as: try await Fixture.signIn(user, on: app))
      #expect(home.text.contains("受講する教育") && home.text.contains("受講待ち"))
    }
  }
}

@Suite("HTML snapshots of training", .timeLimit(.minutes(5)))
struct TrainingSnapshotTests {
  static let organisationID = UUID(uuidString: "00000000-0000-0000-0000-0000000000F0")!
  static let today = SnapshotTests.today

  func course() -> TrainingCourse {
    let course = TrainingCourse()
    course.id = UUID(uuidString: "00000000-0000-0000-0000-0000000000C5")
    course.$organisation.id = Self.organisationID
    course.catalogID = TrainingWebTests.courseID
    course.title = "技術流出対策の基礎（経済産業省の説明資料から）"
    course.details = ""
    course.dueDays = 30
    course.recurrenceMonths = 12
    return course
  }

  func person(_ id: Int, _ name: String, _ login: String, department: UUID?) -> Training.PersonRow {
    Training.PersonRow(
      id: UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", id))!, loginName: login, fullName: name,
      departmentID: department, employment: .employee, hireDate: nil, exitDate: nil)
  }

  func report() -> Training.Report {
    let design = UUID(uuidString: "00000000-0000-0000-0000-0000000000D1")!
    let course = course()
    let assignment = TrainingAssignment()
    assignment.id = UUID(uuidString: "00000000-0000-0000-0000-0000000000A5")
    assignment.$course.id = course.id!
    assignment.scope = .everyone
    assignment.assignedOn = CivilDate(iso: "2025-02-01")!
    let day = { (iso: String) in CivilDate(iso: iso)! }
    return Training.Report(
      courses: [course], assignments: [assignment],
      entries: [
        .init(person: person(11, "山田 誠", "yamada", department: design), course: course, status: .init(state: .overdue, dueOn: day("2026-02-20"), lastCompleted: day("2025-02-20"))),
        .init(person: person(12, "グエン・ヴァン・ミン", "nguyen", department: nil), course: course, status: .init(state: .overdue, dueOn: day("2025-03-03"), lastCompleted: nil)),
        .init(person: person(13, "中村 美咲", "nakamura", department: design), course: course, status: .init(state: .due, dueOn: day("2026-03-20"), lastCompleted: day("2025-03-20"))),
        .init(person: person(14, "佐藤 一郎", "sato", department: design), course: course, status: .init(state: .done, dueOn: day("2026-12-01"), lastCompleted: day("2025-12-01"))),
      ],
      departments: [design: "設計部"])
  }

  @Test("the officer's training page", arguments: Language.allCases)
  func overview(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let snapshots = SnapshotTests()
      let request = try snapshots.request(app, language: language, role: .officer)
      let view = TrainingOverview.view(
        report(), filter: TrainingOverview.Filter(query: request.query), builtIn: app.mamori.courses, today: Self.today, values: [:],
        errors: [:], req: request)
      let html = try await snapshots.render(
        app, "training", language: language, chrome: snapshots.chrome(request, title: request.t("training.title"), path: "/training"), body: view)
      try assertSnapshot(html, named: "training.\(language.rawValue).html")
    }
  }

  @Test("the course page after a failed attempt", arguments: Language.allCases)
  func coursePage(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let snapshots = SnapshotTests()
      let request = try snapshots.request(app, language: language, role: .member)
      let content = try #require(app.mamori.courses.first)
      let person = Person(
        organisationID: Self.organisationID, departmentID: nil, code: "E013", loginName: "nakamura", familyName: "中村", givenName: "美咲",
        fullName: "中村 美咲", email: nil, employmentType: .employee, jobTitle: "", hireDate: nil, trainingLanguage: language)
      let model = CoursePage.Model(
        course: course(), content: content, person: person,
        status: .init(state: .due, dueOn: CivilDate(iso: "2026-03-20"), lastCompleted: CivilDate(iso: "2025-03-20")), language: language)
      var answers = Dictionary(uniqueKeysWithValues: content.questions.map { ($0.id, $0.answer) })
      answers["q4"] = "b"
      answers["q6"] = nil
      answers["q9"] = "c"
      let view = CoursePage.view(model, answers: answers, result: content.score(answers), req: request)
      let html = try await snapshots.render(
        app, "training-course", language: language, chrome: snapshots.chrome(request, title: view.title, path: "/training/courses/x"), body: view)
      try assertSnapshot(html, named: "training-course.\(language.rawValue).html")
    }
  }

  @Test("a member's home page with their own to-dos", arguments: Language.allCases)
  func memberHome(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let snapshots = SnapshotTests()
      let request = try snapshots.request(app, language: language, role: .member)
      var model = Dashboard.Model(today: Self.today, organisationName: "あおば精密工業株式会社")
      let person = Person(
        organisationID: Self.organisationID, departmentID: nil, code: "E013", loginName: "nakamura", familyName: "中村", givenName: "美咲",
        fullName: "中村 美咲", email: nil, employmentType: .employee, jobTitle: "設計担当", hireDate: nil)
      model.ownPerson = person
      model.ownDepartment = "設計部"
      model.toDo.linked = true
      model.toDo.training = [report().entries[2]]
      model.toDo.reviews = (3, CivilDate(iso: "2026-03-01"))
      let view = Dashboard.view(model, user: request.currentUser!, req: request)
      let html = try await snapshots.render(
        app, "dashboard", language: language, chrome: snapshots.chrome(request, title: request.t("dashboard.title"), path: "/"), body: view)
      try assertSnapshot(html, named: "dashboard-member.\(language.rawValue).html")
    }
  }
}
