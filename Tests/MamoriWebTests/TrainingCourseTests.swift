import Fluent
import Foundation
import MamoriCore
import MamoriTestSupport
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

/// Courses of the organisation's own: created, edited and retired by an officer, completed by attendance
/// (recorded by an officer, removable) or by the member's own declaration when the course allows it,
/// and through `mamori training courses|complete`.
@Suite("Training: own courses and attendance", .timeLimit(.minutes(5)))
struct TrainingCourseTests {
  func actions(_ app: Application, _ organisationID: UUID) async throws -> [String] {
    try await AuditEntry.query(on: app.db).filter(\.$chain == AuditEvent.chain(organisationID)).sort(\.$seq).all().map(\.action)
  }

  func issues(_ body: () async throws -> Void) async throws -> [String] {
    do {
      try await body()
      return []
    } catch let failure as ValidationFailure {
      return failure.issues.map { "\($0.field):\($0.key)" }
    }
  }

  func secondPerson(_ tenant: TenantFixture, on app: Application, department: UUID? = nil) async throws -> Person {
    let other = Person(
      organisationID: tenant.organisationID, departmentID: department ?? tenant.department.id, code: "E002", loginName: "suzuki",
      familyName: "鈴木", givenName: "花子", fullName: "鈴木 花子", email: nil, employmentType: .employee, jobTitle: "", hireDate: nil)
    try await other.create(on: app.db)
    return other
  }

