import Foundation
import Yams

/// A built-in training course (`Resources/Courses/*.yaml`, docs/register.md "Training"): lessons of
/// blocks whose provenance is stated (quoted from a source, or ours) and a quiz with a pass mark.
public struct Course: Sendable, Equatable {
  public struct Source: Sendable, Equatable {
    public var id: String
    public var publisher: String
    public var title: String
    public var date: String
  }

  /// A few paragraphs under an optional heading. A `verbatim` block quotes the Japanese of its source
  /// character for character (heading and paragraphs); its English is our translation.
  public struct Block: Sendable, Equatable {
    public var id: String
    public var provenance: Provenance
    public var source: String?
    public var heading: LocalizedText?
    public var paragraphs: [LocalizedText]
    public var line: Int
  }

  public struct Lesson: Sendable, Equatable {
    public var id: String
    public var title: LocalizedText
    public var blocks: [Block]
  }

  public struct Choice: Sendable, Equatable {
    public var id: String
    public var text: LocalizedText
  }

  public struct Question: Sendable, Equatable {
    public var id: String
    public var text: LocalizedText
    public var choices: [Choice]
    public var answer: String
    public var explanation: LocalizedText
  }

  public var id: String
  public var version: Int
  public var title: LocalizedText
  public var description: LocalizedText
  public var notice: LocalizedText
  public var sources: [Source]
  /// The default window from assignment to due date, and how often it is taken again.
  public var dueDays: Int
  public var recurrenceMonths: Int?
  public var lessons: [Lesson]
  public var questions: [Question]
  /// The share of right answers that passes, in percent.
  public var passPercent: Int

  /// Every verbatim Japanese text with the line of its block, for the check against the source.
  public var quotedTexts: [(line: Int, text: String)] {
    lessons.flatMap(\.blocks).filter { $0.provenance == .verbatim }.flatMap { block in
      ((block.heading.map { [$0.ja] } ?? []) + block.paragraphs.map(\.ja)).map { (block.line, $0) }
    }
  }
}

/// The result of one attempt at a course's quiz.
public struct QuizResult: Sendable, Equatable {
  public var correct: Int
  public var total: Int
  /// The ids of the questions answered wrongly or not at all, in the quiz's order.
  public var wrong: [String]
  public var passPercent: Int

  /// Right answers as a whole percentage, rounded down (9 of 11 is 81).
  public var score: Int { total == 0 ? 0 : correct * 100 / total }
  /// Compared in integers, so that exactly the pass mark passes.
  public var passed: Bool { total > 0 && correct * 100 >= passPercent * total }
}

extension Course {
  /// Scores `answers` (question id → choice id). An unanswered question or an unknown choice is wrong.
  public func score(_ answers: [String: String]) -> QuizResult {
    var wrong: [String] = []
    for question in questions where answers[question.id] != question.answer { wrong.append(question.id) }
    return QuizResult(correct: questions.count - wrong.count, total: questions.count, wrong: wrong, passPercent: passPercent)
  }
}

/// Reads and checks course files; every error is `FILE:LINE: reason`, and a course with an error is
/// never used (the server does not start).
public enum CourseLoader {
  public static func loadFolder(_ folder: URL) throws -> [Course] {
    guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
    let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
      .filter { $0.pathExtension == "yaml" || $0.pathExtension == "yml" }
      .sorted { $0.lastPathComponent < $1.lastPathComponent }
    var courses: [Course] = []
    for file in files {
      let text: String
      do { text = try String(contentsOf: file, encoding: .utf8) } catch {
        throw CatalogError(file: file.lastPathComponent, line: nil, reason: "cannot be read as UTF-8 text")
      }
      let course = try load(yaml: text, file: file.lastPathComponent)
      if courses.contains(where: { $0.id == course.id }) {
        throw CatalogError(file: file.lastPathComponent, line: nil, reason: "repeats the course id \(course.id)")
      }
      courses.append(course)
    }
    return courses
  }

  public static func load(yaml: String, file: String) throws -> Course {
    try YAMLGuard.check(yaml, file: file)
    let root: Node?
    do { root = try Yams.compose(yaml: yaml) } catch let error as YamlError {
      throw CatalogError(file: file, line: error.line, reason: "is not valid YAML (\(CatalogLoader.summary(error)))")
    }
    guard let root else { throw CatalogError(file: file, line: 1, reason: "is empty") }
    return try Reader(base: CatalogLoader.Reader(file: file)).course(root)
  }

  /// The verbatim texts of `course` that do not occur in `source` (the seed's text; the extraction's
  /// bold markers `**` are not METI's characters and are removed first), as `FILE:LINE: reason`.
  public static func unquoted(_ course: Course, file: String, source: String) -> [String] {
    let plain = source.replacingOccurrences(of: "**", with: "")
    return course.quotedTexts.filter { !plain.contains($0.text) }.map {
      "\(file):\($0.line): block is marked verbatim but 「\($0.text)」 does not occur in the source"
    }
  }

  struct Reader {
    let base: CatalogLoader.Reader

