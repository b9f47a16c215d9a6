import ArgumentParser
import Foundation
import MamoriCore
import MamoriWeb

extension Mamori {
  struct LeaversCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "leavers",
      abstract: "Leaver checklists of an organisation.",
      subcommands: [List.self])

    struct List: AsyncParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "List leavers with their checklist's progress and overdue items.",
        discussion: """
          One row per leaver case, by last working day. The JSON is a list of {"person_id" (login name), "name", \
          "employment_type", "notice_date", "exit_date", "leaving_date", "status", "done", "total", "overdue" (the \
          kinds of overdue items), "next_due"}.
          """)

      @OptionGroup var store: StoreOptions

      @Option(help: "The organisation's slug.")
      var org: String

      @Option(help: "json (a list of objects) or table.")
      var format: OutputFormat = .table

      @Flag(help: "Include done and withdrawn cases, not only those in progress.")
      var all = false

      func run() async throws {
        let leavers = try await withApplication(store) { app in
          do {
            return try await RegisterCommands.leavers(organisationSlug: org, all: all, on: app)
          } catch RegisterCommands.Failure.unknownOrganisation(let slug) {
            throw UsageError("no organisation with slug \(slug)")
          }
        }
        let text = format == .json ? LeaverWriter.json(leavers) : LeaverWriter.table(leavers)
        FileHandle.standardOutput.write(Data(text.utf8))
      }
    }
  }
}
