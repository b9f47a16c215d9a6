import Fluent
import Foundation
import MamoriCore
import Vapor

enum Organisations {
  static let defaultTimeZone = TimeZone(identifier: "Asia/Tokyo") ?? TimeZone(secondsFromGMT: 9 * 3600)!

  static func timeZone(_ organisation: Organisation?) -> TimeZone {
    organisation.flatMap { TimeZone(identifier: $0.timeZone) } ?? defaultTimeZone
  }

  /// "Today" as the organisation sees it: leaver status, audit periods and due dates turn over at local
  /// midnight, not at UTC midnight.
  static func today(_ organisation: Organisation?, now: Date) -> CivilDate {
    CivilDate(now, in: timeZone(organisation))
  }
}

/// A record that belongs to exactly one organisation. Every read and write of such records goes
/// through ``query(in:on:)``, so that no handler can forget the tenant filter.
protocol OrganisationScoped: Model where IDValue == UUID {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<Self>
}

extension Department: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<Department> {
    Department.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}

extension Person: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<Person> {
    Person.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}

extension AuditAccess: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<AuditAccess> {
    AuditAccess.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}

extension User: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<User> {
    User.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}

extension Request {
  /// The signed-in user's organisation; 404 for users of a body or operators without one.
  func requireOrganisation() async throws -> Organisation {
    guard let organisation = try await Organisation.find(try requireOrganisationID(), on: db) else {
      throw Abort(.notFound)
    }
    return organisation
  }

  /// The record named by the route parameter, if it belongs to the signed-in user's organisation; 404
  /// (never 403) otherwise, so that another tenant's ids cannot even be confirmed to exist.
  func find<M: OrganisationScoped>(_ type: M.Type, _ parameter: String) async throws -> M {
    guard let id = parameters.get(parameter, as: UUID.self) else { throw Abort(.notFound) }
    guard let record = try await M.query(in: try requireOrganisationID(), on: db).filter(\._$id == id).first() else {
      throw Abort(.notFound)
    }
    return record
  }

  /// The organisation's "today".
  func today(for organisation: Organisation?) -> CivilDate {
    Organisations.today(organisation, now: now)
  }
}
