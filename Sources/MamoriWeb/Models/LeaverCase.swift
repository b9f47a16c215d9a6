import Fluent
import Foundation
import MamoriCore

/// A person's leaving (退職・契約終了), opened when a notice date, a last working day or a leaving date is
/// recorded: one per person, its items in `leaver_tasks`.
public final class LeaverCase: Model, @unchecked Sendable {
  public static let schema = "leaver_cases"

  public enum Status: String, CaseIterable, Sendable, Codable {
    /// Items remain to be done.
    case open
    /// Every item is done.
    case closed
    /// The dates were removed (the notice was withdrawn); the items done so far stay recorded.
    case withdrawn
  }

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

  // reference fields
  @Parent(key: "organisation_id") public var organisation: Organisation
  @Parent(key: "person_id") public var person: Person

  // data fields
  @Field(key: "opened_on") public var openedOn: CivilDate
  @Enum(key: "status") public var status: Status

  public init() {}
}
