import Fluent
import Foundation

/// A file attached to an action as evidence of the work done (a revised rule book, a signed pledge).
/// It belongs to the action, not to a round: the action is kept across rounds, and so are its files.
/// The bytes live in the file store under `storage_key`, like item evidence.
public final class AssessmentActionEvidence: Model, @unchecked Sendable {
  public static let schema = "assessment_action_evidence"

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

  // reference fields
  @Parent(key: "action_id") public var action: AssessmentAction
  @Parent(key: "organisation_id") public var organisation: Organisation
  @OptionalParent(key: "uploaded_by") public var uploadedBy: User?

  // data fields
  @Field(key: "file_name") public var fileName: String
  @Field(key: "content_type") public var contentType: String
  @Field(key: "size") public var size: Int
  @Field(key: "sha256") public var sha256: String
  @Field(key: "storage_key") public var storageKey: String

  public init() {}

  public init(
    actionID: UUID, organisationID: UUID, fileName: String, contentType: String, size: Int, sha256: String, storageKey: String,
    uploadedBy: UUID?
  ) {
    self.$action.id = actionID
    self.$organisation.id = organisationID
    self.fileName = fileName
    self.contentType = contentType
    self.size = size
    self.sha256 = sha256
    self.storageKey = storageKey
    self.$uploadedBy.id = uploadedBy
  }
}
