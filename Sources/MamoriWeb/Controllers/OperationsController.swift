import Fluent
import SQLKit
import Vapor

/// Probes for load balancers and monitoring.
enum OperationsController {
  struct Health: Content {
    var status: String
    var database: String
    var version: String
  }

  /// 200 when the database answers, 503 when it does not, so a load balancer takes the process out.
  @Sendable static func health(req: Request) async throws -> Response {
    var databaseOK = false
    if let sql = req.db as? any SQLDatabase {
      databaseOK = (try? await sql.raw("SELECT 1 AS ok").first()) != nil
    }
    let body = Health(
      status: databaseOK ? "ok" : "unavailable", database: databaseOK ? "ok" : "unreachable",
      version: MamoriVersion.current)
    let response = try await body.encodeResponse(status: databaseOK ? .ok : .serviceUnavailable, for: req)
    return response
  }

  @Sendable static func metrics(req: Request) async throws -> Response {
    // Metrics tell an outsider how busy the instance is and which routes exist; they are served only
    // to a scraper that presents the configured token, and not at all until one is configured.
    guard let token = req.mamori.settings.metricsToken, !token.isEmpty else { throw Abort(.notFound) }
    guard let given = req.headers.bearerAuthorization?.token, Secrets.constantTimeEquals(given, token) else {
      throw Abort(.unauthorized)
    }
    let response = Response(status: .ok, body: .init(string: MetricsRegistry.render()))
    response.headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
    return response
  }
}
