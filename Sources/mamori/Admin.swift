import ArgumentParser
import Foundation
import MamoriCore
import MamoriWeb
import class Vapor.Application

/// Opens the same database as `serve` (same --data-dir / DATABASE_URL), migrated, for one command.
func withApplication<T: Sendable>(_ store: StoreOptions, _ body: @Sendable (Application) async throws -> T) async throws -> T {
  let settings = try store.settings()
  try store.bootstrapLogging()
  return try await Runner.withApplication(settings: settings, body)
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case table
  case json
}

extension Mamori {
  struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Bring the database schema up to date (serve also does this at start).")

    @OptionGroup var store: StoreOptions

    @Flag(help: "Undo the most recent batch of migrations instead.")
    var revert = false

    func run() async throws {
      let settings = try store.settings()
      try store.bootstrapLogging()
      try await Runner.migrate(settings: settings, revert: revert)
      say(revert ? "Reverted the last batch of migrations." : "The database is up to date.")
    }
  }

  struct Org: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "org", abstract: "Manage organisations.", subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
      static let configuration = CommandConfiguration(abstract: "Create an organisation.")

      @OptionGroup var store: StoreOptions

      @Argument(help: "Short name for URLs and commands: lower-case letters, digits and hyphens, e.g. aoba-seimitsu.")
      var slug: String

      @Argument(help: "The organisation's name, e.g. あおば精密工業株式会社.")
      var name: String

      func validate() throws {
        guard Slug.isValid(slug) else {
          throw ValidationError("SLUG must be 2–40 lower-case letters, digits or single hyphens, starting with a letter or digit (got \(slug))")
        }
        guard TextField.check(name, field: "name") == nil else {
          throw ValidationError("NAME must be 1–200 characters")
        }
      }

      func run() async throws {
        try await withApplication(store) { app in
          do {
            let organisation = try await AdminCommands.createOrganisation(slug: slug, name: name, on: app)
            say("Created organisation \(organisation.slug) (\(organisation.name)).")
          } catch AdminCommands.Failure.slugTaken {
            throw UsageError("an organisation with slug \(slug) already exists")
          }
        }
      }
    }

    struct List: AsyncParsableCommand {
      static let configuration = CommandConfiguration(abstract: "List organisations.")

      @OptionGroup var store: StoreOptions

      @Option(help: "table or json.")
      var format: OutputFormat = .table

      func run() async throws {
        let rows = try await withApplication(store) { app in try await AdminCommands.organisations(on: app) }
        switch format {
        case .json:
          say(try AdminCommands.json(rows))
        case .table:
          say(TextColumns.render(header: ["SLUG", "NAME", "USERS", "PEOPLE"], rows: rows.map { [$0.slug, $0.name, "\($0.users)", "\($0.people)"] }))
        }
      }
    }
  }

  struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "user", abstract: "Manage accounts.", subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "Create an account and print its one-time password-setting link.")

      @OptionGroup var store: StoreOptions

      @Option(help: "Slug of the organisation the account belongs to.")
      var org: String

      @Option(help: "The person's e-mail address, used to sign in.")
      var email: String

      @Option(help: "admin, officer or member.")
      var role: String

      @Option(help: "Name shown in Mamori; the person can change it. (default: the part of the e-mail before @)")
      var name: String?

      @Flag(help: "Also let the account run the instance (platform operator).")
      var `operator` = false

      func validate() throws {
        guard let role = Role(rawValue: role), role.tenant == .organisation else {
          throw ValidationError("--role must be admin, officer or member (got \(role))")
        }
        guard EmailAddress.isValid(EmailAddress.normalise(email)) else {
          throw ValidationError("--email is not a valid e-mail address (got \(email))")
        }
      }

      func run() async throws {
        try await withApplication(store) { app in
          let displayName = name ?? String(EmailAddress.normalise(email).split(separator: "@").first ?? "")
          do {
            let created = try await AdminCommands.createUser(
              organisationSlug: org, email: email, role: Role(rawValue: role)!, displayName: displayName,
              isOperator: self.operator, on: app, baseURL: store.resolvedPublicURL ?? "http://127.0.0.1:8080")
            say("Created \(created.email) (\(role)) in \(org).")
            say("password link: \(created.link)")
            say("The link works once and expires in 7 days; give it to the person.")
          } catch AdminCommands.Failure.unknownOrganisation {
            throw UsageError("no organisation with slug \(org); see mamori org list")
          } catch AdminCommands.Failure.emailTaken {
            throw UsageError("an account with e-mail \(EmailAddress.normalise(email)) already exists")
          } catch AdminCommands.Failure.invalid(let message) {
            throw UsageError(message)
          }
        }
      }
    }

    struct List: AsyncParsableCommand {
      static let configuration = CommandConfiguration(abstract: "List the accounts of an organisation.")

      @OptionGroup var store: StoreOptions

      @Option(help: "Slug of the organisation.")
      var org: String

      @Option(help: "table or json.")
      var format: OutputFormat = .table

      func run() async throws {
        let rows = try await withApplication(store) { app in
          do {
            return try await AdminCommands.users(organisationSlug: org, on: app)
          } catch AdminCommands.Failure.unknownOrganisation {
            throw UsageError("no organisation with slug \(org); see mamori org list")
          }
        }
        switch format {
        case .json:
          say(try AdminCommands.json(rows))
        case .table:
          say(
            TextColumns.render(
              header: ["EMAIL", "NAME", "ROLE", "STATUS", "OPERATOR"],
              rows: rows.map { [$0.email, $0.displayName, $0.role ?? "", $0.status, $0.isOperator ? "yes" : ""] }))
        }
      }
    }
  }
}

