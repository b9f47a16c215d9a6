import MamoriCore
import Vapor

/// Enforces a route's ``AccessRule``. A visitor on a page that needs sign-in is sent to the sign-in
/// page (and back afterwards); an API client gets 401. A signed-in user without the role gets 403 on
/// routes without an id, and 404 on routes with one: whether a record exists is itself information
/// another tenant must not learn.
struct AccessGuard: AsyncMiddleware {
  let rule: AccessRule
  let isAPI: Bool
  let takesID: Bool

  func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
    let user = request.currentUser
    if case .apiToken(_, .read, _)? = user?.credential, ![.GET, .HEAD].contains(request.method) {
      // A read-only token reads; whatever its owner's role would allow, it changes nothing.
      throw Abort(.forbidden, reason: "read-only token")
    }
    if rule.allows(user?.principal) {
      return try await next.respond(to: request)
    }
    if user == nil {
      if isAPI { throw Abort(.unauthorized) }
      var query: [(String, String)] = []
      if request.method == .GET { query.append(("next", request.url.path)) }
      if request.sessionEnded { query.append(("expired", "1")) }
      return request.redirect(to: SiteRoute.login.path(query: query))
    }
    throw Abort(takesID ? .notFound : .forbidden)
  }
}

/// How much of a request body a route may read, declared with the route so that nothing (CSRF check,
/// content decoding) buffers more than the route needs. A form is a few KiB; uploads are never held in
/// memory but streamed to a temporary file by ``Request/receiveUpload(maximumFileBytes:)``.
enum BodyLimit: Sendable, Equatable {
  /// Sign-in, settings, every ordinary form and JSON body.
  case form
  /// A self-check section saved at once: up to 42 items, each with a note of 2,000 characters.
  case largeForm
  /// A multipart upload, streamed to a temporary file; the handler reads it with `receiveUpload`.
  case upload

  var bytes: Int {
    switch self {
    case .form: return 64 << 10
    case .largeForm: return 1 << 20
    case .upload: return UploadLimits.maximumRequestBytes
    }
  }

  var strategy: HTTPBodyStreamStrategy {
    self == .upload ? .stream : .collect(maxSize: ByteCount(value: bytes))
  }
}

extension Route {
  static let accessKey: AnySendableHashable = "mamori.access"
  static let bodyLimitKey: AnySendableHashable = "mamori.body-limit"

  /// The body limit the route was registered with.
  var bodyLimit: BodyLimit { userInfo[Route.bodyLimitKey] as? BodyLimit ?? .form }

  /// The access rule the route was registered with; nil means it was registered without one, which the
  /// route-table test rejects.
  var accessRule: AccessRule? { userInfo[Route.accessKey] as? AccessRule }
}

extension RoutesBuilder {
  /// Registers a page or API route together with who may use it.
  @discardableResult
  func on<Response: AsyncResponseEncodable>(
    _ method: HTTPMethod, _ route: some TypedRoute, access: AccessRule,
    body: BodyLimit = .form,
    use handler: @escaping @Sendable (Request) async throws -> Response
  ) -> Route {
    let isAPI = route.pattern.hasPrefix("/api/")
    let takesID = route.segments.contains { if case .parameter = $0 { return true } else { return false } }
    let registered = grouped(AccessGuard(rule: access, isAPI: isAPI, takesID: takesID))
      .on(method, route.pathComponents, body: body.strategy, use: handler)
    registered.userInfo[Route.accessKey] = access
    registered.userInfo[Route.bodyLimitKey] = body
    return registered
  }
}