  @Test("the draft's rules: title required, limits, due window and recurrence in range, a real fixed day")
  func draftRules() {
    #expect(CourseDraft(title: "規程説明会").validate().isEmpty)
    let keys = CourseDraft(
      title: " ", titleEn: String(repeating: "a", count: 201), material: String(repeating: "x", count: 1001), dueDays: "0",
      dueOn: "2026-02-30", recurrenceMonths: "61"
    ).normalised.validate().map { "\($0.field):\($0.key)" }
    #expect(
      keys == [
        "title:validation.required", "title_en:validation.too_long", "material:validation.too_long", "due_days:validation.range",
        "due_on:validation.date", "recurrence_months:validation.range",
      ])
    #expect(CompletionMethod.of(score: 90, selfRecorded: true) == .quiz)
    #expect(CompletionMethod.of(score: nil, selfRecorded: true) == .declaration)
    #expect(CompletionMethod.of(score: nil, selfRecorded: false) == .attendance)
  }

  @Test("an officer creates, edits and retires an own course on the pages; assignments work as for the built-in one")
  func courseLifecycle() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let form = try await app.send(.GET, "/training/courses/new", as: officer)
      #expect(form.status == .ok)
      #expect(form.text.contains("name=\"title\"") && form.text.contains("maxlength=\"\(CourseDraft.titleRule.maximum)\""))
      #expect(form.text.contains("name=\"self_declaration\""))

      let refused = try await app.send(.POST, "/training/courses", as: officer, form: ["title": "", "due_days": "400"])
      #expect(refused.status == .unprocessableEntity)
      #expect(refused.text.contains("入力してください。") && refused.text.contains("1から365の範囲で入力してください。"))
      #expect(try await TrainingCourse.query(in: tenant.organisationID, on: app.db).count() == 0)

      let made = try await app.send(
        .POST, "/training/courses", as: officer,
        form: [
          "title": "情報管理規程の説明会", "title_en": "Briefing on our information rules", "description": "年に一度の説明会",
          "material": "https://intra.example.jp/rules.pdf", "due_days": "60", "recurrence_months": "12",
        ])
      #expect(made.status == .seeOther)
      let course = try #require(try await TrainingCourse.query(in: tenant.organisationID, on: app.db).first())
      #expect(course.isOwn && course.title == "情報管理規程の説明会" && course.titleEn == "Briefing on our information rules")
      #expect(course.dueDays == 60 && course.recurrenceMonths == 12 && !course.allowsSelfDeclaration && course.retiredOn == nil)
      #expect(made.headers.first(name: .location) == "/training/courses/\(course.id!.uuidString.lowercased())")
      #expect(try await actions(app, tenant.organisationID).last == "training.own_course_create")

      // The course page shows the material as a link; the member cannot declare it done.
      let page = try await app.send(.GET, "/training/courses/\(course.id!.uuidString)", as: officer)
      #expect(page.text.contains("<a href=\"https://intra.example.jp/rules.pdf\""))
      #expect(page.text.contains("href=\"/training/courses/\(course.id!.uuidString.lowercased())/attendance\""))

      // Assigning an own course is the built-in one's operation.
      let assigned = try await app.send(
        .POST, "/training/assignments", as: officer, form: ["course": course.id!.uuidString.lowercased(), "scope": "everyone"])
      #expect(assigned.status == .seeOther)
      let overview = try await app.send(.GET, "/training", as: officer)
      #expect(overview.text.contains("情報管理規程の説明会") && overview.text.contains("田中 健太"))

      // Editing keeps what is not changed; a built-in course has no form.
      let edited = try await app.send(
        .POST, "/training/courses/\(course.id!.uuidString)/edit", as: officer,
        form: ["title": "情報管理規程の説明会（2026年度）", "due_days": "30", "self_declaration": "on", "material": "総務部の書棚"])
      #expect(edited.status == .seeOther)
      let reloaded = try #require(try await TrainingCourse.find(course.id, on: app.db))
      #expect(reloaded.title == "情報管理規程の説明会（2026年度）" && reloaded.allowsSelfDeclaration && reloaded.recurrenceMonths == nil)
      #expect(try await actions(app, tenant.organisationID).last == "training.course_update")
      let plain = try await app.send(.GET, "/training/courses/\(course.id!.uuidString)", as: officer)
      #expect(plain.text.contains("教材の場所： 総務部の書棚") && !plain.text.contains("https://intra.example.jp"))

      // Retiring: nobody is covered any more, no new assignment; reinstating brings it back.
      #expect(try await app.send(.POST, "/training/courses/\(course.id!.uuidString)/retire", as: officer, form: ["retired": "1"], csrf: false).status == .forbidden)
      let retired = try await app.send(.POST, "/training/courses/\(course.id!.uuidString)/retire", as: officer, form: ["retired": "1"])
      #expect(retired.status == .seeOther)
      let afterRetire = try #require(try await TrainingCourse.find(course.id, on: app.db))
      #expect(afterRetire.retiredOn != nil)
      #expect(try await actions(app, tenant.organisationID).last == "training.course_retire")
      let today = Organisations.today(tenant.organisation, now: app.mamori.clock.now())
      let report = try await Training.report(organisationID: tenant.organisationID, today: today, on: app.db)
      #expect(report.entries.isEmpty)
      #expect(
        try await issues {
          _ = try await Training.assign(
            .init(course: course.id!.uuidString, scope: "employment", departmentID: "", employmentType: "employee", assignedOn: ""),
            builtIn: app.mamori.courses, organisationID: tenant.organisationID, assignedBy: nil, today: today, actor: .system,
            now: app.mamori.clock.now(), on: app.db)
        } == ["course:training.validation.retired"])
      let retiredPage = try await app.send(.GET, "/training", as: officer)
      #expect(retiredPage.text.contains("廃止"))
      _ = try await app.send(.POST, "/training/courses/\(course.id!.uuidString)/retire", as: officer, form: ["retired": "0"])
      #expect(try await TrainingCourse.find(course.id, on: app.db)?.retiredOn == nil)
      #expect(try await actions(app, tenant.organisationID).last == "training.course_reinstate")

      // The built-in course: no form.
      let builtIn = try await Training.assign(
        .init(course: Training.builtInPrefix + TrainingWebTests.courseID, scope: "everyone", departmentID: "", employmentType: "", assignedOn: ""),
        builtIn: app.mamori.courses, organisationID: tenant.organisationID, assignedBy: nil, today: today, actor: .system,
        now: app.mamori.clock.now(), on: app.db)
      #expect(try await app.send(.GET, "/training/courses/\(builtIn.$course.id.uuidString)/edit", as: officer).status == .notFound)

      // Members may not create or edit courses.
      let member = try await Fixture.signIn(tenant.member, on: app)
      #expect(try await app.send(.GET, "/training/courses/new", as: member).status == .forbidden)
      #expect(try await app.send(.POST, "/training/courses", as: member, form: ["title": "x", "due_days": "30"]).status == .forbidden)
      // A route with an id answers 404 to a role it refuses, so the record's existence is not told (AccessGuard).
      #expect(try await app.send(.GET, "/training/courses/\(course.id!.uuidString)/attendance", as: member).status == .notFound)
    }
  }

  @Test("attendance: many people at once, the day not in the future, nothing twice; a wrong completion removed, audited; overdue follows")
  func attendance() async throws {
    let options = TestOptions()
    try await withApp(options) { app, options in
      let tenant = try await Fixture.tenant("acme", on: app)
      let other = try await secondPerson(tenant, on: app)
      let today = Organisations.today(tenant.organisation, now: app.mamori.clock.now())
      let course = try await Training.saveCourse(
        CourseDraft(title: "取引先説明会", dueDays: "10"), into: nil, organisationID: tenant.organisationID, actor: .system,
        now: app.mamori.clock.now(), on: app.db)
      _ = try await Training.assign(
        .init(course: course.id!.uuidString, scope: "everyone", departmentID: "", employmentType: "", assignedOn: today.adding(days: -30).iso),
        builtIn: app.mamori.courses, organisationID: tenant.organisationID, assignedBy: nil, today: today, actor: .system,
        now: app.mamori.clock.now(), on: app.db)
      func overdue() async throws -> Set<String> {
        Set(try await RegisterCommands.findings(organisationSlug: "acme", on: app).filter { $0.kind == .trainingOverdue }.compactMap(\.personID))
      }
      #expect(try await overdue() == [tenant.person.loginName, "suzuki"])

      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let path = "/training/courses/\(course.id!.uuidString)/attendance"
      let page = try await app.send(.GET, path + "?department=\(tenant.department.id!.uuidString)", as: officer)
      #expect(page.status == .ok)
      #expect(page.text.contains("value=\"\(other.id!.uuidString.lowercased())\" checked"), "the department's members are ticked")

      // Refused: nobody chosen, a day in the future, a person of no organisation of ours.
      let nobody = try await app.send(.POST, path, as: officer, form: ["held_on": today.iso])
      #expect(nobody.status == .unprocessableEntity && nobody.text.contains("出席した人を一人以上選んでください。"))
      let future = try await app.send(.POST, path, as: officer, form: ["held_on": today.adding(days: 1).iso, "person_id[]": tenant.person.id!.uuidString])
      #expect(future.status == .unprocessableEntity && future.text.contains("実施日に未来の日付は指定できません。"))
      #expect(future.text.contains("value=\"\(tenant.person.id!.uuidString.lowercased())\" checked"), "the choice is kept")
      let stranger = try await app.send(.POST, path, as: officer, form: ["held_on": today.iso, "person_id[]": UUID().uuidString])
      #expect(stranger.status == .unprocessableEntity)
      #expect(try await TrainingCompletion.query(in: tenant.organisationID, on: app.db).count() == 0)

      // Two people in one post (the form's person_id[] repeated).
      let body = "_csrf=\(officer.csrf)&held_on=\(today.adding(days: -2).iso)&person_id%5B%5D=\(tenant.person.id!.uuidString)&person_id%5B%5D=\(other.id!.uuidString)"
      let recorded = try await app.sendRaw(.POST, path, as: officer, body: body)
      #expect(recorded.status == .seeOther)
      let completions = try await TrainingCompletion.query(in: tenant.organisationID, on: app.db).all()
      #expect(completions.count == 2)
      #expect(completions.allSatisfy { $0.method == .attendance && $0.$recordedBy.id == tenant.officer.id && $0.completedOn == today.adding(days: -2) })
      #expect(try await actions(app, tenant.organisationID).suffix(2) == ["training.complete", "training.complete"])
      #expect(try await overdue().isEmpty)
      // The same again records nothing twice.
      let again = try await app.sendRaw(.POST, path, as: officer, body: body)
      #expect(again.status == .seeOther)
      #expect(try await TrainingCompletion.query(in: tenant.organisationID, on: app.db).count() == 2)
      let listed = try await app.send(.GET, path, as: officer)
      #expect(listed.text.contains("出席（担当者が記録）") && listed.text.contains("2件"))

      // Removing a wrong one: audited with what it was, and the person is overdue again.
      let wrong = try #require(completions.first { $0.$person.id == other.id })
      #expect(try await app.send(.POST, "/training/completions/\(wrong.id!.uuidString)/delete", as: officer, form: [:], csrf: false).status == .forbidden)
      let removed = try await app.send(.POST, "/training/completions/\(wrong.id!.uuidString)/delete", as: officer, form: [:])
      #expect(removed.status == .seeOther)
      #expect(try await TrainingCompletion.find(wrong.id, on: app.db) == nil)
      let entry = try #require(try await AuditEntry.query(on: app.db).filter(\.$chain == AuditEvent.chain(tenant.organisationID)).sort(\.$seq, .descending).first())
      #expect(entry.action == "training.completion_delete" && entry.recordID == wrong.id!.uuidString.lowercased() && entry.before != nil)
      #expect(try await overdue() == ["suzuki"])
      // A member may not remove completions.
      let member = try await Fixture.signIn(tenant.member, on: app)
      let kept = try #require(completions.first { $0.$person.id == tenant.person.id })
      // A route with an id answers 404 to a role it refuses, so the record's existence is not told (AccessGuard).
      #expect(try await app.send(.POST, "/training/completions/\(kept.id!.uuidString)/delete", as: member, form: [:]).status == .notFound)
      _ = options
    }
  }

  @Test("a member declares an own course done only when the course allows it")
  func declaration() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      tenant.member.$person.id = tenant.person.id
      try await tenant.member.save(on: app.db)
      let today = Organisations.today(tenant.organisation, now: app.mamori.clock.now())
      let closed = try await Training.saveCourse(
        CourseDraft(title: "入門研修"), into: nil, organisationID: tenant.organisationID, actor: .system, now: app.mamori.clock.now(), on: app.db)
      let open = try await Training.saveCourse(
        CourseDraft(title: "動画で学ぶ情報管理", material: "https://videos.example.jp/1", selfDeclaration: true), into: nil,
        organisationID: tenant.organisationID, actor: .system, now: app.mamori.clock.now(), on: app.db)
      for course in [closed, open] {
        _ = try await Training.assign(
          .init(course: course.id!.uuidString, scope: "everyone", departmentID: "", employmentType: "", assignedOn: ""),
          builtIn: app.mamori.courses, organisationID: tenant.organisationID, assignedBy: nil, today: today, actor: .system,
          now: app.mamori.clock.now(), on: app.db)
      }
      let member = try await Fixture.signIn(tenant.member, on: app)
      let closedPage = try await app.send(.GET, "/training/courses/\(closed.id!.uuidString)", as: member)
      #expect(closedPage.text.contains("この教材の修了は、担当者が出席を記録します。"))
      #expect(!closedPage.text.contains("/done\"") && !closedPage.text.contains("/attendance\""))
      let refused = try await app.send(.POST, "/training/courses/\(closed.id!.uuidString)/done", as: member, form: [:])
      #expect(refused.status == .unprocessableEntity)
      #expect(refused.text.contains("この教材は本人による申告を認めていません。"))

      let openPage = try await app.send(.GET, "/training/courses/\(open.id!.uuidString)", as: member)
      #expect(openPage.text.contains("action=\"/training/courses/\(open.id!.uuidString.lowercased())/done\""))
      #expect(try await app.send(.POST, "/training/courses/\(open.id!.uuidString)/done", as: member, form: [:], csrf: false).status == .forbidden)
      let declared = try await app.send(.POST, "/training/courses/\(open.id!.uuidString)/done", as: member, form: [:])
      #expect(declared.status == .seeOther)
      let completion = try #require(try await TrainingCompletion.query(in: tenant.organisationID, on: app.db).first())
      #expect(completion.method == .declaration && completion.$person.id == tenant.person.id && completion.completedOn == today)
      #expect(try await TrainingCompletion.query(in: tenant.organisationID, on: app.db).count() == 1)
      let home = try await app.send(.GET, "/", as: member)
      #expect(home.text.contains("動画で学ぶ情報管理") && home.text.contains("入門研修"))
    }
  }

  @Test("mamori training courses|complete go through the same operation; bad input is misuse")
  func commands() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let other = try await secondPerson(tenant, on: app)
      let course = try await Training.saveCourse(
        CourseDraft(title: "取引先説明会", titleEn: "Supplier briefing", dueDays: "14", recurrenceMonths: "6"), into: nil,
        organisationID: tenant.organisationID, actor: .system, now: app.mamori.clock.now(), on: app.db)
      let courses = try await TrainingCommands.courses(organisationSlug: "acme", on: app)
      #expect(courses.count == 1 && courses[0].id == course.id!.uuidString.lowercased() && courses[0].builtIn == nil)
      let json = try #require(try JSONSerialization.jsonObject(with: Data(TrainingCommands.json(courses).utf8)) as? [[String: Any]])
      #expect(json.first?["title_en"] as? String == "Supplier briefing" && json.first?["recurrence_months"] as? Int == 6)
      #expect(TrainingCommands.table(courses).hasSuffix("1 course(s)\n"))

      let today = Organisations.today(tenant.organisation, now: app.mamori.clock.now())
      let made = try await TrainingCommands.complete(
        organisationSlug: "acme", course: course.id!.uuidString, loginNames: [tenant.person.loginName, "suzuki"], on: today.iso, app: app)
      #expect(made == 2)
      let entries = try await AuditEntry.query(on: app.db).filter(\.$chain == AuditEvent.chain(tenant.organisationID))
        .filter(\.$action == "training.complete").all()
      #expect(entries.count == 2 && entries.allSatisfy { $0.actor == "cli" })
      #expect(try await TrainingCommands.courses(organisationSlug: "acme", on: app).first?.completions == 2)
      do {
        _ = try await TrainingCommands.complete(
          organisationSlug: "acme", course: course.id!.uuidString, loginNames: ["nobody"], on: today.iso, app: app)
        Issue.record("an unknown login name was accepted")
      } catch TrainingCommands.CourseFailure.invalid(let problems) {
        #expect(problems == ["person: no person with login name nobody"])
      }
      do {
        _ = try await TrainingCommands.complete(
          organisationSlug: "acme", course: course.id!.uuidString, loginNames: ["suzuki"], on: "2026-13-01", app: app)
        Issue.record("a broken day was accepted")
      } catch TrainingCommands.CourseFailure.invalid(let problems) {
        #expect(problems.count == 1 && problems[0].hasPrefix("held_on: "))
      }
      // Another organisation's course is not found from this one.
      let elsewhere = try await Fixture.tenant("other", on: app)
      let foreign = try await Training.saveCourse(
        CourseDraft(title: "他社"), into: nil, organisationID: elsewhere.organisationID, actor: .system, now: app.mamori.clock.now(), on: app.db)
      do {
        _ = try await TrainingCommands.complete(organisationSlug: "acme", course: foreign.id!.uuidString, loginNames: ["suzuki"], on: today.iso, app: app)
        Issue.record("another organisation's course was used")
      } catch TrainingCommands.CourseFailure.invalid(let problems) {
        #expect(problems.first?.hasPrefix("course: ") == true)
      }
      _ = other
    }
  }
}

