import Fluent
import Foundation
import MamoriCore
import Vapor

/// Creating organisations and certification bodies, for the operator's pages, the API and the CLI.
public enum Tenants {
  static let bodyName = TextRule(field: "name", maximum: 200)
  static let bodyScope = TextRule(field: "scope", maximum: 500, required: false)
  static let bodyContact = TextRule(field: "contact", maximum: 200, required: false)

  struct CreatedOrganisation {
    var organisation: Organisation
    var invitation: Accounts.Invitation?
  }

  static func createOrganisation(
    slug: String, name: String, nameEnglish: String = "", admin: (email: String, name: String)?, invitedBy: UUID?,
    actor: AuditActor, on database: any Database, context: MamoriContext, baseURL: String, language: Language = .ja
  ) async throws -> CreatedOrganisation {
    let slug = slug.trimmingCharacters(in: .whitespaces)
    let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
    var issues = [Slug.check(slug), Organisations.name.check(name)].compactMap { $0 }
    if issues.isEmpty, try await Organisation.query(on: database).filter(\.$slug == slug).first() != nil {
      issues.append(ValidationIssue(field: "slug", key: "validation.taken"))
    }
    if let admin {
      if let issue = EmailAddress.check(admin.email, field: "admin_email") { issues.append(issue) }
      if let issue = Accounts.displayName.named("admin_name").check(admin.name) { issues.append(issue) }
    }
    guard issues.isEmpty else { throw ValidationFailure(issues: issues) }
    return try await database.transaction { database in
      let organisation = Organisation(slug: slug, name: name, nameEnglish: nameEnglish.trimmingCharacters(in: .whitespacesAndNewlines))
      try await organisation.create(on: database)
      // Creating a tenant is the platform's business: it is recorded on the platform's chain.
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditChain.platform, action: "organisation.create", recordType: "organisation",
          recordID: try organisation.requireID().uuidString.lowercased(), after: AuditChain.json(organisation)),
        by: actor, now: context.clock.now(), on: database)
      var invitation: Accounts.Invitation?
      if let admin {
        invitation = try await Accounts.invite(
          email: admin.email, displayName: admin.name, role: .admin, organisationID: try organisation.requireID(),
          bodyID: nil, revealClash: true, invitedBy: invitedBy, language: language, actor: actor, on: database, context: context, baseURL: baseURL)
      }
      return CreatedOrganisation(organisation: organisation, invitation: invitation)
    }
  }

  static func createBody(
    slug: String, name: String, scope: String, contact: String, actor: AuditActor, now: Date, on database: any Database
  ) async throws -> CertificationBody {
    let slug = slug.trimmingCharacters(in: .whitespaces)
    let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
    var issues = [Slug.check(slug), bodyName.check(name), bodyScope.check(scope), bodyContact.check(contact)].compactMap { $0 }
    if issues.isEmpty, try await CertificationBody.query(on: database).filter(\.$slug == slug).first() != nil {
      issues.append(ValidationIssue(field: "slug", key: "validation.taken"))
    }
    guard issues.isEmpty else { throw ValidationFailure(issues: issues) }
    let body = CertificationBody(
      slug: slug, name: name, scope: scope.trimmingCharacters(in: .whitespacesAndNewlines),
      contact: contact.trimmingCharacters(in: .whitespacesAndNewlines))
    try await database.transaction { database in
      try await body.create(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditChain.platform, action: "body.create", recordType: "certification_body",
          recordID: try body.requireID().uuidString.lowercased(), after: AuditChain.json(body)),
        by: actor, now: now, on: database)
    }
    return body
  }
}
