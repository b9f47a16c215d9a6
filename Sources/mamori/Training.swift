import ArgumentParser
import Foundation
import MamoriCore
import MamoriWeb

extension Mamori {
  struct TrainingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "training",
      abstract: "Show an organisation's training courses and who is overdue; record attendance.",
      subcommands: [List.self, Overdue.self, Courses.self, Complete.self])

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

    struct Courses: AsyncParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "List every course of the organisation (its own and the built-in ones in use, retired ones too) with its id.",
        discussion: """
          The id is what `mamori training complete --course` takes. The JSON is a list of {"id", "title", "title_en", \
          "built_in" (the built-in course's id, null for an own course), "due_days", "due_on", "recurrence_months", \
          "self_declaration", "retired_on", "completions"}.
          """)

      @OptionGroup var store: StoreOptions

      @Option(help: "The organisation's slug.")
      var org: String

      @Option(help: "json (a list of objects) or table.")
      var format: OutputFormat = .table

      func run() async throws {
        let courses = try await withApplication(store) { app in
          try await TrainingCommand.mapFailures { try await TrainingCommands.courses(organisationSlug: org, on: app) }
        }
        let text = format == .json ? TrainingCommands.json(courses) : TrainingCommands.table(courses)
        FileHandle.standardOutput.write(Data(text.utf8))
      }
    }

    struct Complete: AsyncParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "Record that people attended a course on a day (a completion each, method attendance, in the audit trail).",
        discussion: """
          Goes through the attendance page's own operation: the day may not be in the future, the course may not be retired, \
          every login name must be a person of the organisation, or nothing is recorded and the exit status is 2. People \
          already recorded for the course on that day are left as they are.
          """)

      @OptionGroup var store: StoreOptions

      @Option(help: "The organisation's slug.")
      var org: String

      @Option(help: "The course's id (see `mamori training courses`).")
      var course: String

      @Option(name: .customLong("person"), parsing: .upToNextOption, help: "The login names of the people who attended (one or more).")
      var people: [String] = []

      @Option(name: .customLong("on"), help: "The day the training was held (YYYY-MM-DD).")
      var day: String

      func validate() throws {
        if people.isEmpty { throw ValidationError("name at least one person with --person") }
      }

      func run() async throws {
        let made = try await withApplication(store) { app in
          try await TrainingCommand.mapFailures {
            try await TrainingCommands.complete(organisationSlug: org, course: course, loginNames: people, on: day, app: app)
          }
        }
        FileHandle.standardOutput.write(Data("Recorded \(made) completion(s) of \(people.count) person(s) named\n".utf8))
      }
    }

    /// Unknown organisations and bad input are misuse (exit status 2).
    static func mapFailures<T>(_ body: () async throws -> T) async throws -> T {
      do {
        return try await body()
      } catch RegisterCommands.Failure.unknownOrganisation(let slug) {
        throw UsageError("no organisation with slug \(slug)")
      } catch TrainingCommands.CourseFailure.invalid(let problems) {
        throw UsageError(problems.joined(separator: "\n"))
      }
    }
  }
}
