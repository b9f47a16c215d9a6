import Fluent
import Foundation
import MamoriCore
import SQLKit
import Vapor

/// Resolves who is making the request: a session cookie for pages, a bearer token for the JSON API.
///
/// Expired sessions are deleted here, on first sight, which keeps the table small without a scheduler.
struct SessionAuthenticator: AsyncMiddleware {
  static let cookieName = "mamori_session"
  /// Writing `last_seen_at` on every request would turn each page view into a write; a minute's
  /// precision is plenty for an idle timeout measured in hours.
  static let touchInterval: TimeInterval = 60

  func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
    // Bearer tokens are for the JSON API only; `/metrics` has its own, separate token.
    if request.url.path.hasPrefix("/api/"), let bearer = request.headers.bearerAuthorization?.token {
      request.currentUser = try await ApiTokens.authenticate(bearer, on: request)
      if request.currentUser == nil {
        throw Abort(.unauthorized, reason: "invalid or revoked API token")
      }
    } else if let token = request.cookies[Self.cookieName]?.string, !token.isEmpty {
      request.currentUser = try await Self.authenticate(cookie: token, on: request)
    }
    let response = try await next.respond(to: request)
    if request.sessionEnded, response.cookies[Self.cookieName] == nil {
      response.cookies[Self.cookieName] = Self.expiredCookie(for: request)
    }
    return response
  }

  static func authenticate(cookie token: String, on request: Request) async throws -> CurrentUser? {
    let settings = request.mamori.settings
    let now = request.now
    // Every page pays for this lookup, so it is one statement (session, user and organisation joined)
    // decoded by column, not three Fluent queries: building a model costs a reflection of all its
    // properties and the serialisation of every column name (docs/decisions.md, "Hot reads").
    guard let signedIn = try await SignedInRow.load(tokenHash: Secrets.digest(token), on: request.db) else {
      request.sessionEnded = true
      return nil
    }
    let idle = now.timeIntervalSince(signedIn.lastSeenAt)
    let age = now.timeIntervalSince(signedIn.createdAt)
    guard idle <= settings.sessionIdleTimeout, age <= settings.sessionAbsoluteTimeout,
      signedIn.status == .active
    else {
      try await UserSession.query(on: request.db).filter(\.$id == signedIn.sessionID).delete()
      request.sessionEnded = true
      return nil
    }
    if idle > touchInterval {
      try await UserSession.query(on: request.db).filter(\.$id == signedIn.sessionID).set(\.$lastSeenAt, to: now).update()
    }
    if let organisation = signedIn.organisation {
      // Only a request that does not write may take the version read before it ran: a form post reads
      // it afresh after its change, so that what it shows next is not served from before the change.
      let reads = request.method == .GET || request.method == .HEAD
      request.adoptTenant(organisation, chainTail: reads ? signedIn.chainTail : nil)
    }
    return signedIn.currentUser
  }

  /// Starts a session for `user` and returns the cookie that carries it.
  static func startSession(for user: User, on request: Request) async throws -> HTTPCookies.Value {
    let token = Secrets.token()
    let session = UserSession(
      userID: try user.requireID(), tokenHash: Secrets.digest(token), csrfToken: Secrets.token(),
      createdAt: request.now, clientAddress: request.clientAddress,
      userAgent: String((request.headers.first(name: .userAgent) ?? "").prefix(300)))
    try await session.create(on: request.db)
    return sessionCookie(token, for: request)
  }

  static func sessionCookie(_ token: String, for request: Request) -> HTTPCookies.Value {
    HTTPCookies.Value(
      string: token, expires: nil, maxAge: Int(request.mamori.settings.sessionAbsoluteTimeout), path: "/",
      isSecure: request.isSecureConnection, isHTTPOnly: true, sameSite: .lax)
  }

  static func expiredCookie(for request: Request) -> HTTPCookies.Value {
    HTTPCookies.Value(
      string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/",
      isSecure: request.isSecureConnection, isHTTPOnly: true, sameSite: .lax)
  }
}

extension Request {
  /// The client's address: the peer, or behind a trusted reverse proxy the address the proxy saw.
  ///
  /// Only the last `X-Forwarded-For` entry is taken: that is the one our own proxy appended, while
  /// earlier entries come from the client and could be forged to dodge the sign-in throttle.
  var clientAddress: String {
    if mamori.settings.trustProxy {
      if let forwarded = headers.first(name: "X-Forwarded-For")?.split(separator: ",").last {
        let address = forwarded.trimmingCharacters(in: .whitespaces)
        if !address.isEmpty { return address }
      }
      if let real = headers.first(name: "X-Real-IP"), !real.isEmpty { return real }
    }
    return remoteAddress?.ipAddress ?? "unknown"
  }