extension Application {
  /// A form body sent as is (for repeated keys such as `person_id[]`), as `browser`.
  func sendRaw(_ method: HTTPMethod, _ path: String, as browser: Browser, body: String) async throws -> TestingHTTPResponse {
    var result: TestingHTTPResponse?
    try await testing().test(
      method, path,
      beforeRequest: { request in
        request.headers.add(contentsOf: browser.headers)
        request.headers.contentType = .urlEncodedForm
        request.body = ByteBuffer(string: body)
      },
      afterResponse: { response in result = response })
    return result!
  }
}

@Suite("HTML snapshots of own courses and attendance", .timeLimit(.minutes(5)))
struct TrainingCourseSnapshotTests {
  static let organisationID = TrainingSnapshotTests.organisationID

  func ownCourse(retired: Bool = false) -> TrainingCourse {
    let course = TrainingCourse()
    course.id = UUID(uuidString: "00000000-0000-0000-0000-0000000000C6")
    course.$organisation.id = Self.organisationID
    course.title = "情報管理規程の説明会"
    course.titleEn = "Briefing on our information rules"
    course.details = "年に一度、全員が受ける社内規程の説明会です。"
    course.material = "https://intra.aoba.example/rules/2026.pdf"
    course.dueDays = 60
    course.recurrenceMonths = 12
    course.allowsSelfDeclaration = true
    course.retiredOn = retired ? CivilDate(iso: "2026-02-01") : nil
    return course
  }

