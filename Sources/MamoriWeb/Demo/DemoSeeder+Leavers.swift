import Fluent
import Foundation
import MamoriCore

extension DemoSeeder {
  /// Pledges (``DemoPledges``) and leaver checklists of the demo company, so that `pledge-missing` and the
  /// leavers page have something to show; the three leavers' checklists are partly done (the adviser's,
  /// past the last working day, has overdue items).
  static func seedPledgesAndLeavers(
    company: DemoCompany, organisationID: UUID, personIDs: [String: UUID], officerID: UUID?, today: CivilDate,
    on database: any Database
  ) async throws {
    for plan in DemoPledges.make(company: company) {
      guard let personID = personIDs[plan.personCode] else { continue }
      let pledge = Pledge()
      pledge.$organisation.id = organisationID
      pledge.$person.id = personID
      pledge.$recordedBy.id = officerID
      pledge.kind = plan.kind
      pledge.signedOn = plan.signedOn
      pledge.scope = plan.scope
      pledge.assetGroup = ""
      try await pledge.create(on: database)
    }

    for entry in company.people where LeaverChecklist.applies(notice: entry.noticeDate, exit: entry.exitDate, leaving: entry.leavingDate) {
      guard let personID = personIDs[entry.code] else { continue }
      let leaverCase = LeaverCase()
      leaverCase.$organisation.id = organisationID
      leaverCase.$person.id = personID
      leaverCase.openedOn = entry.noticeDate ?? today
      leaverCase.status = .open
      try await leaverCase.create(on: database)
      let left = entry.exitDate.map { $0 < today } ?? false
      // What is done so far: before the last working day the interview and the pledge; after it the
      // return of items, while revocation (the adviser still holds grants) is overdue.
      let done: Set<LeaverTaskKind> = left ? [.returnItems, .informPartners] : [.exitInterview]
      for kind in LeaverTaskKind.allCases {
        let task = LeaverTask()
        task.$organisation.id = organisationID
        task.$leaverCase.id = try leaverCase.requireID()
        task.$owner.id = officerID
        task.kind = kind
        task.dueOn = LeaverChecklist.dueDay(kind, notice: entry.noticeDate, exit: entry.exitDate, leaving: entry.leavingDate)
        task.note = ""
        if done.contains(kind) {
          task.doneOn = min(today, (entry.noticeDate ?? today).adding(days: 7))
          task.$doneBy.id = officerID
          task.note = kind == .exitInterview ? "転職先は未定とのこと。秘密保持義務を説明済み（デモ）" : "完了（デモ）"
        }
        try await task.create(on: database)
      }
    }
  }
}
