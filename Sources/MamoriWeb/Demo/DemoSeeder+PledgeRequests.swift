import Fluent
import Foundation
import MamoriCore

extension DemoSeeder {
  /// A pledge the officer has asked the member account's person to acknowledge (a project pledge for
  /// the mould group, due in ten days), so the member's home page shows one, made through the use case
  /// so its audit entry is the real one.
  static func seedPledgeRequests(
    organisationID: UUID, officerID: UUID?, catalog: LocaleCatalog, today: CivilDate, now: Date, on database: any Database
  ) async throws {
    guard let member = try await User.query(in: organisationID, on: database).filter(\.$role == .member).first(),
      let personID = member.$person.id,
      let person = try await Person.query(in: organisationID, on: database).filter(\.$id == personID).first()
    else { return }
    let group = try await Asset.query(in: organisationID, on: database).sort(\.$code).first()?.group ?? ""
    _ = try await PledgeRequests.request(
      PledgeRequestDraft(kind: PledgeKind.project.rawValue, scope: "新製品の金型設計プロジェクト", assetGroup: group, dueOn: today.adding(days: 10).iso),
      person: person, by: .init(userID: officerID, principal: Principal(role: .officer, isOperator: false), personID: nil),
      organisationID: organisationID, today: today, catalog: catalog, audit: .system, now: now, on: database)
  }
}
