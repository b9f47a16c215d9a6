/// How a person works for the organisation. The values are those of the detection spec's
/// `employment_type` column, so that the register and an exported people file agree.
public enum EmploymentType: String, CaseIterable, Sendable, Codable {
  case employee
  case dispatched
  case contractor
  case executive
  case other

  public var labelKey: String { "employment.\(rawValue)" }
}

/// Where a person stands on a given day, derived from their notice and exit dates, never stored.
public enum PersonStatus: String, Sendable, Codable, CaseIterable {
  /// Working, no notice given.
  case active
  /// Notice given (or an exit date set) and the last day not yet passed: the leaver workflow applies.
  case leaving
  /// The exit date has passed.
  case left

  public static func on(_ today: CivilDate, noticeDate: CivilDate?, exitDate: CivilDate?) -> PersonStatus {
    if let exitDate {
      return exitDate < today ? .left : .leaving
    }
    return noticeDate == nil ? .active : .leaving
  }

  public var labelKey: String { "person_status.\(rawValue)" }
}
