import Foundation

/// A course of the organisation's own (a classroom session on its rules, a supplier briefing) as typed
/// into the course form, before it is saved. Own courses have no quiz: they are completed by an
/// officer recording attendance, or by the member declaring it when the course allows that.
public struct CourseDraft: Sendable, Equatable {
  public static let titleRule = TextRule(field: "title", maximum: 200)
  public static let titleEnRule = TextRule(field: "title_en", maximum: 200, required: false)
  public static let descriptionRule = TextRule(field: "description", maximum: 2000, required: false)
  /// Where the material is: a URL, or a few lines saying where (a binder in the meeting room).
  public static let materialRule = TextRule(field: "material", maximum: 1000, required: false)

  public var title: String
  public var titleEn: String
  public var description: String
  public var material: String
  public var dueDays: String
  public var dueOn: String
  public var recurrenceMonths: String
  public var selfDeclaration: Bool

  public init(
    title: String = "", titleEn: String = "", description: String = "", material: String = "", dueDays: String = "30",
    dueOn: String = "", recurrenceMonths: String = "", selfDeclaration: Bool = false
  ) {
    self.title = title
    self.titleEn = titleEn
    self.description = description
    self.material = material
    self.dueDays = dueDays
    self.dueOn = dueOn
    self.recurrenceMonths = recurrenceMonths
    self.selfDeclaration = selfDeclaration
  }

  public var normalised: CourseDraft {
    func trim(_ text: String) -> String { text.trimmingWhitespace() }
    return CourseDraft(
      title: trim(title), titleEn: trim(titleEn), description: trim(description), material: trim(material), dueDays: trim(dueDays),
      dueOn: trim(dueOn), recurrenceMonths: trim(recurrenceMonths), selfDeclaration: selfDeclaration)
  }

  /// Every rule the draft breaks: the texts within their limits, the due window and the recurrence in
  /// the built-in course's ranges, a fixed due day that is a real day.
  public func validate() -> [ValidationIssue] {
    var issues = [Self.titleRule.check(title), Self.titleEnRule.check(titleEn), Self.descriptionRule.check(description),
      Self.materialRule.check(material)].compactMap { $0 }
    if dueDaysValue == nil {
      issues.append(
        ValidationIssue(
          field: "due_days", key: "validation.range",
          arguments: ["min": "\(TrainingRules.dueDaysRange.lowerBound)", "max": "\(TrainingRules.dueDaysRange.upperBound)"]))
    }
    if !dueOn.isEmpty, CivilDate(iso: dueOn) == nil { issues.append(ValidationIssue(field: "due_on", key: "validation.date")) }
    if !recurrenceMonths.isEmpty, recurrenceValue == nil {
      issues.append(
        ValidationIssue(
          field: "recurrence_months", key: "validation.range",
          arguments: [
            "min": "\(TrainingRules.recurrenceMonthsRange.lowerBound)", "max": "\(TrainingRules.recurrenceMonthsRange.upperBound)",
          ]))
    }
    return issues
  }

  public var dueDaysValue: Int? { Int(dueDays).flatMap { TrainingRules.dueDaysRange.contains($0) ? $0 : nil } }
  public var dueDay: CivilDate? { dueOn.isEmpty ? nil : CivilDate(iso: dueOn) }
  public var recurrenceValue: Int? {
    Int(recurrenceMonths).flatMap { TrainingRules.recurrenceMonthsRange.contains($0) ? $0 : nil }
  }
}

/// How a completion came about. Derived from the record (a quiz leaves its score; a declaration is
/// recorded by the person themselves), so the completions written before this existed read the same.
public enum CompletionMethod: String, Sendable, Codable, CaseIterable {
  /// The built-in course's quiz, passed.
  case quiz
  /// Recorded by an officer: the person attended the session.
  case attendance
  /// The person declared it done, on a course that allows that.
  case declaration

  public static func of(score: Int?, selfRecorded: Bool) -> CompletionMethod {
    if score != nil { return .quiz }
    return selfRecorded ? .declaration : .attendance
  }

  public var labelKey: String { "training.method.\(rawValue)" }
}