    func number(_ node: Node, _ context: String, _ range: ClosedRange<Int>) throws -> Int {
      let text = try base.string(node, context)
      guard let value = Int(text), range.contains(value) else {
        throw base.fail(node, "\(context) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
      }
      return value
    }

    func list(_ node: Node, _ context: String) throws -> [Node] {
      guard let list = node.sequence, !list.isEmpty else { throw base.fail(node, "\(context) must be a non-empty list") }
      return Array(list)
    }

    func course(_ root: Node) throws -> Course {
      let top = try base.mapping(
        root, "the course",
        required: ["id", "version", "title", "description", "notice", "sources", "due_days", "lessons", "quiz"],
        optional: ["recurrence_months"])
      let id = try base.identifier(top["id"]!.value, "id")
      let version = try number(top["version"]!.value, "version", 1...1_000_000)
      var sources: [Course.Source] = []
      for node in try list(top["sources"]!.value, "sources") {
        let fields = try base.mapping(node, "a source", required: ["id", "publisher", "title", "date"])
        let sourceID = try base.identifier(fields["id"]!.value, "source id")
        if sources.contains(where: { $0.id == sourceID }) { throw base.fail(node, "repeats the source id \(sourceID)") }
        sources.append(
          .init(
            id: sourceID, publisher: try base.string(fields["publisher"]!.value, "source \(sourceID).publisher"),
            title: try base.string(fields["title"]!.value, "source \(sourceID).title"),
            date: try base.string(fields["date"]!.value, "source \(sourceID).date")))
      }
      let sourceIDs = Set(sources.map(\.id))
      var blockIDs: Set<String> = []
      var lessons: [Course.Lesson] = []
      for node in try list(top["lessons"]!.value, "lessons") {
        let fields = try base.mapping(node, "a lesson", required: ["id", "title", "blocks"])
        let lessonID = try base.identifier(fields["id"]!.value, "lesson id")
        var blocks: [Course.Block] = []
        for blockNode in try list(fields["blocks"]!.value, "lesson \(lessonID).blocks") {
          let entries = try base.mapping(
            blockNode, "a block", required: ["id", "provenance", "paragraphs"], optional: ["source", "heading"])
          let blockID = try base.identifier(entries["id"]!.value, "block id")
          guard blockIDs.insert(blockID).inserted else { throw base.fail(entries["id"]!.value, "repeats the block id \(blockID)") }
          let (provenance, source) = try base.provenance(entries, "block \(blockID)", sources: sourceIDs)
          blocks.append(
            .init(
              id: blockID, provenance: provenance, source: source,
              heading: try entries["heading"].map { try base.localized($0.value, "block \(blockID).heading") },
              paragraphs: try list(entries["paragraphs"]!.value, "block \(blockID).paragraphs").map {
                try base.localized($0, "block \(blockID).paragraphs")
              }, line: blockNode.mark?.line ?? 0))
        }
        lessons.append(.init(id: lessonID, title: try base.localized(fields["title"]!.value, "lesson \(lessonID).title"), blocks: blocks))
      }
      let quiz = try base.mapping(top["quiz"]!.value, "quiz", required: ["pass_percent", "questions"])
      var questions: [Course.Question] = []
      for node in try list(quiz["questions"]!.value, "quiz.questions") {
        let fields = try base.mapping(node, "a question", required: ["id", "text", "choices", "answer", "explanation"])
        let questionID = try base.identifier(fields["id"]!.value, "question id")
        if questions.contains(where: { $0.id == questionID }) { throw base.fail(node, "repeats the question id \(questionID)") }
        var choices: [Course.Choice] = []
        for choiceNode in try list(fields["choices"]!.value, "question \(questionID).choices") {
          let entries = try base.mapping(choiceNode, "a choice", required: ["id", "text"])
          let choiceID = try base.identifier(entries["id"]!.value, "choice id")
          if choices.contains(where: { $0.id == choiceID }) { throw base.fail(choiceNode, "repeats the choice \(choiceID)") }
          choices.append(.init(id: choiceID, text: try base.localized(entries["text"]!.value, "choice \(choiceID).text")))
        }
        guard choices.count >= 2 else { throw base.fail(fields["choices"]!.value, "question \(questionID) needs at least 2 choices") }
        let answer = try base.string(fields["answer"]!.value, "question \(questionID).answer")
        guard choices.contains(where: { $0.id == answer }) else {
          throw base.fail(fields["answer"]!.value, "question \(questionID).answer \"\(answer)\" is not one of its choices")
        }
        questions.append(
          .init(
            id: questionID, text: try base.localized(fields["text"]!.value, "question \(questionID).text"), choices: choices,
            answer: answer, explanation: try base.localized(fields["explanation"]!.value, "question \(questionID).explanation")))
      }
      return Course(
        id: id, version: version, title: try base.localized(top["title"]!.value, "title"),
        description: try base.localized(top["description"]!.value, "description"),
        notice: try base.localized(top["notice"]!.value, "notice"), sources: sources,
        dueDays: try number(top["due_days"]!.value, "due_days", TrainingRules.dueDaysRange),
        recurrenceMonths: try top["recurrence_months"].map {
          try number($0.value, "recurrence_months", TrainingRules.recurrenceMonthsRange)
        }, lessons: lessons, questions: questions, passPercent: try number(quiz["pass_percent"]!.value, "quiz.pass_percent", 1...100))
    }
  }
}
