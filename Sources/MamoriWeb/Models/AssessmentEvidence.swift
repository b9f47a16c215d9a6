import Fluent
import Foundation

/// A file attached to an item of an assessment as evidence (a rule book, a training record, a photo of
/// a locked cabinet). The bytes live in the file store under `storage_key`; the name is only shown.
public final class AssessmentEvidence: Model, @unchecked Sendable {
  public static let schema = "assessment_evidence"

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

  // reference fields
  @Parent(key: "assessment_id") public var assessment: Assessment
  /// The assessment's organisation, kept on the row so that queries scope by the tenant directly.
  @Parent(key: "organisation_id") public var organisation: Organisation
  @OptionalParent(key: "uploaded_by") public var uploadedBy: User?

  // data fields
  @Field(key: "item_id") public var itemID: String
  @Field(key: "file_name") public var fileName: String
  @Field(key: "content_type") public var contentType: String
  @Field(key: "size") public var size: Int
  @Field(key: "sha256") public var sha256: String
  @Field(key: "storage_key") public var storageKey: String

  public init() {}

  public init(
    assessmentID: UUID, organisationID: UUID, itemID: String, fileName: String, contentType: String, size: Int, sha256: String, storageKey: String,
    uploadedBy: UUID?
  ) {
    self.$assessment.id = assessmentID
    self.$organisation.id = organisationID
    self.itemID = itemID
    self.fileName = fileName
    self.contentType = contentType
    self.size = size
    self.sha256 = sha256
    self.storageKey = storageKey
    self.$uploadedBy.id = uploadedBy
  }
}
