import ArgumentParser
import Foundation
import MamoriCore
import MamoriWeb
import class Vapor.Application

/// Opens the same database as `serve` (same --data-dir / DATABASE_URL) for one command. It must exist and
/// have this version's schema: nothing is created or migrated here.
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
      abstract: "Bring the database schema up to date (serve also does this at start).",
      discussion: """
        Creates the data folder and the database when needed and prints the migrations it applied. Stop every \
        mamori serve process of an older version first, and back up (docs/operations.md).
        """)

    @OptionGroup var store: StoreOptions

    @Flag(help: "Undo the most recent batch of migrations instead (never the initial schema); lists what it would drop and needs --yes.")
    var revert = false

    @Flag(help: "With --revert: really revert, dropping the tables and data the listed migrations created.")
    var yes = false

    func run() async throws {
      let settings = try store.settings()
      try store.bootstrapLogging()
      guard revert else {
        if yes { throw UsageError("--yes goes with --revert") }
        switch try await Runner.migrate(settings: settings) {
        case .applied(let names):
          say("Applied \(names.count) migration\(names.count == 1 ? "" : "s"):")
          for name in names { say("  \(name)") }
        case .upToDate(let count):
          say("Nothing to do: all \(count) migrations were already applied.")
        case .reverted:
          break
        }
        return
      }
      guard yes else {
        let plan = try await Runner.revertPlan(settings: settings)
        var lines = ["--revert would undo batch \(plan.batch), dropping what these migrations created (tables and their data):"]
        lines += plan.names.reversed().map { "  \($0)" }
        lines.append("Evidence files stay in the data folder. Back up first; run again with --yes to do it.")
        throw UsageError(lines.joined(separator: "\n"))
      }
      if case .reverted(let batch, let names) = try await Runner.revert(settings: settings) {
        say("Reverted batch \(batch) (\(names.count) migration\(names.count == 1 ? "" : "s")):")
        for name in names.reversed() { say("  \(name)") }
      }
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
      commandName: "user", abstract: "Manage accounts.", subcommands: [Create.self, List.self, Link.self])

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
              isOperator: self.operator, on: app, baseURL: store.linkBase.url)
            say("Created \(created.email) (\(role)) in \(org).")
            say("password link: \(created.link)")
            if store.linkBase.isGuess { say(StoreOptions.guessedLinkNote) }
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

    struct Link: AsyncParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "Print a new one-time password-setting link for an existing account (e.g. a lost administrator password).",
        discussion: """
          For the instance's operator, who can read the database settings: earlier links of the account stop \
          working, the account keeps its password until the link is used, and the audit trail records the link \
          (actor cli). Using the link ends the account's sessions and revokes its API tokens.
          """)

      @OptionGroup var store: StoreOptions

      @Option(help: "The account's e-mail address.")
      var email: String

      func validate() throws {
        guard EmailAddress.isValid(EmailAddress.normalise(email)) else {
          throw ValidationError("--email is not a valid e-mail address (got \(email))")
        }
      }

      func run() async throws {
        try await withApplication(store) { app in
          do {
            let issued = try await AdminCommands.passwordLink(email: email, on: app, baseURL: store.linkBase.url)
            say("password link: \(issued.link)")
            if store.linkBase.isGuess { say(StoreOptions.guessedLinkNote) }
            say("The link works once and expires in \(issued.hours) hours; give it to \(issued.email) only.")
          } catch AdminCommands.Failure.unknownAccount {
            throw UsageError("no account with e-mail \(EmailAddress.normalise(email)); see mamori user list --org SLUG")
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

