import Fluent
import Foundation
import MamoriCore
import Vapor

/// A course as a member takes it: the lessons in the person's training language (the interface's when
/// the account has no person), the quiz as a form, and after an attempt the result with the questions
/// answered wrongly.
enum CoursePage {
  struct Model {
    var course: TrainingCourse
    var content: Course?
    var person: Person?
    var status: TrainingStatus?
    var language: Language
  }

  static func load(_ req: Request, course: TrainingCourse) async throws -> Model {
    let tenant = try await req.tenant()
    let user = try req.requireUser()
    var person: Person?
    if let personID = user.personID {
      person = try await Person.query(in: tenant.organisationID, on: req.db).filter(\.$id == personID).first()
    }
    var status: TrainingStatus?
    if let personID = person?.id {
      let report = try await Training.report(organisationID: tenant.organisationID, today: tenant.today, personID: personID, on: req.db)
      status = report.entries.first { $0.course.id == course.id }?.status
    }
    // A reader may switch the lessons' language; otherwise the person's training language.
    let chosen = req.query[String.self, at: "lang"].flatMap(Language.init(rawValue:))
    return Model(
      course: course, content: course.catalogID.flatMap { id in req.mamori.courses.first { $0.id == id } }, person: person,
      status: status, language: chosen ?? person?.trainingLanguage ?? req.language)
  }

  struct View: Encodable, Sendable {
    struct Block: Encodable, Sendable {
      var heading: String?
      var paragraphs: [String]
      var quoted: Bool
      var provenance: String
    }

    struct Lesson: Encodable, Sendable {
      var id: String
      var title: String
      var blocks: [Block]
    }

    struct Choice: Encodable, Sendable {
      var id: String
      var inputID: String
      var text: String
      var checked: Bool
    }

    struct Question: Encodable, Sendable {
      var id: String
      var number: String
      var text: String
      var choices: [Choice]
    }

    /// The course's own labels, in the lessons' language (which may differ from the interface's).
    struct Labels: Encodable, Sendable {
      var quizHeading: String
      var submit: String
      var mistakesHeading: String
      var yourAnswer: String
      var correctAnswer: String
      var source: String
      var noPerson: String
    }

    struct Mistake: Encodable, Sendable {
      var number: String
      var question: String
      var chosen: String
      var correct: String
      var explanation: String
    }

    struct Result: Encodable, Sendable {
      var passed: Bool
      var headline: String
      var detail: String
      var mistakes: [Mistake]?
    }

    var title: String
    var lang: String
    var description: String?
    var notice: String?
    var source: String?
    var status: String?
    var statusCode: String?
    var otherLanguageHref: String?
    var otherLanguageLabel: String?
    var lessons: [Lesson]?
    var questions: [Question]?
    var quizLead: String?
    var quizAction: String
    var canSubmit: Bool
    var result: Result?
    var backHref: String?
    var labels: Labels
    /// An own course: where its material is (a link when it is a web address, else the text).
    var materialHref: String?
    var materialText: String?
    /// An own course a member may mark done: the button's form; else why the officer records it.
    var declareAction: String?
    var declareNote: String?
    var declareError: String?
    var retiredNote: String?
    /// For officers: the own course's form and the attendance page of any course.
    var editHref: String?
    var attendanceHref: String?
  }

