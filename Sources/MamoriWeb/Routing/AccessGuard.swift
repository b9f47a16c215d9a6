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

extension Route {
  static let accessKey: AnySendableHashable = "mamori.access"

  /// The access rule the route was registered with; nil means it was registered without one, which the
  /// route-table test rejects.
  var accessRule: AccessRule? { userInfo[Route.accessKey] as? AccessRule }
}

extension RoutesBuilder {
  /// Registers a page or API route together with who may use it.
  @discardableResult
  func on<Response: AsyncResponseEncodable>(
    _ method: HTTPMethod, _ route: some TypedRoute, access: AccessRule,
    body: HTTPBodyStreamStrategy = .collect,
    use handler: @escaping @Sendable (Request) async throws -> Response
  ) -> Route {
    let isAPI = route.pattern.hasPrefix("/api/")
    let takesID = route.segments.contains { if case .parameter = $0 { return true } else { return false } }
    let registered = grouped(AccessGuard(rule: access, isAPI: isAPI, takesID: takesID))
      .on(method, route.pathComponents, body: body, use: handler)
    registered.userInfo[Route.accessKey] = access
    return registered
  }
}
