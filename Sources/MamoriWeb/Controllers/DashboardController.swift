import Foundation
import Vapor

/// The home page of every signed-in user.
enum DashboardController {
  @Sendable static func show(req: Request) async throws -> Response {
    let user = try req.requireUser()
    let model = try await Dashboard.load(req)
    var view = Dashboard.view(model, user: user, req: req)
    view.selfCheck = try await Dashboard.selfCheckCard(req)
    return try await req.renderPage("dashboard", title: req.t("dashboard.title"), body: view)
  }
}
