import Foundation
import Vapor

/// Cross-site request forgery protection, which Vapor does not provide.
///
/// Three layers: a synchronizer token in every form (the session's token once signed in, a cookie's
/// before), a check of `Origin`/`Sec-Fetch-Site` on every state-changing request, and `SameSite=Lax`
/// session cookies. Requests authenticated by an API token carry no cookie and need no token.
struct CSRFMiddleware: AsyncMiddleware {
  static let cookieName = "mamori_csrf"
  static let fieldName = "_csrf"
  static let headerName = "X-CSRF-Token"

  func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
    var newCookie: String?
    let expected: String
    switch request.currentUser?.credential {
    case .apiToken:
      return try await next.respond(to: request)
    case .session(_, let csrfToken):
      expected = csrfToken
    case nil:
      if let existing = request.cookies[Self.cookieName]?.string, existing.count >= 32 {
        expected = existing
      } else {
        expected = Secrets.token()
        newCookie = expected
      }
    }
    request.csrfToken = expected

    if ![.GET, .HEAD, .OPTIONS].contains(request.method) {
      // Nothing of the body is read before these checks: an unknown route, a foreign origin or a
      // visitor on a route that needs sign-in costs no memory, whatever the body's size.
      guard let route = request.route else { throw Abort(.notFound) }
      guard Self.originIsSameSite(request) else { throw Abort(.forbidden, reason: "csrf") }
      if request.currentUser == nil, route.accessRule?.requiresSignIn ?? true {
        // The route's access guard answers (sign-in page or 401) without reading the body either.
        return try await next.respond(to: request)
      }
      if route.bodyLimit == .upload {
        // Streamed uploads carry the token among their fields; `receiveUpload` compares it before the
        // handler may use anything it received.
        request.csrfCheckPending = true
      } else {
        let provided = try await Self.providedToken(request, limit: route.bodyLimit.bytes)
        guard let provided, Secrets.constantTimeEquals(provided, expected) else {
          throw Abort(.forbidden, reason: "csrf")
        }
      }
    }

    let response = try await next.respond(to: request)
    if let newCookie {
      response.cookies[Self.cookieName] = HTTPCookies.Value(
        string: newCookie, maxAge: 24 * 3600, path: "/", isSecure: request.isSecureConnection, isHTTPOnly: true,
        sameSite: .lax)
    }
    return response
  }

  static func providedToken(_ request: Request, limit: Int) async throws -> String? {
    if let header = request.headers.first(name: headerName) { return header }
    guard let contentType = request.headers.contentType,
      contentType == .urlEncodedForm || contentType.type == "multipart"
    else { return nil }
    _ = try await request.body.collect(max: limit).get()
    return try? request.content.get(String.self, at: fieldName)
  }

  /// Browsers say where a request comes from; a form posted from another site is refused even before
  /// the token is compared.
  static func originIsSameSite(_ request: Request) -> Bool {
    if let site = request.headers.first(name: "Sec-Fetch-Site"), site == "cross-site" { return false }
    guard let origin = request.headers.first(name: .origin), origin != "null",
      let originHost = URLComponents(string: origin)?.host
    else { return true }
    var allowed: Set<String> = []
    if let host = request.headers.first(name: .host) {
      allowed.insert(host.split(separator: ":").first.map(String.init)?.lowercased() ?? host)
    }
    if let forwarded = request.headers.first(name: "X-Forwarded-Host"), request.mamori.settings.trustProxy {
      allowed.insert(forwarded.split(separator: ":").first.map(String.init)?.lowercased() ?? forwarded)
    }
    if let publicURL = request.mamori.settings.publicURL, let host = URLComponents(string: publicURL)?.host {
      allowed.insert(host.lowercased())
    }
    return allowed.contains(originHost.lowercased())
  }
}

extension Request {
  private struct CSRFTokenKey: StorageKey { typealias Value = String }
  private struct CSRFPendingKey: StorageKey { typealias Value = Bool }

  /// Set on streamed uploads, whose token is compared only once their fields have been read.
  var csrfCheckPending: Bool {
    get { storage[CSRFPendingKey.self] ?? false }
    set { storage[CSRFPendingKey.self] = newValue }
  }

  /// The token every form of this response must carry in its `_csrf` field.
  var csrfToken: String {
    get { storage[CSRFTokenKey.self] ?? "" }
    set { storage[CSRFTokenKey.self] = newValue }
  }
}
