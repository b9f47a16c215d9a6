import Fluent
import Foundation
import MamoriCore

/// An access review campaign (アクセス権の棚卸し): on the day it is opened, every grant in force becomes
/// one ``AccessReviewItem`` that the asset's owner confirms or revokes by the due day.
public final class AccessReview: Model, @unchecked Sendable {
  public static let schema = "access_reviews"

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

  // reference fields
  @OptionalParent(key: "closed_by_id") public var closedBy: User?
  @OptionalParent(key: "created_by_id") public var createdBy: User?
  @Parent(key: "organisation_id") public var organisation: Organisation

  // data fields
  /// The day it was closed; nil while it runs. Closed campaigns take no more decisions.
  @OptionalField(key: "closed_on") public var closedOn: CivilDate?
  /// The last day for decisions (inclusive); undecided grants are `grant-not-reviewed` from the day after.
  @Field(key: "due_on") public var dueOn: CivilDate
  @Field(key: "name") public var name: String
  /// The day it was opened, when its grants were taken from the register.
  @Field(key: "starts_on") public var startsOn: CivilDate

  public init() {}

  public var isClosed: Bool { closedOn != nil }
}
