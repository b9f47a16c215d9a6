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

extension RegisterFile: ExpressibleByArgument {}
extension TextEncodingChoice: ExpressibleByArgument {}
extension RegisterFormat: ExpressibleByArgument {}

extension Mamori {
  struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "import",
      abstract: "Import people, assets or grants from a CSV file or an .xlsx workbook into an organisation's register, all or nothing.",
      discussion: """
        Columns are those of docs/detection.md (user_id, name, department, employment_type, exit_date, notice_date; \
        asset_id, name, location, level; user_id, asset_id) plus the register's own and the Japanese headers of \
        docs/register.md, in any order and letter case. CSV: UTF-8 with or without BOM, or CP932 (Excel's Japanese \
        CSV). A workbook (.xlsx, or a file that is one) is read from its first sheet, the header in its first row \
        with a value. Every bad row is printed as FILE:LINE: reason (the sheet's row number for a workbook) and \
        nothing is saved (exit status 2).
        """)

    @OptionGroup var store: StoreOptions

    @Option(help: "The organisation's slug.")
    var org: String

    @Option(help: "Of a CSV file: auto (UTF-8 when the file is valid UTF-8, else CP932), utf8 or cp932.")
    var encoding: TextEncodingChoice = .auto

    @Argument(help: "What the file holds: people, assets or grants (import people before assets, assets before grants).")
    var kind: RegisterFile

    @Argument(help: "The CSV file or .xlsx workbook.")
    var file: String

    func run() async throws {
      let url = URL(fileURLWithPath: file)
      let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? nil
      guard let size else { throw UsageError("cannot read \(file)") }
      guard size <= RegisterCSV.maximumBytes else { throw UsageError("\(file): larger than \(RegisterCSV.maximumBytes) bytes") }
      let data: Data
      do { data = try Data(contentsOf: url) } catch { throw UsageError("cannot read \(file): \(error.localizedDescription)") }
      if encoding != .auto, RegisterSheet.isWorkbook(data, fileName: file) {
        throw UsageError("--encoding is for CSV files; \(file) is an .xlsx workbook")
      }
      let outcome = try await withApplication(store) { app in
        do {
          return try await RegisterCommands.importFile(
            organisationSlug: org, file: kind, data: data, fileName: file, encoding: encoding, on: app)
        } catch RegisterCommands.Failure.unknownOrganisation(let slug) {
          throw UsageError("no organisation with slug \(slug)")
        }
      }
      switch outcome {
      case .imported(let lines):
        for line in lines { say(line) }
      case .refused(let lines):
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\nnothing was imported\n").utf8))
        throw ExitCode(2)
      }
    }
  }

  struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "export",
      abstract: "Write an organisation's people, assets or grants as CSV (UTF-8 with BOM, CRLF) or an .xlsx workbook, as mamori import reads them.")

    @OptionGroup var store: StoreOptions

    @Option(help: "The organisation's slug.")
    var org: String

    @Option(help: "Write to this file instead of standard output.")
    var output: String?

    @Option(help: "csv or xlsx. (default: xlsx when --output ends in .xlsx, else csv)")
    var format: RegisterFormat?

    func validate() throws {
      if format == .xlsx, output == nil { throw ValidationError("--format xlsx needs --output FILE.xlsx") }
      if format == .csv, let output, output.lowercased().hasSuffix(".xlsx") {
        throw ValidationError("--format csv cannot be written to \(output); name the file .csv")
      }
    }

    var resolvedFormat: RegisterFormat {
      format ?? (output?.lowercased().hasSuffix(".xlsx") == true ? .xlsx : .csv)
    }

    @Argument(help: "What to write: people, assets or grants (unrevoked grants only).")
    var kind: RegisterFile

    func run() async throws {
      let format = resolvedFormat
      let data = try await withApplication(store) { app in
        do {
          return try await RegisterCommands.exportFile(organisationSlug: org, file: kind, format: format, on: app)
        } catch RegisterCommands.Failure.unknownOrganisation(let slug) {
          throw UsageError("no organisation with slug \(slug)")
        }
      }
      if let output {
        do { try data.write(to: URL(fileURLWithPath: output)) } catch {
          throw UsageError("cannot write \(output): \(error.localizedDescription)")
        }
      } else {
        FileHandle.standardOutput.write(data)
      }
    }
  }
}
