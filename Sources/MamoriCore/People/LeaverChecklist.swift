/// The items of a leaver's checklist (退職者・契約終了者), in the order an officer works through them.
public enum LeaverTaskKind: String, CaseIterable, Sendable, Codable {
  case leavingPledge = "leaving_pledge"
  /// Return of media, devices and documents.
  case returnItems = "return_items"
  /// Revocation of grants and accounts, by the last working day.
  case revokeAccess = "revoke_access"
  case exitInterview = "exit_interview"
  /// Informing partners (customers, suppliers, the dispatching agency) where needed.
  case informPartners = "inform_partners"
  /// Review of what detection reports for the person's departure window and after it.
  case monitoring

  public var labelKey: String { "leavers.task.\(rawValue)" }
  public var hintKey: String { "leavers.task_hint.\(rawValue)" }
}

/// The dates of a leaver's checklist, computed from the person's dates.
public enum LeaverChecklist {
  /// How long after the leaving date the monitoring item stays open: a detection run over logs up to
  /// then must have been looked at. The detection contract flags post-exit activity with no end; the
  /// 30 days are Mamori's choice (decision 121), long enough for a month's logs to arrive.
  public static let monitoringDaysAfterLeaving = 30

  /// Whether a person with these dates has a leaver case: a notice, a last working day or a leaving date.
  public static func applies(notice: CivilDate?, exit: CivilDate?, leaving: CivilDate?) -> Bool {
    notice != nil || exit != nil || leaving != nil
  }

  /// The default due day of `kind`, or nil while the dates it depends on are unknown (a notice date
  /// alone does not say when the person goes).
  ///
  /// - Everything that must be finished while the person still comes to work (leaving pledge, return
  ///   of items, revocation, exit interview, informing partners) is due on the last working day; when
  ///   only the leaving date is known, on that.
  /// - Monitoring ends `monitoringDaysAfterLeaving` days after the leaving date (or the last working day).
  public static func dueDay(_ kind: LeaverTaskKind, notice: CivilDate?, exit: CivilDate?, leaving: CivilDate?) -> CivilDate? {
    switch kind {
    case .leavingPledge, .returnItems, .revokeAccess, .exitInterview, .informPartners:
      return exit ?? leaving
    case .monitoring:
      return (leaving ?? exit)?.adding(days: monitoringDaysAfterLeaving)
    }
  }

  /// The detection contract's departure window (`departing-transfer`, docs/detection.md): from 90 days
  /// before the last working day, or the notice date if earlier, through the last working day; any
  /// activity after the last working day is `post-exit-activity`. Nil without a last working day.
  public static func monitoringWindow(notice: CivilDate?, exit: CivilDate?) -> ClosedRange<CivilDate>? {
    guard let exit else { return nil }
    let start = CivilDate(
      daysSinceEpoch: Int(
        DepartureWindow.start(exitDay: Int32(exit.daysSinceEpoch), noticeDay: notice.map { Int32($0.daysSinceEpoch) })))
    return start...exit
  }
}

/// One leaver case as `mamori leavers list` prints it.
public struct LeaverSummary: Sendable, Equatable {
  /// The person's login name, as in the detection contract.
  public var personID: String
  public var name: String
  public var employment: EmploymentType
  public var noticeDate: CivilDate?
  public var exitDate: CivilDate?
  public var leavingDate: CivilDate?
  /// open, closed or withdrawn.
  public var status: String
  public var done: Int
  public var total: Int
  /// Items not done whose due day has passed.
  public var overdue: [LeaverTaskKind]
  public var nextDue: CivilDate?

  public init(
    personID: String, name: String, employment: EmploymentType, noticeDate: CivilDate?, exitDate: CivilDate?, leavingDate: CivilDate?,
    status: String, done: Int, total: Int, overdue: [LeaverTaskKind], nextDue: CivilDate?
  ) {
    self.personID = personID
    self.name = name
    self.employment = employment
    self.noticeDate = noticeDate
    self.exitDate = exitDate
    self.leavingDate = leavingDate
    self.status = status
    self.done = done
    self.total = total
    self.overdue = overdue
    self.nextDue = nextDue
  }
}

/// `mamori leavers list` output: a JSON list or a table.
public enum LeaverWriter {
  public static func json(_ leavers: [LeaverSummary]) -> String {
    if leavers.isEmpty { return "[]\n" }
    func date(_ day: CivilDate?) -> String { day.map { "\"\($0.iso)\"" } ?? "null" }
    let objects = leavers.map { leaver in
      "{\"person_id\":\(AlertWriter.jsonString(leaver.personID)),\"name\":\(AlertWriter.jsonString(leaver.name)),"
        + "\"employment_type\":\"\(leaver.employment.rawValue)\",\"notice_date\":\(date(leaver.noticeDate)),"
        + "\"exit_date\":\(date(leaver.exitDate)),\"leaving_date\":\(date(leaver.leavingDate)),\"status\":\"\(leaver.status)\","
        + "\"done\":\(leaver.done),\"total\":\(leaver.total),\"overdue\":["
        + leaver.overdue.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "],\"next_due\":\(date(leaver.nextDue))}"
    }
    return "[\n" + objects.joined(separator: ",\n") + "\n]\n"
  }

  public static func table(_ leavers: [LeaverSummary]) -> String {
    let header = ["PERSON", "TYPE", "EXIT", "LEAVING", "STATUS", "DONE", "NEXT DUE", "OVERDUE"]
    let rows = leavers.map {
      [
        $0.personID, $0.employment.rawValue, $0.exitDate?.iso ?? "-", $0.leavingDate?.iso ?? "-", $0.status, "\($0.done)/\($0.total)",
        $0.nextDue?.iso ?? "-", $0.overdue.isEmpty ? "-" : $0.overdue.map(\.rawValue).joined(separator: ","),
      ]
    }
    var widths = header.map(\.count)
    for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { index, cell in
        index < cells.count - 1 ? cell + String(repeating: " ", count: widths[index] - cell.count) : cell
      }.joined(separator: "  ")
    }
    var text = line(header) + "\n"
    for row in rows { text += line(row) + "\n" }
    let overdue = leavers.filter { !$0.overdue.isEmpty }.count
    text += "\(leavers.count) leaver(s), \(overdue) with overdue items\n"
    return text
  }
}
