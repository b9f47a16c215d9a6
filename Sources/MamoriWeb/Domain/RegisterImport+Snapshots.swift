import Foundation
import MamoriCore

/// The audit `after` of records the import writes without a model (decision 162): the same text as
/// `AuditChain.json(model)` of the model Fluent would have created, members in sorted key order (a test
/// compares the two for grants, assets and people with awkward values). The parts that are the same for
/// every record of an import are written once.
struct GrantSnapshot: Sendable {
  let organisation: String
  let createdAt: String

  init(organisationID: UUID, createdAt: Date) {
    organisation = "{\"id\":\"\(organisationID.uuidString)\"}"
    self.createdAt = "\"" + ISO8601DateFormatter().string(from: createdAt) + "\""
  }

  func json(id: UUID, personID: UUID, assetID: UUID, reason: String, grantedOn: String, expiresOn: String?) -> String {
    var object = CanonicalJSONObject(capacity: 480)
    object.parent("asset", assetID)
    object.raw("createdAt", createdAt)
    object.string("expiresOn", expiresOn)
    object.parent("grantedBy", nil)
    object.string("grantedOn", grantedOn)
    object.uuid("id", id)
    object.raw("organisation", organisation)
    object.parent("person", personID)
    object.string("reason", reason)
    object.parent("revokedBy", nil)
    object.string("revokedOn", nil)
    return object.finished()
  }
}

struct AssetSnapshot: Sendable {
  struct Values: Sendable {
    var code, name, details, form, location, level, group, retention, disposal: String
    var isCore: Bool
    var coreSource, coreSuperiority, coreExistence: String
    var designatedTechnology: String?
  }

  let organisation: String
  let at: String

  init(organisationID: UUID, at date: Date) {
    organisation = "{\"id\":\"\(organisationID.uuidString)\"}"
    at = "\"" + ISO8601DateFormatter().string(from: date) + "\""
  }

  /// A new asset: created and updated at the import's instant, as Fluent stamps both on create.
  func json(id: UUID, ownerID: UUID?, _ values: Values) -> String {
    var object = CanonicalJSONObject(capacity: 640)
    object.string("code", values.code)
    object.string("coreExistence", values.coreExistence)
    object.string("coreSource", values.coreSource)
    object.string("coreSuperiority", values.coreSuperiority)
    object.raw("createdAt", at)
    object.string("designatedTechnology", values.designatedTechnology)
    object.string("details", values.details)
    object.string("disposal", values.disposal)
    object.string("form", values.form)
    object.string("group", values.group)
    object.uuid("id", id)
    object.bool("isCore", values.isCore)
    object.string("level", values.level)
    object.string("location", values.location)
    object.string("name", values.name)
    object.raw("organisation", organisation)
    object.parent("owner", ownerID)
    object.string("retention", values.retention)
    object.raw("updatedAt", at)
    return object.finished()
  }
}

struct PersonSnapshot: Sendable {
  struct Values: Sendable {
    var departmentID: UUID?
    var code, loginName, familyName, givenName, fullName: String
    var email: String?
    var employmentType, jobTitle: String
    var hireDate, noticeDate, exitDate, leavingDate: String?
    var trainingLanguage: String
    var isKeyPerson: Bool
    var notes: String
  }

  let organisation: String
  let at: String

  init(organisationID: UUID, at date: Date) {
    organisation = "{\"id\":\"\(organisationID.uuidString)\"}"
    at = "\"" + ISO8601DateFormatter().string(from: date) + "\""
  }

  /// A new person: created and updated at the import's instant, as Fluent stamps both on create.
  func json(id: UUID, _ values: Values) -> String {
    var object = CanonicalJSONObject(capacity: 640)
    object.string("code", values.code)
    object.raw("createdAt", at)
    object.parent("department", values.departmentID)
    object.string("email", values.email)
    object.string("employmentType", values.employmentType)
    object.string("exitDate", values.exitDate)
    object.string("familyName", values.familyName)
    object.string("fullName", values.fullName)
    object.string("givenName", values.givenName)
    object.string("hireDate", values.hireDate)
    object.uuid("id", id)
    object.bool("isKeyPerson", values.isKeyPerson)
    object.string("jobTitle", values.jobTitle)
    object.string("leavingDate", values.leavingDate)
    object.string("loginName", values.loginName)
    object.string("notes", values.notes)
    object.string("noticeDate", values.noticeDate)
    object.raw("organisation", organisation)
    object.string("trainingLanguage", values.trainingLanguage)
    object.raw("updatedAt", at)
    return object.finished()
  }
}
