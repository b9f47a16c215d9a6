import Foundation
import MamoriCore
import Vapor

/// JSON in and out of the API: snake_case keys, ISO 8601 instants, `YYYY-MM-DD` days.
enum APIJSON {
  static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.sortedKeys]
    return encoder
  }()

  static let decoder: JSONDecoder = {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    decoder.dateDecodingStrategy = .iso8601
    return decoder
  }()
}

extension Request {
  func json<T: Encodable>(_ value: T, status: HTTPResponseStatus = .ok) throws -> Response {
    let response = Response(status: status)
    try response.content.encode(value, using: APIJSON.encoder)
    return response
  }

  /// Decodes a JSON body; a malformed one is a 400 that says what is wrong.
  func decodeJSON<T: Decodable>(_ type: T.Type) throws -> T {
    guard headers.contentType == .json else {
      throw Abort(.unsupportedMediaType, reason: "send JSON with Content-Type: application/json")
    }
    do {
      return try content.decode(T.self, using: APIJSON.decoder)
    } catch let error as DecodingError {
      throw Abort(.badRequest, reason: APIErrors.describe(error))
    }
  }
}

enum APIErrors {
  struct Invalid: Content {
    struct Detail: Content {
      var status: Int
      var code: String
      var message: String
      var fields: [String: String]
    }
    var error: Detail
  }

  /// 422 with every invalid field and its reason, in English (API clients are programs).
  static func invalid(_ issues: [ValidationIssue], req: Request) throws -> Response {
    var fields: [String: String] = [:]
    for issue in issues where fields[issue.field] == nil {
      fields[issue.field] = req.mamori.catalog.text(issue.key, .en, issue.arguments)
    }
    let body = Invalid(error: .init(status: 422, code: "invalid", message: "the request has invalid fields", fields: fields))
    return try req.json(body, status: .unprocessableEntity)
  }

  static func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
      let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
      return keys.isEmpty ? "the body" : keys.joined(separator: ".")
    }
    switch error {
    case .keyNotFound(let key, let context):
      return "missing field \(([path(context)] + [key.stringValue]).filter { $0 != "the body" }.joined(separator: "."))"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      return "wrong type at \(path(context))"
    case .dataCorrupted(let context):
      return "invalid JSON at \(path(context)): \(context.debugDescription)"
    @unknown default:
      return "invalid JSON"
    }
  }
}

struct MeDTO: Content {
  var id: UUID
  var email: String
  var displayName: String
  var role: String?
  var isOperator: Bool
  var organisationId: UUID?
  var bodyId: UUID?
  var language: String
}

struct OrganisationDTO: Content {
  var id: UUID
  var slug: String
  var name: String
  var nameEn: String
  var industry: String
  var capitalYen: Int?
  var employeeCount: Int?
  var timeZone: String
  var isDemo: Bool

  init(_ organisation: Organisation) throws {
    id = try organisation.requireID()
    slug = organisation.slug
    name = organisation.name
    nameEn = organisation.nameEnglish
    industry = organisation.industry
    capitalYen = organisation.capitalYen
    employeeCount = organisation.employeeCount
    timeZone = organisation.timeZone
    isDemo = organisation.isDemo
  }
}

struct OrganisationPatch: Content {
  var name: String?
  var nameEn: String?
  var industry: String?
  var capitalYen: Int?
  var employeeCount: Int?
  var timeZone: String?
}

struct UserDTO: Content {
  var id: UUID
  var email: String
  var displayName: String
  var role: String?
  var status: String
  var personId: UUID?
  var lastLoginAt: Date?
  var createdAt: Date?

  init(_ user: User) throws {
    id = try user.requireID()
    email = user.email
    displayName = user.displayName
    role = user.role?.rawValue
    status = user.status.rawValue
    personId = user.$person.id
    lastLoginAt = user.lastLoginAt
    createdAt = user.createdAt
  }
}

struct InviteRequest: Content {
  var email: String
  var displayName: String
  var role: String?
}

struct InvitationDTO: Content {
  var user: UserDTO
  /// The one-time link; returned once, to pass on when no e-mail was sent.
  var link: String
  var emailed: Bool
  var expiresAt: Date
}

struct UserPatch: Content {
  var role: String?
  var status: String?
  var personId: UUID?
  var clearPerson: Bool?
}

struct DepartmentDTO: Content {
  var id: UUID
  var code: String
  var name: String

  init(_ department: Department) throws {
    id = try department.requireID()
    code = department.code
    name = department.name
  }
}

struct DepartmentInput: Content {
  var code: String?
  var name: String?
}

struct PersonDTO: Content {
  var id: UUID
  var code: String
  var loginName: String
  var familyName: String
  var givenName: String
  var fullName: String
  var email: String?
  var departmentId: UUID?
  var employmentType: String
  var jobTitle: String
  var hireDate: String?
  var noticeDate: String?
  var exitDate: String?
  var leavingDate: String?
  var trainingLanguage: String
  var keyPerson: Bool
  var notes: String
  /// Derived from the dates on the organisation's today: active, leaving or left.
  var status: String

