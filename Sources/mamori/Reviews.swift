import ArgumentParser
import Foundation
import MamoriCore
import MamoriWeb

extension Mamori {
  struct Reviews: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "reviews",
      abstract: "List and open access review campaigns, in which asset owners confirm or revoke the grants to their assets.",
      subcommands: [List.self, Open.self])

    struct List: AsyncParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "List an organisation's access review campaigns, newest first, with decided and total grants.",
        discussion: """
          The state is running, overdue (past the due date and not closed) or closed, on the organisation's today. \
          The JSON is a list of {"name", "starts_on", "due_on", "closed_on" (or null), "state", "decided", "total"}.
          """)

      @OptionGroup var store: StoreOptions

      @Option(help: "The organisation's slug.")
      var org: String

      @Option(help: "json (a list of objects) or table.")
      var format: OutputFormat = .table

      func run() async throws {
        let campaigns = try await withApplication(store) { app in
          try await Reviews.mapFailures { try await ReviewCommands.list(organisationSlug: org, on: app) }
        }
        switch format {
        case .json:
          say(campaigns.isEmpty ? "[]" : "[\n" + campaigns.map(\.json).joined(separator: ",\n") + "\n]")
        case .table:
          say(Reviews.table(campaigns))
        }
      }
    }

    struct Open: AsyncParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "Open an access review campaign today with every grant in force; each asset's owner reviews its grants.",
        discussion: """
          One campaign runs at a time: close the running one on its page first. Bad input (an empty name, a due date \
          in the past or more than a year ahead, a campaign still running) is printed and nothing is opened (exit \
          status 2). Audited with the actor cli.
          """)

      @OptionGroup var store: StoreOptions

      @Option(help: "The organisation's slug.")
      var org: String

      @Option(help: "The campaign's name, e.g. \"FY2026 Q3\".")
      var name: String

      @Option(help: "The last day for decisions, YYYY-MM-DD (today at the earliest, within a year).")
      var due: String

      @Option(help: "json (one object) or table.")
      var format: OutputFormat = .table

      func run() async throws {
        let campaign = try await withApplication(store) { app in
          try await Reviews.mapFailures { try await ReviewCommands.open(organisationSlug: org, name: name, due: due, on: app) }
        }
        switch format {
        case .json: say(campaign.json)
        case .table: say("Opened access review \(campaign.name) with \(campaign.total) grant(s), due \(campaign.dueOn.iso)")
        }
      }
    }

    /// Unknown organisations and bad input are misuse (exit status 2).
    static func mapFailures<T>(_ body: () async throws -> T) async throws -> T {
      do {
        return try await body()
      } catch ReviewCommands.Failure.unknownOrganisation(let slug) {
        throw UsageError("no organisation with slug \(slug)")
      } catch ReviewCommands.Failure.invalid(let problems) {
        throw UsageError(problems.joined(separator: "\n"))
      }
    }

    static func table(_ campaigns: [ReviewCommands.Summary]) -> String {
      let header = ["NAME", "STARTS", "DUE", "STATE", "DECIDED"]
      let rows = campaigns.map { [$0.name, $0.startsOn.iso, $0.dueOn.iso, $0.state, "\($0.decided)/\($0.total)"] }
      var widths = header.map(\.count)
      for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
      func line(_ cells: [String]) -> String {
        cells.enumerated().map { index, cell in
          index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
        }.joined(separator: "  ")
      }
      return ([line(header)] + rows.map(line) + ["\(campaigns.count) campaign(s)"]).joined(separator: "\n")
    }
  }
}
