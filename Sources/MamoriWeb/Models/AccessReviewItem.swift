import Fluent
import Foundation
import MamoriCore

/// One grant of an access review campaign, with the asset and its owner as they were when the campaign
/// was opened, and the owner's decision once made (who, when, and whether an officer decided on the
/// owner's behalf).
public final class AccessReviewItem: Model, @unchecked Sendable {
  public static let schema = "access_review_items"

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

  // reference fields
  @Parent(key: "asset_id") public var asset: Asset
  @OptionalParent(key: "decided_by_id") public var decidedBy: User?
  @Parent(key: "grant_id") public var grant: Grant
  @Parent(key: "organisation_id") public var organisation: Organisation
  /// The asset's owner when the campaign was opened; nil when the asset had none.
  @OptionalParent(key: "owner_id") public var owner: Person?
  @Parent(key: "review_id") public var review: AccessReview

  // data fields
  @Field(key: "comment") public var comment: String
  @OptionalField(key: "decided_at") public var decidedAt: Date?
  @OptionalEnum(key: "decision") public var decision: ReviewDecision?
  /// Decided by an officer or administrator for an owner who could not (no owner, or no account).
  @Field(key: "on_behalf") public var onBehalf: Bool

  public init() {}
}
