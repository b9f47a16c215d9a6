import Fluent
import Foundation
import MamoriCore
import Vapor

/// The leavers list and a leaver's case: what they read, in a fixed number of queries whatever the
/// number of cases or items.
enum LeaversPage {
  enum StatusFilter: String, CaseIterable, Sendable {
    case open, closed, withdrawn, all
  }

  /// Fifty cases a page, like the other lists (decision 49).
  static let pageSize = 50

  struct ListModel: Sendable {
    struct Row: Sendable {
      var leaverCase: LeaverCase
      var person: Person
      var tasks: [LeaverTask]
    }

    var status: StatusFilter
    var rows: [Row]
    var matching: Int
    var page: Int
    var pageCount: Int
    var today: CivilDate
  }

  static func loadList(_ req: Request, status: StatusFilter, page: Int) async throws -> ListModel {
    let tenant = try await req.tenant()
    var query = LeaverCase.query(in: tenant.organisationID, on: req.db)
    if status != .all {
      let wanted: LeaverCase.Status = status == .open ? .open : status == .closed ? .closed : .withdrawn
      query = query.filter(\.$status == wanted)
    }
    let matching = try await query.count()
    let pageCount = max(1, (matching + pageSize - 1) / pageSize)
    let page = min(max(page, 1), pageCount)
    let cases = try await query.copy().join(Person.self, on: \LeaverCase.$person.$id == \Person.$id)
      .sort(Person.self, \.$exitDate).sort(Person.self, \.$fullName).range(((page - 1) * pageSize)..<(page * pageSize)).all()
    let tasks = try await LeaverTask.query(in: tenant.organisationID, on: req.db).filter(\.$leaverCase.$id ~~ cases.compactMap(\.id)).all()
    let tasksByCase = Dictionary(grouping: tasks, by: { $0.$leaverCase.id })
    let rows = cases.compactMap { leaverCase -> ListModel.Row? in
      guard let id = leaverCase.id, let person = try? leaverCase.joined(Person.self) else { return nil }
      return ListModel.Row(leaverCase: leaverCase, person: person, tasks: tasksByCase[id] ?? [])
    }
    return ListModel(status: status, rows: rows, matching: matching, page: page, pageCount: pageCount, today: tenant.today)
  }

  struct CaseModel: Sendable {
    var leaverCase: LeaverCase
    var person: Person
    /// In checklist order, with owner and the user who marked them done.
    var tasks: [LeaverTask]
    /// The organisation's users, the possible owners.
    var users: [User]
    /// Grants not revoked, with their assets.
    var grants: [Grant]
    var pledges: [Pledge]
    var today: CivilDate
  }

  static func loadCase(_ req: Request, _ leaverCase: LeaverCase) async throws -> CaseModel {
    let tenant = try await req.tenant()
    let organisationID = tenant.organisationID
    guard let person = try await Person.query(in: organisationID, on: req.db).filter(\.$id == leaverCase.$person.id).first() else {
      throw Abort(.notFound)
    }
    let order = Dictionary(uniqueKeysWithValues: LeaverTaskKind.allCases.enumerated().map { ($1, $0) })
    let tasks = try await LeaverTask.query(in: organisationID, on: req.db).filter(\.$leaverCase.$id == leaverCase.requireID()).all()
      .sorted { order[$0.kind]! < order[$1.kind]! }
    let users = try await User.query(in: organisationID, on: req.db).sort(\.$displayName).all()
    let grants = try await Grant.query(in: organisationID, on: req.db).filter(\.$person.$id == person.requireID())
      .filter(\.$revokedOn == nil).with(\.$asset).sort(\.$grantedOn).all()
    let pledges = try await Pledge.query(in: organisationID, on: req.db).filter(\.$person.$id == person.requireID())
      .sort(\.$signedOn, .descending).all()
    return CaseModel(
      leaverCase: leaverCase, person: person, tasks: tasks, users: users, grants: grants, pledges: pledges, today: tenant.today)
  }
}