  /// Whether the browser reached Mamori over TLS, which decides `Secure` cookies and HSTS:
  /// - TLS served directly: yes;
  /// - with `--trust-proxy`: only when the proxy says `X-Forwarded-Proto: https`. A direct request to a
  ///   backend port (`curl http://127.0.0.1:8081`, an operator troubleshooting) is plain HTTP, so that one
  ///   can sign in there; the proxy must send the header (docs/operations.md);
  /// - without `--trust-proxy`, an https public URL means TLS ends in front of Mamori at something whose
  ///   headers are not trusted: yes, so that cookies never travel in clear text by mistake.
  var isSecureConnection: Bool {
    let settings = mamori.settings
    if settings.tlsEnabled { return true }
    if settings.trustProxy { return headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https" }
    return settings.publicURL?.lowercased().hasPrefix("https://") == true
  }
}

/// The row behind a session cookie: the session, its user and the user's organisation, in one query.
struct SignedInRow {
  var sessionID: UUID
  var createdAt: Date
  var lastSeenAt: Date
  var csrfToken: String
  var status: User.Status
  var currentUser: CurrentUser
  var organisation: Organisation?
  /// The organisation's audit-chain tail when the row was read (``TenantVersion``).
  var chainTail: String?

  static func load(tokenHash: String, on db: any Database) async throws -> SignedInRow? {
    let sql = try db.sql()
    let query: SQLQueryString = """
      SELECT s.id AS s_id, s.created_at AS s_created_at, s.last_seen_at AS s_last_seen_at, s.csrf_token AS s_csrf_token,
        u.id AS u_id, u.email AS u_email, u.display_name AS u_display_name, u.role AS u_role,
        u.is_operator AS u_is_operator, u.organisation_id AS u_organisation_id, u.body_id AS u_body_id,
        u.person_id AS u_person_id, u.language AS u_language, u.status AS u_status,
        o.id AS o_id, o.created_at AS o_created_at, o.updated_at AS o_updated_at, o.capital_yen AS o_capital_yen,
        o.employee_count AS o_employee_count, o.industry AS o_industry, o.is_demo AS o_is_demo, o.name AS o_name,
        o.name_en AS o_name_en, o.slug AS o_slug, o.time_zone AS o_time_zone,
        CASE WHEN o.id IS NULL THEN NULL ELSE \(TenantVersion.tail(organisationID: "o.id", dialect: sql.dialect.name)) END AS t_tail
      FROM user_sessions s
      JOIN users u ON u.id = s.user_id
      LEFT JOIN organisations o ON o.id = u.organisation_id
      WHERE s.token_hash = \(bind: tokenHash)
      """
    guard let row = try await sql.raw(query).first() else { return nil }
    let sessionID = try row.decode(column: "s_id", as: UUID.self)
    let csrfToken = try row.decode(column: "s_csrf_token", as: String.self)
    var organisation: Organisation?
    if let id = try row.decode(column: "o_id", as: UUID?.self) {
      let loaded = Organisation(
        id: id, slug: try row.decode(column: "o_slug", as: String.self), name: try row.decode(column: "o_name", as: String.self),
        nameEnglish: try row.decode(column: "o_name_en", as: String.self),
        industry: try row.decode(column: "o_industry", as: String.self),
        capitalYen: try row.decode(column: "o_capital_yen", as: Int?.self),
        employeeCount: try row.decode(column: "o_employee_count", as: Int?.self),
        timeZone: try row.decode(column: "o_time_zone", as: String.self),
        isDemo: try row.decode(column: "o_is_demo", as: Bool.self))
      loaded.createdAt = try row.decode(column: "o_created_at", as: Date?.self)
      loaded.updatedAt = try row.decode(column: "o_updated_at", as: Date?.self)
      // Loaded from the database: a save updates the row instead of inserting a copy.
      loaded._$idExists = true
      organisation = loaded
    }
    let user = CurrentUser(
      id: try row.decode(column: "u_id", as: UUID.self), email: try row.decode(column: "u_email", as: String.self),
      displayName: try row.decode(column: "u_display_name", as: String.self),
      role: try row.decode(column: "u_role", as: String?.self).flatMap(Role.init(rawValue:)),
      isOperator: try row.decode(column: "u_is_operator", as: Bool.self),
      organisationID: try row.decode(column: "u_organisation_id", as: UUID?.self),
      bodyID: try row.decode(column: "u_body_id", as: UUID?.self),
      personID: try row.decode(column: "u_person_id", as: UUID?.self),
      language: Language(rawValue: try row.decode(column: "u_language", as: String.self)) ?? .default,
      credential: .session(id: sessionID, csrfToken: csrfToken))
    return SignedInRow(
      sessionID: sessionID, createdAt: try row.decode(column: "s_created_at", as: Date.self),
      lastSeenAt: try row.decode(column: "s_last_seen_at", as: Date.self), csrfToken: csrfToken,
      status: User.Status(rawValue: try row.decode(column: "u_status", as: String.self)) ?? .disabled, currentUser: user, organisation: organisation,
      chainTail: try row.decode(column: "t_tail", as: String?.self))
  }
}