  static func view(_ model: Model, answers: [String: String] = [:], result: QuizResult? = nil, req: Request) -> View {
    let language = model.language
    let content = model.content
    // Everything inside the course is said in the lessons' language.
    func c(_ key: String, _ arguments: [String: String] = [:]) -> String { req.mamori.catalog.text(key, language, arguments) }
    func day(_ date: CivilDate?) -> String { date.map { DateDisplay.date($0, language) } ?? "—" }
    var status: String?
    if let state = model.status {
      switch state.state {
      case .done:
        status = c("training.my_done", ["date": day(state.lastCompleted)])
      case .due, .overdue:
        status = c(state.state == .due ? "training.my_due" : "training.my_overdue", ["date": day(state.dueOn)])
      }
    }
    let other: Language = language == .ja ? .en : .ja
    let lessons = content?.lessons.map { lesson in
      View.Lesson(
        id: lesson.id, title: lesson.title.text(language),
        blocks: lesson.blocks.map { block in
          let quoted = block.provenance == .verbatim
          return View.Block(
            heading: block.heading?.text(language), paragraphs: block.paragraphs.map { $0.text(language) }, quoted: quoted,
            provenance: quoted
              ? c(language == .ja ? "training.quoted" : "training.quoted_translated")
              : c("training.ours"))
        })
    }
    let questions = content?.questions.enumerated().map { index, question in
      View.Question(
        id: question.id, number: c("training.question_number", ["number": "\(index + 1)"]), text: question.text.text(language),
        choices: question.choices.map { choice in
          View.Choice(
            id: choice.id, inputID: "\(question.id)-\(choice.id)", text: choice.text.text(language),
            checked: answers[question.id] == choice.id)
        })
    }
    var resultView: View.Result?
    if let result, let content {
      let mistakes = content.questions.enumerated().filter { result.wrong.contains($0.element.id) }.map { index, question in
        View.Mistake(
          number: c("training.question_number", ["number": "\(index + 1)"]), question: question.text.text(language),
          chosen: answers[question.id].flatMap { id in question.choices.first { $0.id == id }?.text.text(language) }
            ?? c("training.unanswered"),
          correct: question.choices.first { $0.id == question.answer }?.text.text(language) ?? "",
          explanation: question.explanation.text(language))
      }
      resultView = View.Result(
        passed: result.passed, headline: c(result.passed ? "training.passed" : "training.failed"),
        detail: c(
          "training.result_detail",
          ["correct": "\(result.correct)", "total": "\(result.total)", "score": "\(result.score)", "pass": "\(result.passPercent)"]),
        mistakes: mistakes.nonEmpty)
    }
    let source = content?.sources.first.map { "\($0.publisher)「\($0.title)」\($0.date)" }
    let course = model.course
    let material = course.material.trimmingCharacters(in: .whitespacesAndNewlines)
    let isWebAddress = (material.hasPrefix("https://") || material.hasPrefix("http://")) && !material.contains(where: \.isWhitespace)
    let officer = Policy.can(req.currentUser?.principal, .manageRegister)
    let canDeclare = course.isOwn && course.allowsSelfDeclaration && !course.isRetired && model.person != nil
      && model.status?.state != .done
    var declareNote: String?
    if course.isOwn, !course.isRetired, model.status?.state != .done {
      if !course.allowsSelfDeclaration {
        declareNote = c("training.declare_officer")
      } else if model.person == nil {
        declareNote = c("training.no_person")
      }
    }
    return View(
      title: content?.title.text(language) ?? course.ownTitle(language), lang: language.rawValue,
      description: content?.description.text(language) ?? (model.course.details.isEmpty ? nil : model.course.details),
      notice: content?.notice.text(language), source: source, status: status, statusCode: model.status?.state.rawValue,
      otherLanguageHref: content == nil ? nil : SiteRoute.trainingCourse(model.course.id).path(query: [("lang", other.rawValue)]),
      otherLanguageLabel: content == nil ? nil : c("training.read_in_\(other.rawValue)"),
      lessons: lessons?.nonEmpty, questions: questions?.nonEmpty,
      quizLead: content.map { c("training.quiz_lead", ["count": "\($0.questions.count)", "pass": "\($0.passPercent)"]) },
      quizAction: SiteRoute.trainingQuiz(model.course.id).path + (req.query[String.self, at: "lang"].flatMap(Language.init(rawValue:)).map { "?lang=\($0.rawValue)" } ?? ""),
      canSubmit: model.person != nil, result: resultView,
      backHref: Policy.can(req.currentUser?.principal, .manageRegister) ? SiteRoute.training.path : SiteRoute.dashboard.path,
      labels: View.Labels(
        quizHeading: c("training.quiz_heading"), submit: c("training.submit"), mistakesHeading: c("training.mistakes_heading"),
        yourAnswer: c("training.your_answer"), correctAnswer: c("training.correct_answer"), source: c("training.source"),
        noPerson: c("training.no_person")),
      materialHref: course.isOwn && isWebAddress ? material : nil,
      materialText: course.isOwn && !isWebAddress && !material.isEmpty ? material : nil,
      declareAction: canDeclare ? SiteRoute.trainingCourseDone(course.id).path : nil, declareNote: declareNote,
      retiredNote: course.retiredOn.map { c("training.retired_on", ["date": day($0)]) },
      editHref: officer && course.isOwn ? SiteRoute.trainingCourseEdit(course.id).path : nil,
      attendanceHref: officer ? SiteRoute.trainingAttendance(course.id).path : nil)
  }
}
