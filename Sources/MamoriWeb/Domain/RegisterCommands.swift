import Fluent
import Foundation
import MamoriCore
import Vapor

/// `mamori findings`: the register's findings read from the same database as `serve`.
public enum RegisterCommands {
  public enum Failure: Error, Equatable {
    case unknownOrganisation(String)
  }

  /// The findings of the organisation `slug` on its today.
  public static func findings(organisationSlug slug: String, on app: Application) async throws -> [Finding] {
    guard let organisation = try await Organisation.query(on: app.db).filter(\.$slug == slug).first() else {
      throw Failure.unknownOrganisation(slug)
    }
    let today = Organisations.today(organisation, now: app.mamori.clock.now())
    return try await AssetRegister.findings(organisationID: try organisation.requireID(), today: today, on: app.db).findings
  }
}
