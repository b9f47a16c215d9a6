import Foundation
import Vapor

/// The home page of every signed-in user.
enum DashboardController {
  @Sendable static func show(req: Request) async throws -> Response {
    let user = try req.requireUser()
    let build: @Sendable () async throws -> Dashboard.View = {
      let model = try await Dashboard.load(req)
      var view = Dashboard.view(model, user: user, req: req)
      view.selfCheck = try await Dashboard.selfCheckCard(req)
      return view
    }
    // An organisation's member sees its data, their own record and to-dos: all of it follows the
    // tenant version, so the encoded body is kept per account, person, role and language (decision
    // 203). An auditor's or the platform's home depends on other things (audits in force today,
    // platform figures) and is built every time.
    guard let organisationID = user.organisationID, user.bodyID == nil else {
      return try await req.renderPage("dashboard", title: req.t("dashboard.title"), body: try await build())
    }
    let key = [
      organisationID.uuidString, user.id.uuidString, user.personID?.uuidString ?? "-", user.role?.rawValue ?? "-",
      user.isOperator ? "operator" : "-", req.language.rawValue, user.displayName,
    ].joined(separator: "|")
    let body = try await req.mamori.homeBodies.value(for: key, version: try await req.tenantVersion(), now: req.now) {
      try TemplateEncoder.encode(try await build())
    }
    return try await req.renderPage("dashboard", title: req.t("dashboard.title"), body: body)
  }
}