  init(_ person: Person, today: CivilDate) throws {
    id = try person.requireID()
    code = person.code
    loginName = person.loginName
    familyName = person.familyName
    givenName = person.givenName
    fullName = person.fullName
    email = person.email
    departmentId = person.$department.id
    employmentType = person.employmentType.rawValue
    jobTitle = person.jobTitle
    hireDate = person.hireDate?.iso
    noticeDate = person.noticeDate?.iso
    exitDate = person.exitDate?.iso
    leavingDate = person.leavingDate?.iso
    trainingLanguage = person.trainingLanguage.rawValue
    keyPerson = person.isKeyPerson
    notes = person.notes
    status = person.status(on: today).rawValue
  }
}

/// A person as sent by a client. On POST every required field must be present; on PATCH the fields
/// given replace the stored ones and the rest stay (send "" to clear an optional one).
struct PersonInput: Content {
  var code: String?
  var loginName: String?
  var familyName: String?
  var givenName: String?
  var fullName: String?
  var email: String?
  var departmentId: UUID?
  var clearDepartment: Bool?
  var employmentType: String?
  var jobTitle: String?
  var hireDate: String?
  var noticeDate: String?
  var exitDate: String?
  var leavingDate: String?
  var trainingLanguage: String?
  var keyPerson: Bool?
  var notes: String?

  func draft(over base: PersonDraft) -> PersonDraft {
    var draft = base
    if let code { draft.code = code }
    if let loginName { draft.loginName = loginName }
    if let familyName { draft.familyName = familyName }
    if let givenName { draft.givenName = givenName }
    if let fullName { draft.fullName = fullName }
    if let email { draft.email = email }
    if let employmentType { draft.employmentType = employmentType }
    if let jobTitle { draft.jobTitle = jobTitle }
    if let hireDate { draft.hireDate = hireDate }
    if let noticeDate { draft.noticeDate = noticeDate }
    if let exitDate { draft.exitDate = exitDate }
    if let leavingDate { draft.leavingDate = leavingDate }
    if let trainingLanguage { draft.trainingLanguage = trainingLanguage }
    if let keyPerson { draft.isKeyPerson = keyPerson }
    if let notes { draft.notes = notes }
    return draft
  }
}

extension PersonDraft {
  init(_ person: Person) {
    self.init(
      code: person.code, loginName: person.loginName, familyName: person.familyName, givenName: person.givenName,
      fullName: person.fullName, email: person.email ?? "", employmentType: person.employmentType.rawValue,
      jobTitle: person.jobTitle, hireDate: person.hireDate?.iso ?? "", noticeDate: person.noticeDate?.iso ?? "",
      exitDate: person.exitDate?.iso ?? "", leavingDate: person.leavingDate?.iso ?? "",
      trainingLanguage: person.trainingLanguage.rawValue, isKeyPerson: person.isKeyPerson, notes: person.notes)
  }
}

struct TokenDTO: Content {
  var id: UUID
  var name: String
  var prefix: String
  var createdAt: Date
  var lastUsedAt: Date?
  var expiresAt: Date?
  var scope: String

  init(_ token: ApiToken) throws {
    id = try token.requireID()
    name = token.name
    prefix = token.prefix
    createdAt = token.createdAt
    lastUsedAt = token.lastUsedAt
    expiresAt = token.expiresAt
    scope = token.scope.rawValue
  }
}

struct TokenCreate: Content {
  var name: String
  var expiresInDays: Int?
  /// `write` (the default) or `read`.
  var scope: String?
}

struct IssuedTokenDTO: Content {
  var token: TokenDTO
  /// The secret: shown in this response only.
  var secret: String
}

struct AuditAccessDTO: Content {
  var id: UUID
  var bodyId: UUID
  var organisationId: UUID
  var startsOn: String
  var endsOn: String
  var purpose: String
  var state: String

  init(_ grant: AuditAccess, today: CivilDate) throws {
    id = try grant.requireID()
    bodyId = grant.$body.id
    organisationId = grant.$organisation.id
    startsOn = grant.startsOn.iso
    endsOn = grant.endsOn.iso
    purpose = grant.purpose
    state = grant.state(on: today).rawValue
  }
}

struct AuditAccessInput: Content {
  var bodyId: UUID
  var startsOn: String
  var endsOn: String
  var purpose: String
}

struct AuditDTO: Content {
  var access: AuditAccessDTO
  var organisation: OrganisationDTO
}

struct BodyDTO: Content {
  var id: UUID
  var slug: String
  var name: String
  var scope: String
  var contact: String

  init(_ body: CertificationBody) throws {
    id = try body.requireID()
    slug = body.slug
    name = body.name
    scope = body.scope
    contact = body.contact
  }
}

struct BodyCreate: Content {
  var slug: String
  var name: String
  var scope: String?
  var contact: String?
}

struct OrganisationCreate: Content {
  var slug: String
  var name: String
  var adminEmail: String?
  var adminName: String?
}

struct CreatedOrganisationDTO: Content {
  var organisation: OrganisationDTO
  var invitation: InvitationDTO?
}
