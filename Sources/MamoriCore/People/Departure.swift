/// Two ideas of "leaving" that must not be confused, each with one home:
///
/// - ``PersonStatus/leaving`` is the register's status: from the notice date (or from when an exit date
///   is set) until the exit date. It drives the leaver workflow and what the pages show.
/// - ``DepartureWindow`` is the detection rules' window (`departing-transfer` in the detection
///   contract): the 90 days before the exit date, or from the notice date if that is earlier, through
///   the exit date, inclusive. It decides which transfers are flagged.
///
/// Someone who gave notice 200 days before leaving is `leaving` for all 200 days and inside the
/// window for all of them; someone whose exit date was entered a week before it is `leaving` for a
/// week but inside the window for 90 days, because detection also looks back.
public enum DepartureWindow {
  /// How far before the exit date the window opens at the latest.
  public static let daysBeforeExit = 90

  /// The first day of the window, as days since 1970-01-01.
  @inline(__always)
  public static func start(exitDay: Int32, noticeDay: Int32?) -> Int32 {
    let start = exitDay - Int32(daysBeforeExit)
    if let noticeDay, noticeDay < start { return noticeDay }
    return start
  }

  /// Whether `day` lies in the window (both ends inclusive).
  @inline(__always)
  public static func contains(_ day: Int32, exitDay: Int32, noticeDay: Int32?) -> Bool {
    day >= start(exitDay: exitDay, noticeDay: noticeDay) && day <= exitDay
  }

  public static func contains(_ day: CivilDate, exit: CivilDate, notice: CivilDate?) -> Bool {
    contains(
      Int32(day.daysSinceEpoch), exitDay: Int32(exit.daysSinceEpoch), noticeDay: notice.map { Int32($0.daysSinceEpoch) })
  }
}
