import Foundation

/// A person's record as typed into a form or sent to the API, before it is saved: raw text in, issues
/// out. Uniqueness of the staff number and login name is checked by the caller, which knows the register.
public struct PersonDraft: Sendable, Equatable {
  public var code: String
  public var loginName: String
  public var familyName: String
  public var givenName: String
  public var fullName: String
  public var email: String
  public var employmentType: String
  public var jobTitle: String
  public var hireDate: String
  public var noticeDate: String
  /// The last working day (最終出社日).
  public var exitDate: String
  /// The leaving date (退職日).
  public var leavingDate: String
  public var trainingLanguage: String
  public var isKeyPerson: Bool
  public var notes: String

  public init(
    code: String = "", loginName: String = "", familyName: String = "", givenName: String = "", fullName: String = "",
    email: String = "", employmentType: String = EmploymentType.employee.rawValue, jobTitle: String = "",
    hireDate: String = "", noticeDate: String = "", exitDate: String = "", leavingDate: String = "",
    trainingLanguage: String = Language.ja.rawValue, isKeyPerson: Bool = false, notes: String = ""
  ) {
    self.code = code
    self.loginName = loginName
    self.familyName = familyName
    self.givenName = givenName
    self.fullName = fullName
    self.email = email
    self.employmentType = employmentType
    self.jobTitle = jobTitle
    self.hireDate = hireDate
    self.noticeDate = noticeDate
    self.exitDate = exitDate
    self.leavingDate = leavingDate
    self.trainingLanguage = trainingLanguage
    self.isKeyPerson = isKeyPerson
    self.notes = notes
  }

  /// The draft with surrounding spaces removed and the e-mail address lower-cased.
  public var normalised: PersonDraft {
    func trim(_ text: String) -> String { text.trimmingWhitespace() }
    var draft = self
    draft.code = trim(code)
    draft.loginName = trim(loginName)
    draft.familyName = trim(familyName)
    draft.givenName = trim(givenName)
    draft.fullName = trim(fullName)
    draft.email = EmailAddress.normalise(email)
    draft.employmentType = trim(employmentType)
    draft.jobTitle = trim(jobTitle)
    draft.hireDate = trim(hireDate)
    draft.noticeDate = trim(noticeDate)
    draft.exitDate = trim(exitDate)
    draft.leavingDate = trim(leavingDate)
    draft.trainingLanguage = trim(trainingLanguage)
    draft.notes = notes.trimmingWhitespace()
    if draft.fullName.isEmpty {
      draft.fullName = [draft.familyName, draft.givenName].filter { !$0.isEmpty }.joined(separator: " ")
    }
    return draft
  }

  public static let code = TextRule(field: "code", maximum: 40)
  public static let loginName = TextRule(field: "login_name", maximum: 120)
  public static let familyName = TextRule(field: "family_name", maximum: 60)
  public static let givenName = TextRule(field: "given_name", maximum: 60, required: false)
  public static let fullName = TextRule(field: "full_name", maximum: 120)
  public static let jobTitle = TextRule(field: "job_title", maximum: 100, required: false)
  public static let notes = TextRule(field: "notes", maximum: 2000, required: false)
  /// The text limits by form field, for the person form's `maxlength`s.
  public static let limits: [String: Int] = Dictionary(
    uniqueKeysWithValues: [code, loginName, familyName, givenName, fullName, jobTitle, notes].map { ($0.field, $0.maximum) })

  /// Every rule the draft breaks, at most one per field.
  public func validate() -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    func add(_ issue: ValidationIssue?) {
      if let issue, !issues.contains(where: { $0.field == issue.field }) { issues.append(issue) }
    }
    add(Self.code.check(code))
    add(Self.loginName.check(loginName))
    if loginName.contains(where: { $0.isWhitespace || $0 == "," }) {
      add(ValidationIssue(field: "login_name", key: "validation.login_name"))
    }
    add(Self.familyName.check(familyName))
    add(Self.givenName.check(givenName))
    // The shown name defaults to the family and given names, so it is checked only once those are.
    if !issues.contains(where: { $0.field == "family_name" }) {
      add(Self.fullName.check(fullName))
    }
    if !email.isEmpty { add(EmailAddress.check(email)) }
    if EmploymentType(rawValue: employmentType) == nil {
      add(ValidationIssue(field: "employment_type", key: "validation.choice"))
    }
    add(Self.jobTitle.check(jobTitle))
    add(Self.notes.check(notes))
    var dates: [String: CivilDate] = [:]
    if Language(rawValue: trainingLanguage) == nil {
      add(ValidationIssue(field: "training_language", key: "validation.choice"))
    }
    for (field, text) in [
      ("hire_date", hireDate), ("notice_date", noticeDate), ("exit_date", exitDate), ("leaving_date", leavingDate),
    ] where !text.isEmpty {
      if let date = CivilDate(iso: text) {
        dates[field] = date
      } else {
        add(ValidationIssue(field: field, key: "validation.date"))
      }
    }
    if let hire = dates["hire_date"], let exit = dates["exit_date"], exit < hire {
      add(ValidationIssue(field: "exit_date", key: "validation.exit_before_hire"))
    }
    if let notice = dates["notice_date"], let exit = dates["exit_date"], exit < notice {
      add(ValidationIssue(field: "exit_date", key: "validation.exit_before_notice"))
    }
    // Leave is taken between the last working day and the leaving date, never the other way round.
    if let exit = dates["exit_date"], let leaving = dates["leaving_date"], leaving < exit {
      add(ValidationIssue(field: "leaving_date", key: "validation.leaving_before_exit"))
    }
    return issues
  }

  public var employment: EmploymentType? { EmploymentType(rawValue: employmentType) }
  public var hireDay: CivilDate? { CivilDate(iso: hireDate) }
  public var noticeDay: CivilDate? { CivilDate(iso: noticeDate) }
  public var exitDay: CivilDate? { CivilDate(iso: exitDate) }
  public var leavingDay: CivilDate? { CivilDate(iso: leavingDate) }
  public var language: Language? { Language(rawValue: trainingLanguage) }
}
