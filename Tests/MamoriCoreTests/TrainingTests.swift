import Foundation
import Testing

@testable import MamoriCore

@Suite("Training: the built-in course, its quiz and due dates", .timeLimit(.minutes(5)))
struct TrainingTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let courses = root.appendingPathComponent("Resources/Courses")
  /// The seed briefing, beside the repository as in CI (`../shared/seed`), or where MAMORI_SEED says.
  static let seed: URL = ProcessInfo.processInfo.environment["MAMORI_SEED"].map { URL(fileURLWithPath: $0) }
    ?? root.deletingLastPathComponent().appendingPathComponent("shared/seed/000_8b8a4fc2e5e1f99c.txt")

  static func builtIn() throws -> Course {
    try #require(try CourseLoader.loadFolder(courses).first { $0.id == "meti-technology-outflow-basics" })
  }

  @Test("the built-in course loads: three lessons, the six approaches, three leakage examples, Cases 1–4, ten questions")
  func builtInLoads() throws {
    let course = try Self.builtIn()
    #expect(course.lessons.map(\.id) == ["approaches", "leaks", "cases"])
    let headings = course.lessons.flatMap(\.blocks).compactMap(\.heading?.ja)
    for approach in ["人材リクルート", "投資・買収・合併", "不審なアプローチ", "共同研究・事業", "経歴偽装による在籍", "サイバー攻撃"] {
      #expect(headings.contains(approach), "\(approach)")
    }
    #expect(headings.filter { $0.hasPrefix("【事例") }.count == 3)
    #expect(headings.filter { $0.hasPrefix("Case ") }.count == 4)
    #expect(headings.filter { $0 == "本事案からの学びの点" }.count == 4)
    #expect(course.questions.count == 10)
    #expect(course.passPercent == 80)
    #expect(course.dueDays == 30 && course.recurrenceMonths == 12)
    // Our wording is marked as ours, and the notice says the course is not METI's.
    #expect(course.lessons.flatMap(\.blocks).contains { $0.provenance == .ours })
    #expect(course.notice.ja.contains("経済産業省の公式教材ではありません"))
    #expect(course.notice.en.contains("not official METI material"))
    #expect(course.sources.first?.title == "経済安全保障の観点からの技術流出対策について")
  }

  @Test("every verbatim text of the course occurs character for character in the seed")
  func verbatimMatchesTheSeed() throws {
    let course = try Self.builtIn()
    let seed = try String(contentsOf: Self.seed, encoding: .utf8)
    #expect(course.quotedTexts.count >= 45)
    #expect(CourseLoader.unquoted(course, file: "course.yaml", source: seed) == [])
    // A changed character is caught, with the file and line of its block.
    var altered = course
    altered.lessons[0].blocks[2].paragraphs[0].ja = "～技術に精通した従業員の引抜き～"
    let problems = CourseLoader.unquoted(altered, file: "course.yaml", source: seed)
    #expect(problems.count == 1)
    #expect(problems.first?.hasPrefix("course.yaml:\(course.lessons[0].blocks[2].line): block is marked verbatim") == true)
  }

  @Test("a broken course file is refused with FILE:LINE: reason", arguments: [
    ("      answer: c\n      explanation:\n        ja: 6つの", "      answer: z\n      explanation:\n        ja: 6つの", "question q1.answer \"z\" is not one of its choices"),
    ("        provenance: verbatim\n        source: meti-briefing-2025\n        heading: {ja: 人材", "        provenance: verbatim\n        heading: {ja: 人材", "block recruit is verbatim, so it must name its source"),
    ("due_days: \"30\"", "due_days: \"0\"", "due_days must be a whole number from 1 to 365"),
    ("recurrence_months: \"12\"", "recurrence_months: \"12\"\ncolour: red", "unknown key \"colour\""),
  ])
  func brokenFilesAreRefused(original: String, replacement: String, reason: String) throws {
    let text = try String(contentsOf: Self.courses.appendingPathComponent("meti-technology-outflow-basics.yaml"), encoding: .utf8)
    #expect(text.contains(original))
    let broken = text.replacingOccurrences(of: original, with: replacement)
    do {
      _ = try CourseLoader.load(yaml: broken, file: "course.yaml")
      Issue.record("loaded a broken course")
    } catch let error as CatalogError {
      #expect(error.file == "course.yaml")
      #expect(error.line != nil)
      #expect(error.reason.contains(reason), "\(error)")
    }
  }

  @Test("the quiz scores answers: all right, exactly the pass mark, below it, unknown choices and gaps are wrong")
  func quizScoring() throws {
    let course = try Self.builtIn()
    var answers = Dictionary(uniqueKeysWithValues: course.questions.map { ($0.id, $0.answer) })
    let perfect = course.score(answers)
    #expect(perfect == QuizResult(correct: 10, total: 10, wrong: [], passPercent: 80))
    #expect(perfect.passed && perfect.score == 100)

    answers["q2"] = "a"
    answers["q9"] = nil
    let eight = course.score(answers)
    #expect(eight.correct == 8 && eight.wrong == ["q2", "q9"] && eight.score == 80)
    #expect(eight.passed, "exactly the pass mark passes")

    answers["q5"] = "no-such-choice"
    let seven = course.score(answers)
    #expect(seven.wrong == ["q2", "q5", "q9"])
    #expect(!seven.passed && seven.score == 70)
    #expect(!course.score([:]).passed)
  }

  static func day(_ iso: String) -> CivilDate { CivilDate(iso: iso)! }

  @Test("due dates: the window from assignment or hire, a fixed due day, overdue from the day after")
  func dueDates() {
    let terms = TrainingSchedule.Terms(dueDays: 30)
    let everyone = [TrainingSchedule.Assignment(scope: .everyone, assignedOn: Self.day("2026-04-01"))]
    let person = TrainingSchedule.Person(employment: .employee, hireDate: Self.day("2020-04-01"))
    let onDueDay = TrainingSchedule.status(terms: terms, assignments: everyone, person: person, lastCompleted: nil, today: Self.day("2026-05-01"))
    #expect(onDueDay == TrainingStatus(state: .due, dueOn: Self.day("2026-05-01"), lastCompleted: nil))
    let dayAfter = TrainingSchedule.status(terms: terms, assignments: everyone, person: person, lastCompleted: nil, today: Self.day("2026-05-02"))
    #expect(dayAfter?.state == .overdue)
    // Someone hired after the assignment gets the window from the hire date.
    let newcomer = TrainingSchedule.Person(employment: .employee, hireDate: Self.day("2026-06-10"))
    #expect(
      TrainingSchedule.status(terms: terms, assignments: everyone, person: newcomer, lastCompleted: nil, today: Self.day("2026-06-10"))?.dueOn
        == Self.day("2026-07-10"))
    // A fixed due day for those assigned before it; the window for those who start after it.
    let fixed = TrainingSchedule.Terms(dueDays: 30, dueOn: Self.day("2026-06-30"))
    #expect(
      TrainingSchedule.status(terms: fixed, assignments: everyone, person: person, lastCompleted: nil, today: Self.day("2026-05-02"))?.dueOn
        == Self.day("2026-06-30"))
    #expect(
      TrainingSchedule.status(terms: fixed, assignments: everyone, person: newcomer, lastCompleted: nil, today: Self.day("2026-07-01"))?.dueOn
        == Self.day("2026-06-30"))
    let late = TrainingSchedule.Person(employment: .employee, hireDate: Self.day("2026-07-05"))
    #expect(
      TrainingSchedule.status(terms: fixed, assignments: everyone, person: late, lastCompleted: nil, today: Self.day("2026-07-05"))?.dueOn
        == Self.day("2026-08-04"))
    // Completed without recurrence: done for good.
    #expect(
      TrainingSchedule.status(terms: terms, assignments: everyone, person: person, lastCompleted: Self.day("2026-04-10"), today: Self.day("2030-01-01"))
        == TrainingStatus(state: .done, dueOn: nil, lastCompleted: Self.day("2026-04-10")))
    // Past the last working day, nobody is trained any more.
    let leaver = TrainingSchedule.Person(employment: .employee, lastWorkingDay: Self.day("2026-04-30"))
    #expect(TrainingSchedule.status(terms: terms, assignments: everyone, person: leaver, lastCompleted: nil, today: Self.day("2026-05-10")) == nil)
  }

  @Test("a yearly course is done, due again from 30 days before, and overdue a year and a day after the completion")
  func recurrence() {
    let terms = TrainingSchedule.Terms(dueDays: 30, recurrenceMonths: 12)
    let everyone = [TrainingSchedule.Assignment(scope: .everyone, assignedOn: Self.day("2026-01-05"))]
    let person = TrainingSchedule.Person(employment: .employee)
    func state(_ today: String) -> TrainingStatus? {
      TrainingSchedule.status(terms: terms, assignments: everyone, person: person, lastCompleted: Self.day("2026-02-10"), today: Self.day(today))
    }
    #expect(state("2026-06-01") == TrainingStatus(state: .done, dueOn: Self.day("2027-02-10"), lastCompleted: Self.day("2026-02-10")))
    #expect(state("2027-01-10")?.state == .done)
    #expect(state("2027-01-11")?.state == .due)
    #expect(state("2027-02-10")?.state == .due)
    #expect(state("2027-02-11")?.state == .overdue)
  }

  @Test("assignments cover everyone, one department or one employment type")
  func scopes() {
    let design = UUID()
    let terms = TrainingSchedule.Terms(dueDays: 30)
    let person = TrainingSchedule.Person(departmentID: design, employment: .dispatched)
    let today = Self.day("2026-05-01")
    func covered(_ assignment: TrainingSchedule.Assignment) -> Bool {
      TrainingSchedule.status(terms: terms, assignments: [assignment], person: person, lastCompleted: nil, today: today) != nil
    }
    #expect(covered(.init(scope: .department, departmentID: design, assignedOn: today)))
    #expect(!covered(.init(scope: .department, departmentID: UUID(), assignedOn: today)))
    #expect(covered(.init(scope: .employment, employment: .dispatched, assignedOn: today)))
    #expect(!covered(.init(scope: .employment, employment: .employee, assignedOn: today)))
    #expect(!covered(.init(scope: .department, departmentID: nil, assignedOn: today)))
  }

  @Test("adding months keeps the day, or takes the month's last day")
  func addingMonths() {
    #expect(Self.day("2026-01-31").adding(months: 1) == Self.day("2026-02-28"))
    #expect(Self.day("2027-02-28").adding(months: 12) == Self.day("2028-02-28"))
    #expect(Self.day("2028-02-29").adding(months: 12) == Self.day("2029-02-28"))
    #expect(Self.day("2026-11-30").adding(months: 3) == Self.day("2027-02-28"))
  }

  @Test("training-overdue: medium, high for a person holding a valid grant to a secret asset")
  func finding() {
    let today = Self.day("2026-05-01")
    let findings = Findings.compute(
      people: [
        .init(loginName: "sato", employment: .employee), .init(loginName: "ito", employment: .dispatched),
        .init(loginName: "kato", employment: .employee),
      ],
      assets: [.init(code: "S-1", level: .secret, owner: "sato"), .init(code: "C-1", level: .confidential, owner: "sato")],
      grants: [
        .init(loginName: "ito", assetCode: "S-1"), .init(loginName: "sato", assetCode: "C-1"),
        .init(loginName: "kato", assetCode: "S-1", expiresOn: Self.day("2026-04-01")),
      ],
      today: today,
      trainingOverdue: [
        .init(loginName: "sato", course: "基礎", dueOn: Self.day("2026-04-30")),
        .init(loginName: "ito", course: "基礎", dueOn: Self.day("2026-04-01")),
        .init(loginName: "kato", course: "基礎", dueOn: Self.day("2026-04-01")),
      ]
    ).filter { $0.kind == .trainingOverdue }
    #expect(findings.map(\.personID) == ["ito", "kato", "sato"])
    #expect(findings.map(\.severity) == [.high, .medium, .medium])
    #expect(findings.first?.detail == "course 基礎 was due on 2026-04-01")
    #expect(FindingsWriter.json([findings[0]]).contains("\"kind\":\"training-overdue\",\"severity\":\"high\",\"person_id\":\"ito\",\"asset_id\":null"))
  }
}
