import Foundation
import Vapor

/// Turns errors into answers people can act on: a page in their language for the browser, a JSON
/// object for the API. Internal details are logged, never shown.
struct ErrorPageMiddleware: AsyncMiddleware {
  struct APIError: Content {
    struct Detail: Content {
      var status: Int
      var code: String
      var message: String
    }
    var error: Detail
  }

  struct ErrorView: Encodable, Sendable {
    var status: Int
    var heading: String
    var message: String
    var signedIn: Bool
  }

  func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
    do {
      return try await next.respond(to: request)
    } catch {
      return await Self.response(for: error, request: request)
    }
  }

  static func response(for error: any Error, request: Request) async -> Response {
    let status: HTTPResponseStatus
    var reason: String?
    switch error {
    case let abort as any AbortError:
      status = abort.status
      reason = abort.reason
    case is DecodingError:
      status = .badRequest
      reason = "\(error)"
    default:
      status = .internalServerError
    }
    if status == .internalServerError {
      request.logger.report(error: error)
    } else {
      request.logger.debug("request failed", metadata: ["status": "\(status.code)", "reason": .string(reason ?? "")])
    }
    let key = messageKey(status: status, reason: reason)
    if request.url.path.hasPrefix("/api/") || request.headers.accept.mediaTypes.first == .json {
      // API clients are programs: give them a stable code and an English message, plus the reason of a
      // bad request (which field, which value) when there is one.
      var message = request.mamori.catalog.text("error.message.\(key)", .en)
      if status == .badRequest || status == .unprocessableEntity || status == .conflict, let reason, reason != "csrf" {
        message = reason
      }
      let body = APIError(error: .init(status: Int(status.code), code: codeName(status), message: message))
      let response = Response(status: status)
      try? response.content.encode(body, as: .json)
      if status == .unauthorized {
        response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer realm=\"mamori\"")
      }
      return response
    }
    do {
      return try await request.renderPage(
        "error", title: request.t("error.title"),
        body: ErrorView(
          status: Int(status.code), heading: request.t("error.heading.\(key)"), message: request.t("error.message.\(key)"),
          signedIn: request.currentUser != nil),
        status: status)
    } catch {
      request.logger.report(error: error)
      let response = Response(status: status, body: .init(string: "\(status.code) \(status.reasonPhrase)"))
      response.headers.contentType = .plainText
      return response
    }
  }

  static func messageKey(status: HTTPResponseStatus, reason: String?) -> String {
    switch status {
    case .forbidden where reason == "csrf": return "csrf"
    case .badRequest, .unprocessableEntity: return "bad_request"
    case .unauthorized: return "unauthorized"
    case .forbidden: return "forbidden"
    case .notFound: return "not_found"
    case .conflict: return "conflict"
    case .tooManyRequests: return "too_many"
    case .payloadTooLarge: return "too_large"
    default: return status.code >= 500 ? "server" : "bad_request"
    }
  }

  static func codeName(_ status: HTTPResponseStatus) -> String {
    switch status {
    case .badRequest: return "bad_request"
    case .unauthorized: return "unauthorized"
    case .forbidden: return "forbidden"
    case .notFound: return "not_found"
    case .conflict: return "conflict"
    case .unprocessableEntity: return "invalid"
    case .tooManyRequests: return "too_many_requests"
    case .payloadTooLarge: return "too_large"
    default: return status.code >= 500 ? "server_error" : "error"
    }
  }
}
