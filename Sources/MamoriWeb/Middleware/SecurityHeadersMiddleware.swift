import Vapor

/// Headers that make the browser refuse what Mamori never does: inline scripts, framing, sniffing
/// content types, sending full addresses to other sites.
struct SecurityHeadersMiddleware: AsyncMiddleware {
  static let contentSecurityPolicy = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].joined(separator: "; ")

  func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
    let response: Response
    do {
      response = try await next.respond(to: request)
    } catch {
      // Errors are rendered by the error middleware inside this one; anything escaping it still gets
      // the headers below through a plain response.
      let status = (error as? any AbortError)?.status ?? .internalServerError
      response = Response(status: status)
    }
    let headers = [
      ("Content-Security-Policy", Self.contentSecurityPolicy),
      ("X-Content-Type-Options", "nosniff"),
      ("X-Frame-Options", "DENY"),
      ("Referrer-Policy", "same-origin"),
      ("Cross-Origin-Opener-Policy", "same-origin"),
      ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
    ]
    for (name, value) in headers where !response.headers.contains(name: name) {
      response.headers.replaceOrAdd(name: name, value: value)
    }
    if request.isSecureConnection {
      response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000")
    }
    // Pages show personal data; nothing but static files may be kept by caches. Static files carry
    // the version in their query string, so a day's caching never serves a stale stylesheet.
    if !response.headers.contains(name: .cacheControl) {
      let isStatic = request.url.path.hasPrefix("/static/") && response.status == .ok
      response.headers.replaceOrAdd(name: .cacheControl, value: isStatic ? "public, max-age=86400" : "no-store")
    }
    return response
  }
}
