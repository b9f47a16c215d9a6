import Fluent
import Foundation
import MamoriCore
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
    guard
      let session = try await UserSession.query(on: request.db)
        .filter(\.$tokenHash == Secrets.digest(token))
        .with(\.$user)
        .first()
    else {
      request.sessionEnded = true
      return nil
    }
    let idle = now.timeIntervalSince(session.lastSeenAt)
    let age = now.timeIntervalSince(session.createdAt)
    guard idle <= settings.sessionIdleTimeout, age <= settings.sessionAbsoluteTimeout,
      session.user.accountStatus == .active
    else {
      try await session.delete(on: request.db)
      request.sessionEnded = true
      return nil
    }
    if idle > touchInterval {
      session.lastSeenAt = now
      try await session.update(on: request.db)
    }
    return try CurrentUser(user: session.user, credential: .session(id: session.requireID(), csrfToken: session.csrfToken))
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
