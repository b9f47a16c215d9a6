import Fluent
import Foundation
import MamoriCore

/// One item of a leaver's checklist: who answers for it, by when, and when and by whom it was done.
public final class LeaverTask: Model, @unchecked Sendable {
  public static let schema = "leaver_tasks"

  // managed fields
  @ID(key: .id) public var id: UUID?

  // reference fields
  @Parent(key: "organisation_id") public var organisation: Organisation
  @Parent(key: "case_id") public var leaverCase: LeaverCase
  @OptionalParent(key: "owner_id") public var owner: User?
  @OptionalParent(key: "done_by_id") public var doneBy: User?

  // data fields
  @Enum(key: "kind") public var kind: LeaverTaskKind
  @OptionalField(key: "due_on") public var dueOn: CivilDate?
  @OptionalField(key: "done_on") public var doneOn: CivilDate?
  @Field(key: "note") public var note: String

  public init() {}

  public var isDone: Bool { doneOn != nil }

  public func isOverdue(on today: CivilDate) -> Bool { !isDone && (dueOn.map { $0 < today } ?? false) }
}
