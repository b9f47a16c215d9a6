import Fluent
import Foundation
import MamoriCore
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

/// The password of every fixture account.
let testPassword = "correct horse battery staple"

/// Hashed once per test process: a cost-12 bcrypt takes a quarter of a second.
let testPasswordHash: String = try! Bcrypt.hash(testPassword, cost: 12)

/// A signed-in browser: its session cookie and the CSRF token its forms carry.
struct Browser {
  var cookie: String
  var csrf: String
  var userID: UUID

  var headers: HTTPHeaders {
    var headers = HTTPHeaders()
    headers.replaceOrAdd(name: .cookie, value: "\(SessionAuthenticator.cookieName)=\(cookie)")
    return headers
  }
}

/// An organisation with one account of each role, a department and a person.
struct TenantFixture {
  var organisation: Organisation
  var admin: User
  var officer: User
  var member: User
  var department: Department
  var person: Person

  var organisationID: UUID { organisation.id! }
}

struct BodyFixture {
  var body: CertificationBody
  var auditor: User
}

enum Fixture {
  static func tenant(_ slug: String, on app: Application) async throws -> TenantFixture {
    let db = app.db
    let organisation = Organisation(slug: slug, name: "\(slug) 株式会社", nameEnglish: "\(slug) Co.")
    try await organisation.create(on: db)
    let organisationID = try organisation.requireID()
    func user(_ role: Role) async throws -> User {
      let user = User(
        email: "\(role.rawValue)@\(slug).example", displayName: "\(role.rawValue) \(slug)", role: role,
        organisationID: organisationID, status: .active, passwordHash: testPasswordHash)
      try await user.create(on: db)
      return user
    }
    let department = Department(organisationID: organisationID, code: "design", name: "設計部")
    try await department.create(on: db)
    let person = Person(
      organisationID: organisationID, departmentID: department.id, code: "E001", loginName: "tanaka.\(slug)",
      familyName: "田中", givenName: "健太", fullName: "田中 健太", email: "tanaka@\(slug).example",
      employmentType: .employee, jobTitle: "設計担当", hireDate: CivilDate(iso: "2015-04-01"))
    try await person.create(on: db)
    return TenantFixture(
      organisation: organisation, admin: try await user(.admin), officer: try await user(.officer),
      member: try await user(.member), department: department, person: person)
  }

  static func body(_ slug: String, on app: Application) async throws -> BodyFixture {
    let body = CertificationBody(slug: slug, name: "\(slug) 認証機関", scope: "全て")
    try await body.create(on: app.db)
    let auditor = User(
      email: "auditor@\(slug).example", displayName: "審査員 \(slug)", role: .auditor, bodyID: body.id, status: .active,
      passwordHash: testPasswordHash)
    try await auditor.create(on: app.db)
    return BodyFixture(body: body, auditor: auditor)
  }

  static func operatorUser(on app: Application) async throws -> User {
    let user = User(
      email: "operator@platform.example", displayName: "運用者", role: nil, isOperator: true, status: .active,
      passwordHash: testPasswordHash)
    try await user.create(on: app.db)
    return user
  }

  /// Signs `user` in without the cost of bcrypt, the way a successful sign-in would.
  static func signIn(_ user: User, on app: Application, at date: Date? = nil) async throws -> Browser {
    let token = Secrets.token()
    let csrf = Secrets.token()
    let session = UserSession(
      userID: try user.requireID(), tokenHash: Secrets.digest(token), csrfToken: csrf,
      createdAt: date ?? app.mamori.clock.now(), clientAddress: "127.0.0.1", userAgent: "tests")
    try await session.create(on: app.db)
    return Browser(cookie: token, csrf: csrf, userID: try user.requireID())
  }

  static func grant(_ body: CertificationBody, by tenant: TenantFixture, from: Int = -1, to: Int = 30, on app: Application)
    async throws -> AuditAccess
  {
    let today = CivilDate(app.mamori.clock.now(), in: Organisations.defaultTimeZone)
    let grant = AuditAccess(
      organisationID: tenant.organisationID, bodyID: try body.requireID(), grantedByID: tenant.admin.id,
      startsOn: today.adding(days: from), endsOn: today.adding(days: to), purpose: "初回審査")
    try await grant.create(on: app.db)
    return grant
  }
}

extension Application {
  /// Sends a request in memory, as `browser` when given, with a form body when given (the CSRF token is
  /// added unless the test says otherwise).
  @discardableResult
  func send(
    _ method: HTTPMethod, _ path: String, as browser: Browser? = nil, form: [String: String]? = nil,
    csrf: Bool = true, headers extra: HTTPHeaders = [:], file: StaticString = #filePath, line: UInt = #line
  ) async throws -> TestingHTTPResponse {
    var result: TestingHTTPResponse?
    try await testing().test(
      method, path,
      beforeRequest: { request in
        if let browser { request.headers.add(contentsOf: browser.headers) }
        request.headers.add(contentsOf: extra)
        if var form {
          if csrf, let browser, form["_csrf"] == nil { form["_csrf"] = browser.csrf }
          try request.content.encode(form, as: .urlEncodedForm)
        }
      },
      afterResponse: { response in result = response })
    return result!
  }

  /// A multipart form as a browser posts a file input, with the CSRF token of `browser`.
  @discardableResult
  func upload(
    _ path: String, as browser: Browser, fields: [String: String] = [:], file: (name: String, data: Data)?
  ) async throws -> TestingHTTPResponse {
    let boundary = "mamori-test-boundary"
    var body = Data()
    var all = fields
    all["_csrf"] = browser.csrf
    for (name, value) in all.sorted(by: { $0.key < $1.key }) {
      body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
    }
    if let file {
      body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\n".utf8))
      body.append(Data("Content-Type: application/octet-stream\r\n\r\n".utf8))
      body.append(file.data)
      body.append(Data("\r\n".utf8))
    }
    body.append(Data("--\(boundary)--\r\n".utf8))
    var result: TestingHTTPResponse?
    try await testing().test(
      .POST, path,
      beforeRequest: { request in
        request.headers.add(contentsOf: browser.headers)
        request.headers.contentType = HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": boundary])
        request.body = ByteBuffer(data: body)
      }, afterResponse: { result = $0 })
    return result!
  }

  /// A JSON API request with a bearer token.
  @discardableResult
  func api(_ method: HTTPMethod, _ path: String, token: String?, json: [String: any Sendable]? = nil) async throws
    -> TestingHTTPResponse
  {
    var result: TestingHTTPResponse?
    try await testing().test(
      method, path,
      beforeRequest: { request in
        if let token { request.headers.bearerAuthorization = BearerAuthorization(token: token) }
        if let json {
          request.headers.contentType = .json
          request.body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
        }
      },
      afterResponse: { response in result = response })
    return result!
  }
}

extension TestingHTTPResponse {
  var text: String { body.getString(at: body.readerIndex, length: body.readableBytes) ?? "" }

  func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

  var location: String? { headers.first(name: .location) }

  /// The value of a cookie the response sets.
  func cookie(_ name: String) -> String? {
    for header in headers[.setCookie] where header.hasPrefix("\(name)=") {
      return String(header.dropFirst(name.count + 1).prefix { $0 != ";" })
    }
    return nil
  }

  func setCookieHeader(_ name: String) -> String? {
    headers[.setCookie].first { $0.hasPrefix("\(name)=") }
  }
}
