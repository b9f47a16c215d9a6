import Fluent
import Foundation
import MamoriCore
import Vapor

/// `mamori reviews`: the organisation's access review campaigns on the same database as `serve`.
public enum ReviewCommands {
  public enum Failure: Error, Equatable {
    case unknownOrganisation(String)
    /// The campaign's input broke a rule: each problem as `field: message` in English.
    case invalid([String])
  }

  /// One campaign as the command line prints it.
  public struct Summary: Sendable, Equatable {
    public var name: String
    public var startsOn: CivilDate
    public var dueOn: CivilDate
    public var closedOn: CivilDate?
    /// running, overdue or closed on the organisation's today.
    public var state: String
    public var decided: Int
    public var total: Int
  }

  static func organisation(_ slug: String, on app: Application) async throws -> Organisation {
    guard let organisation = try await Organisation.query(on: app.db).filter(\.$slug == slug).first() else {
      throw Failure.unknownOrganisation(slug)
    }
    return organisation
  }

  /// Every campaign of the organisation, newest first.
  public static func list(organisationSlug slug: String, on app: Application) async throws -> [Summary] {
    let organisation = try await organisation(slug, on: app)
    let today = Organisations.today(organisation, now: app.mamori.clock.now())
    return try await ReviewPages.campaigns(organisationID: try organisation.requireID(), on: app.db).map { campaign in
      Summary(
        name: campaign.name, startsOn: campaign.startsOn, dueOn: campaign.dueOn, closedOn: campaign.closedOn,
        state: ReviewPages.state(closedOn: campaign.closedOn, dueOn: campaign.dueOn, today: today), decided: campaign.decided,
        total: campaign.total)
    }
  }

  /// Opens a campaign on the organisation's today, through the same operation as the page (actor `cli`).
  public static func open(organisationSlug slug: String, name: String, due: String, on app: Application) async throws -> Summary {
    let organisation = try await organisation(slug, on: app)
    let organisationID = try organisation.requireID()
    let now = app.mamori.clock.now()
    let today = Organisations.today(organisation, now: now)
    let review: AccessReview
    do {
      review = try await AccessReviews.open(
        AccessReviewDraft(name: name, dueOn: due), organisationID: organisationID, createdBy: nil, today: today,
        actor: .commandLine, now: now, on: app.db)
    } catch let invalid as ValidationFailure {
      throw Failure.invalid(invalid.issues.map { "\($0.field): " + app.mamori.catalog.text($0.key, .en, $0.arguments) })
    }
    let total = try await AccessReviewItem.query(in: organisationID, on: app.db).filter(\.$review.$id == review.requireID()).count()
    return Summary(
      name: review.name, startsOn: review.startsOn, dueOn: review.dueOn, closedOn: nil, state: "running", decided: 0, total: total)
  }
}

extension ReviewCommands.Summary {
  /// `{"name":…,"starts_on":…,"due_on":…,"closed_on":…|null,"state":…,"decided":…,"total":…}`
  public var json: String {
    "{\"name\":" + AlertWriter.jsonString(name) + ",\"starts_on\":\"\(startsOn.iso)\",\"due_on\":\"\(dueOn.iso)\",\"closed_on\":"
      + (closedOn.map { "\"\($0.iso)\"" } ?? "null") + ",\"state\":\"\(state)\",\"decided\":\(decided),\"total\":\(total)}"
  }
}
