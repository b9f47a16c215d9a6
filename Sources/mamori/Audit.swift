import ArgumentParser
import Foundation
import MamoriCore
import MamoriWeb

extension Mamori {
  struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "audit", abstract: "Check and export the hash-chained audit trail.", subcommands: [Verify.self, Export.self])

    struct Verify: AsyncParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "Check every chain (or one organisation's): exit 0 with the count, 1 naming the first entry that does not fit.")

      @OptionGroup var store: StoreOptions

      @Option(help: "Only this organisation's chain (its slug).")
      var org: String?

      func run() async throws {
        let reports = try await withApplication(store) { app in
          do {
            return try await AuditCommands.verify(organisationSlug: org, on: app)
          } catch AuditCommands.Failure.unknownOrganisation(let slug) {
            throw UsageError("no organisation with slug \(slug)")
          }
        }
        var broken = false
        for report in reports {
          switch report.verdict {
          case .intact(let count):
            say("\(report.name): \(count) entries, intact")
          case .broken(let seq, let reason):
            broken = true
            say("\(report.name): entry \(seq) \(reason)")
          }
        }
        if reports.isEmpty { say("no audit entries yet") }
        if broken { throw ExitCode(1) }
      }
    }

    struct Export: AsyncParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "Write an organisation's audit trail, one entry a line (seq, at, actor, action, record_type, record_id, before, after, prev_hash, hash).")

      @OptionGroup var store: StoreOptions

      @Option(help: "The organisation's slug, or platform for the operator's chain.")
      var org: String

      @Option(help: "jsonl (one JSON object a line) or csv.")
      var format: ExportFormat = .jsonl

      @Option(help: "Write to this file instead of standard output.")
      var output: String?

      enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
        case jsonl
        case csv
      }

      func run() async throws {
        let lines = try await withApplication(store) { app in
          do {
            return try await AuditCommands.export(
              organisationSlug: org, format: format == .csv ? .csv : .jsonl, on: app)
          } catch AuditCommands.Failure.unknownOrganisation(let slug) {
            throw UsageError("no organisation with slug \(slug)")
          }
        }
        let text = lines.map { $0 + "\n" }.joined()
        if let output {
          do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output))
          } catch {
            throw UsageError("cannot write \(output): \(error.localizedDescription)")
          }
        } else {
          FileHandle.standardOutput.write(Data(text.utf8))
        }
      }
    }
  }
}
