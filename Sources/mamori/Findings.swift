import ArgumentParser
import Foundation
import MamoriCore
import MamoriWeb

extension Mamori {
  struct FindingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "findings",
      abstract: "List the register's findings (leavers holding grants, expired grants, assets without an owner, key persons…).",
      discussion: """
        Computed from the register on the organisation's today, as the findings page shows them. The JSON is a \
        list of {"kind", "severity", "person_id" (login name or null), "asset_id" (or null), "detail"}.
        """)

    @OptionGroup var store: StoreOptions

    @Option(help: "The organisation's slug.")
    var org: String

    @Option(help: "json (a list of objects) or table.")
    var format: OutputFormat = .table

    func run() async throws {
      let findings = try await withApplication(store) { app in
        do {
          return try await RegisterCommands.findings(organisationSlug: org, on: app)
        } catch RegisterCommands.Failure.unknownOrganisation(let slug) {
          throw UsageError("no organisation with slug \(slug)")
        }
      }
      let text = format == .json ? FindingsWriter.json(findings) : FindingsWriter.table(findings)
      FileHandle.standardOutput.write(Data(text.utf8))
    }
  }
}
