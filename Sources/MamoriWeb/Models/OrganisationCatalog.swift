import Fluent
import Foundation

/// A checklist an organisation uploaded (its customer's or its industry's guideline), every version
/// kept: an assessment made with version 1 still shows version 1's items after version 2 arrives.
public final class OrganisationCatalog: Model, @unchecked Sendable {
  public static let schema = "organisation_catalogs"

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

  // reference fields
  @Parent(key: "organisation_id") public var organisation: Organisation
  @OptionalParent(key: "uploaded_by") public var uploadedBy: User?

  // data fields
  @Field(key: "catalog_id") public var catalogID: String
  @Field(key: "version") public var version: Int
  @Field(key: "file_name") public var fileName: String
  /// The YAML as uploaded; parsed again when used, by the same loader that checked it.
  @Field(key: "yaml") public var yaml: String

  public init() {}

  public init(organisationID: UUID, catalogID: String, version: Int, fileName: String, yaml: String, uploadedBy: UUID?) {
    self.$organisation.id = organisationID
    self.catalogID = catalogID
    self.version = version
    self.fileName = fileName
    self.yaml = yaml
    self.$uploadedBy.id = uploadedBy
  }
}
