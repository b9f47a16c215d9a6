import Foundation
import Vapor

/// One log line per request: method, route pattern, status and duration. The pattern
/// (`/set-password/:accountToken`), never the path, so that one-time secrets in links never reach a log.
struct RequestLogMiddleware: AsyncMiddleware {
  func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
    let started = ContinuousClock.now
    do {
      let response = try await next.respond(to: request)
      log(request, status: response.status.code, since: started)
      return response
    } catch {
      log(request, status: (error as? any AbortError)?.status.code ?? 500, since: started)
      throw error
    }
  }

  func log(_ request: Request, status: UInt, since started: ContinuousClock.Instant) {
    let elapsed = ContinuousClock.now - started
    // Tenths of a millisecond by integer arithmetic: String(format:) is slow on Linux and runs per request.
    let tenths = elapsed.components.seconds * 10_000 + elapsed.components.attoseconds / 100_000_000_000_000
    request.logger.info(
      "request",
      metadata: [
        "method": .string(request.method.rawValue), "route": .string(Self.pattern(of: request)),
        "status": .stringConvertible(status), "duration_ms": .string("\(tenths / 10).\(tenths % 10)"),
      ])
  }

  static func pattern(of request: Request) -> String {
    guard let route = request.route else { return "unmatched" }
    return "/" + route.path.map(\.description).joined(separator: "/")
  }
}
