import Fluent
import Foundation
import MamoriCore

/// One self-assessment of an organisation against a catalog (自己チェック), from start to its locked,
/// completed state. It records the catalog version it was made with, so a newer catalog never changes it.
public final class Assessment: Model, @unchecked Sendable {
  public static let schema = "assessments"

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
  @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

  // reference fields
  @Parent(key: "organisation_id") public var organisation: Organisation
  @OptionalParent(key: "started_by") public var startedBy: User?
  @OptionalParent(key: "completed_by") public var completedBy: User?

  // data fields
  @Field(key: "catalog_id") public var catalogID: String
  @Field(key: "catalog_version") public var catalogVersion: Int
  @Field(key: "title") public var title: String
  /// `in_progress` or `complete`, stored as text.
  @Enum(key: "status") public var status: Status
  /// Stored as `YYYY-MM-DD` text.
  @Field(key: "started_on") public var startedOn: CivilDate
  @OptionalField(key: "completed_at") public var completedAt: Date?

  @Children(for: \.$assessment) public var answers: [AssessmentAnswer]

  public init() {}

  public init(
    id: UUID? = nil, organisationID: UUID, catalogID: String, catalogVersion: Int, title: String, startedOn: CivilDate,
    startedBy: UUID?
  ) {
    self.id = id
    self.$organisation.id = organisationID
    self.catalogID = catalogID
    self.catalogVersion = catalogVersion
    self.title = title
    self.status = .inProgress
    self.startedOn = startedOn
    self.$startedBy.id = startedBy
  }

  public enum Status: String, Sendable, Codable, CaseIterable {
    case inProgress = "in_progress"
    case complete
  }

  public var isComplete: Bool { status == .complete }
}