  @Test("the form of an own course, with its errors and the retire button", arguments: Language.allCases)
  func form(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let snapshots = SnapshotTests()
      let request = try snapshots.request(app, language: language, role: .officer)
      var values = CourseFormPage.values(of: ownCourse())
      values["due_days"] = "400"
      let view = CourseFormPage.view(
        ownCourse(), values: values, errors: FieldErrors(["due_days": request.t("validation.range", ["min": "1", "max": "365"])]),
        req: request)
      let html = try await snapshots.render(
        app, "training-course-form", language: language,
        chrome: snapshots.chrome(request, title: request.t("training.edit_course_title", ["title": "情報管理規程の説明会"]), path: "/training/courses/x/edit"),
        body: view)
      try assertSnapshot(html, named: "training-course-form.\(language.rawValue).html")
    }
  }

  @Test("the attendance page with a department ticked and the course's completions", arguments: Language.allCases)
  func attendance(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let snapshots = SnapshotTests()
      let request = try snapshots.request(app, language: language, role: .officer)
      let design = UUID(uuidString: "00000000-0000-0000-0000-0000000000D1")!
      let sales = UUID(uuidString: "00000000-0000-0000-0000-0000000000D2")!
      func id(_ n: Int) -> UUID { UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", n))! }
      let people: [AttendancePage.Model.PersonRow] = [
        .init(id: id(11), fullName: "山田 誠", code: "E011", departmentID: design),
        .init(id: id(13), fullName: "中村 美咲", code: "E013", departmentID: design),
        .init(id: id(15), fullName: "高橋 翔", code: "E015", departmentID: sales),
      ]
      func completion(_ n: Int, person: Int, day: String, score: Int?, selfRecorded: Bool) -> TrainingCompletion {
        let completion = TrainingCompletion()
        completion.id = id(100 + n)
        completion.$organisation.id = Self.organisationID
        completion.$course.id = ownCourse().id!
        completion.$person.id = id(person)
        completion.$recordedBy.id = UUID(uuidString: "00000000-0000-0000-0000-000000000001")
        completion.completedOn = CivilDate(iso: day)!
        completion.score = score
        completion.isSelfRecorded = selfRecorded
        return completion
      }
      let model = AttendancePage.Model(
        course: ownCourse(), people: people, departments: [design: "設計部", sales: "営業部"],
        completions: [
          completion(1, person: 11, day: "2026-02-20", score: nil, selfRecorded: false),
          completion(2, person: 13, day: "2026-02-18", score: nil, selfRecorded: true),
        ], completionCount: 2, names: [id(11): "山田 誠", id(13): "中村 美咲"],
        recorders: [UUID(uuidString: "00000000-0000-0000-0000-000000000001")!: "中村 美咲"])
      let view = AttendancePage.view(
        model, departmentID: design, today: SnapshotTests.today, values: [:], chosen: [], errors: [:], req: request)
      let html = try await snapshots.render(
        app, "training-attendance", language: language,
        chrome: snapshots.chrome(request, title: request.t("training.attendance_title", ["title": view.title]), path: "/training/courses/x/attendance"),
        body: view)
      try assertSnapshot(html, named: "training-attendance.\(language.rawValue).html")
    }
  }

  @Test("an own course as a member sees it, with the material and the declaration button", arguments: Language.allCases)
  func coursePage(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let snapshots = SnapshotTests()
      let request = try snapshots.request(app, language: language, role: .member)
      let person = Person(
        organisationID: Self.organisationID, departmentID: nil, code: "E013", loginName: "nakamura", familyName: "中村", givenName: "美咲",
        fullName: "中村 美咲", email: nil, employmentType: .employee, jobTitle: "", hireDate: nil, trainingLanguage: language)
      let model = CoursePage.Model(
        course: ownCourse(), content: nil, person: person,
        status: .init(state: .due, dueOn: CivilDate(iso: "2026-03-20"), lastCompleted: nil), language: language)
      let view = CoursePage.view(model, req: request)
      let html = try await snapshots.render(
        app, "training-course", language: language, chrome: snapshots.chrome(request, title: view.title, path: "/training/courses/x"), body: view)
      try assertSnapshot(html, named: "training-course-own.\(language.rawValue).html")
    }
  }
}
