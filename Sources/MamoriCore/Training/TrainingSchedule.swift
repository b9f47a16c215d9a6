import Foundation

/// The limits of a course's terms, declared once for the loader, the forms and the operations.
public enum TrainingRules {
  public static let dueDaysRange = 1...365
  public static let recurrenceMonthsRange = 1...60
  /// A completion renewed by recurrence shows as a to-do this many days before it is due again.
  public static let renewalNoticeDays = 30
  public static let titleRule = TextRule(field: "title", maximum: 200)
  public static let descriptionRule = TextRule(field: "description", maximum: 2000, required: false)
}

/// Who an assignment covers: everyone, one department, or one employment type.
public enum TrainingScope: String, CaseIterable, Sendable, Codable {
  case everyone
  case department
  case employment

  public var labelKey: String { "training.scope.\(rawValue)" }
}

/// Where a person stands with one course on a day.
public struct TrainingStatus: Sendable, Equatable {
  public enum State: String, Sendable, Codable {
    /// Completed, and not yet due again.
    case done
    /// To take (or to renew soon), not yet past the due day.
    case due
    /// Past the due day without a completion.
    case overdue

    public var labelKey: String { "training.state.\(rawValue)" }
  }

  public var state: State
  /// The day it must be (re)taken by; nil when done for good (no recurrence).
  public var dueOn: CivilDate?
  public var lastCompleted: CivilDate?

  public init(state: State, dueOn: CivilDate?, lastCompleted: CivilDate?) {
    self.state = state
    self.dueOn = dueOn
    self.lastCompleted = lastCompleted
  }
}

/// A person's training due dates are derived, never stored: from the course's terms, the assignments
/// that cover the person and their last completion.
public enum TrainingSchedule {
  public struct Terms: Sendable, Equatable {
    public var dueDays: Int
    /// A fixed due day for everyone assigned before it.
    public var dueOn: CivilDate?
    public var recurrenceMonths: Int?

    public init(dueDays: Int, dueOn: CivilDate? = nil, recurrenceMonths: Int? = nil) {
      self.dueDays = dueDays
      self.dueOn = dueOn
      self.recurrenceMonths = recurrenceMonths
    }
  }

  public struct Assignment: Sendable, Equatable {
    public var scope: TrainingScope
    public var departmentID: UUID?
    public var employment: EmploymentType?
    public var assignedOn: CivilDate

    public init(scope: TrainingScope, departmentID: UUID? = nil, employment: EmploymentType? = nil, assignedOn: CivilDate) {
      self.scope = scope
      self.departmentID = departmentID
      self.employment = employment
      self.assignedOn = assignedOn
    }

    public func covers(departmentID: UUID?, employment: EmploymentType) -> Bool {
      switch scope {
      case .everyone: return true
      case .department: return self.departmentID != nil && self.departmentID == departmentID
      case .employment: return self.employment == employment
      }
    }
  }

  public struct Person: Sendable, Equatable {
    public var departmentID: UUID?
    public var employment: EmploymentType
    public var hireDate: CivilDate?
    /// The last working day: after it nobody is trained any more.
    public var lastWorkingDay: CivilDate?

    public init(departmentID: UUID? = nil, employment: EmploymentType, hireDate: CivilDate? = nil, lastWorkingDay: CivilDate? = nil) {
      self.departmentID = departmentID
      self.employment = employment
      self.hireDate = hireDate
      self.lastWorkingDay = lastWorkingDay
    }
  }

  /// The person's status for one course, or nil when no assignment covers them or they are past their
  /// last working day.
  ///
  /// - Never completed: due `dueDays` after the start (the earliest covering assignment, or the hire
  ///   date when later), or on the course's fixed due day when the start is not after it.
  /// - Completed with a recurrence: due again `recurrenceMonths` after the last completion, shown as
  ///   due from `renewalNoticeDays` before; without a recurrence, done for good.
  /// - Overdue from the day after the due day (the due day itself is still in time).
  public static func status(
    terms: Terms, assignments: [Assignment], person: Person, lastCompleted: CivilDate?, today: CivilDate
  ) -> TrainingStatus? {
    if let exit = person.lastWorkingDay, exit < today { return nil }
    let covering = assignments.filter { $0.covers(departmentID: person.departmentID, employment: person.employment) }
    guard let assigned = covering.map(\.assignedOn).min() else { return nil }
    if let last = lastCompleted {
      guard let months = terms.recurrenceMonths else { return TrainingStatus(state: .done, dueOn: nil, lastCompleted: last) }
      let due = last.adding(months: months)
      let state: TrainingStatus.State =
        due < today ? .overdue : (today.days(until: due) <= TrainingRules.renewalNoticeDays ? .due : .done)
      return TrainingStatus(state: state, dueOn: due, lastCompleted: last)
    }
    let start = max(assigned, person.hireDate ?? assigned)
    let due: CivilDate
    if let fixed = terms.dueOn, start <= fixed { due = fixed } else { due = start.adding(days: terms.dueDays) }
    return TrainingStatus(state: due < today ? .overdue : .due, dueOn: due, lastCompleted: nil)
  }
}

extension CivilDate {
  /// The same day `months` later, or the month's last day when it is shorter (31 January + 1 month is
  /// 28 or 29 February).
  public func adding(months: Int) -> CivilDate {
    let index = year * 12 + (month - 1) + months
    let newYear = index / 12
    let newMonth = index % 12 + 1
    let newDay = min(day, CivilDate.daysIn(month: newMonth, year: newYear))
    return CivilDate(year: newYear, month: newMonth, day: newDay)!
  }
}
