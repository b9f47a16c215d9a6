import ArgumentParser
import Foundation
import MamoriCore
import MamoriWeb

extension Mamori {
  struct TrainingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "training",
      abstract: "Show an organisation's training courses and who is overdue.",
      subcommands: [List.self, Overdue.self])

    struct List: AsyncParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "List the organisation's courses with their terms, assignments and how many people are done, due and overdue.",
        discussion: """
          Built-in courses appear once an officer has assigned them. The JSON is a list of {"id", "title", "built_in", \
          "due_days", "due_on", "recurrence_months", "assignments", "covered", "done", "due", "overdue"}.
          """)

      @OptionGroup var store: StoreOptions

      @Option(help: "The organisation's slug.")
      var org: String

      @Option(help: "json (a list of objects) or table.")
      var format: OutputFormat = .table

      func run() async throws {
        let courses = try await withApplication(store) { app in
          do {
            return try await TrainingCommands.list(organisationSlug: org, on: app)
          } catch RegisterCommands.Failure.unknownOrganisation(let slug) {
            throw UsageError("no organisation with slug \(slug)")
          }
        }
        let text = format == .json ? TrainingCommands.json(courses) : TrainingCommands.table(courses)
        FileHandle.standardOutput.write(Data(text.utf8))
      }
    }

    struct Overdue: AsyncParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "List the people past the due day of a course assigned to them, on the organisation's today.",
        discussion: """
          The same people as the training-overdue findings. The JSON is a list of {"person_id" (login name), "name", \
          "department" (or null), "course", "due_on"}.
          """)

      @OptionGroup var store: StoreOptions

      @Option(help: "The organisation's slug.")
      var org: String

      @Option(help: "json (a list of objects) or table.")
      var format: OutputFormat = .table

      func run() async throws {
        let lines = try await withApplication(store) { app in
          do {
            return try await TrainingCommands.overdue(organisationSlug: org, on: app)
          } catch RegisterCommands.Failure.unknownOrganisation(let slug) {
            throw UsageError("no organisation with slug \(slug)")
          }
        }
        let text = format == .json ? TrainingCommands.json(lines) : TrainingCommands.table(lines)
        FileHandle.standardOutput.write(Data(text.utf8))
      }
    }
  }
}
