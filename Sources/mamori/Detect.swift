import ArgumentParser
import Foundation
import MamoriCore
import MamoriWeb

extension Mamori {
  struct Detect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Find signs of leakage in access logs: the seven rules of docs/detection.md.",
      discussion: """
        Reads the people, the register of assets and the grants, either from CSV files (--people, --assets, \
        --grants) or from an organisation's register in Mamori's database (--org, with the same --data-dir or \
        DATABASE_URL as mamori serve), and one or more events files (CSV, UTF-8), and writes one alert per rule \
        and key. Bad rows are reported as FILE:LINE: reason; without --skip-invalid any bad row means no alerts \
        and exit status 2.
        """)

    @OptionGroup var store: StoreOptions

    @Option(help: "Read people, assets and grants from this organisation's register (its slug) instead of CSV files.")
    var org: String?

    @Option(help: "People CSV: user_id (required), name, department, employment_type, exit_date, notice_date.")
    var people: String?

    @Option(help: "Assets CSV (the register of information to protect): asset_id, name, location, level.")
    var assets: String?

    @Option(help: "Grants CSV: user_id, asset_id. Nothing else is granted.")
    var grants: String?

    @Option(help: "Events CSV: timestamp, user_id, action, object, bytes. Repeat for several files.")
    var events: [String]

    @Option(help: "jsonl (one JSON object per alert), csv, or table (for people, in their language).")
    var format: String = "jsonl"

    @Option(help: "Write the alerts to this file instead of standard output.")
    var output: String?

    @Flag(name: .customLong("skip-invalid"), help: "Skip bad rows (counted and reported on standard error) instead of stopping.")
    var skipInvalid = false

    @Option(help: "Language of the table: ja or en. (default: from LC_ALL, LC_MESSAGES or LANG; Japanese otherwise)")
    var lang: String?

    @Option(help: "Threads to parse with. (default: the number of CPU cores)")
    var threads: Int?

    @Flag(help: "Print on standard error how long each phase took and how fast events were read.")
    var stats = false

    func validate() throws {
      guard AlertFormat(rawValue: format) != nil else {
        throw ValidationError("--format must be jsonl, csv or table (got \(format))")
      }
      if let lang, Language(rawValue: lang) == nil { throw ValidationError("--lang must be ja or en (got \(lang))") }
      if let threads, !(1...256).contains(threads) { throw ValidationError("--threads must be between 1 and 256") }
      let files = [("--people", people), ("--assets", assets), ("--grants", grants)]
      if org != nil {
        let given = files.filter { $0.1 != nil }.map(\.0)
        guard given.isEmpty else {
          throw ValidationError("--org reads people, assets and grants from the register; leave out \(given.joined(separator: ", "))")
        }
      } else {
        let missing = files.filter { $0.1 == nil }.map(\.0)
        guard missing.isEmpty else {
          throw ValidationError("give --org SLUG, or all of --people, --assets and --grants (missing: \(missing.joined(separator: ", ")))")
        }
      }
      if events.isEmpty { throw ValidationError("give at least one --events file") }
    }

    func language() -> Language { CommandLanguage.resolve(lang) }

    func run() async throws {
      let started = Date()
      let format = AlertFormat(rawValue: format)!
      var catalog: LocaleCatalog?
      if format == .table {
        do {
          let folder = try AppSettings.locateResources(explicit: store.value(store.resourcesDirectory, "MAMORI_RESOURCES_DIR"))
          catalog = try LocaleCatalog.load(directory: URL(fileURLWithPath: folder).appendingPathComponent("Locales"))
        } catch {
          throw UsageError("\(error)")
        }
      }
      var register: DetectionRegister?
      if let org {
        register = try await withApplication(store) { app in
          do {
            return try await RegisterCommands.detectionRegister(organisationSlug: org, on: app)
          } catch RegisterCommands.Failure.unknownOrganisation(let slug) {
            throw UsageError("no organisation with slug \(slug)")
          }
        }
      }
      var firstReasons: [String] = []
      let report: LeakDetector.Report
      do {
        let options = LeakDetector.Options(skipInvalid: skipInvalid, threads: threads)
        let onError = { (error: InputError) in
          if skipInvalid {
            if firstReasons.count < 10 { firstReasons.append(error.description) }
          } else {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
          }
        }
        if let register {
          report = try LeakDetector.run(register: register, events: events.map { .init(path: $0) }, options: options, onError: onError)
        } else {
          report = try LeakDetector.run(
            people: .init(path: people!), assets: .init(path: assets!), grants: .init(path: grants!),
            events: events.map { .init(path: $0) }, options: options, onError: onError)
        }
      } catch let error as InputError {
        for reason in firstReasons { FileHandle.standardError.write(Data((reason + "\n").utf8)) }
        FileHandle.standardError.write(Data((error.description + "\n").utf8))
        throw ExitCode(2)
      }
      if !report.invalidRows.isEmpty {
        if skipInvalid {
          for (file, count) in report.invalidRows {
            FileHandle.standardError.write(Data("mamori detect: skipped \(count) invalid row\(count == 1 ? "" : "s") in \(file)\n".utf8))
          }
          for reason in firstReasons { FileHandle.standardError.write(Data((reason + "\n").utf8)) }
        } else {
          let total = report.invalidRows.reduce(0) { $0 + $1.count }
          FileHandle.standardError.write(
            Data("mamori detect: \(total) invalid row\(total == 1 ? "" : "s"); no alerts written (use --skip-invalid to skip them)\n".utf8))
          throw ExitCode(2)
        }
      }
      let writing = Date()
      try write(report, format: format, catalog: catalog)
      if stats {
        let t = report.timings
        let total = Date().timeIntervalSince(started)
        let lines = [
          "events: \(report.events) in \(String(format: "%.3f", total)) s (\(Int(Double(report.events) / max(total, 1e-9))) events/s)",
          String(
            format: "phases: inputs %.3f s, reading %.3f s, parsing %.3f s, alerts %.3f s, writing %.3f s",
            t.inputs, t.reading, t.parsing, t.alerts, Date().timeIntervalSince(writing)),
        ]
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
      }
    }

    func write(_ report: LeakDetector.Report, format: AlertFormat, catalog: LocaleCatalog?) throws {
      var text = ""
      var bytes: [UInt8] = []
      switch format {
      case .jsonl:
        bytes.reserveCapacity(report.alerts.count * 260)
        for alert in report.alerts {
          AlertWriter.appendJSON(alert, to: &bytes)
          bytes.append(10)
        }
      case .csv:
        text = AlertWriter.csvHeader + "\n"
        for alert in report.alerts { text += AlertWriter.csvLine(alert) + "\n" }
      case .table:
        let language = language()
        text = AlertWriter.table(report.alerts, events: report.events, language: language) { key, arguments in
          catalog!.text(key, language, arguments)
        }
      }
      let data = bytes.isEmpty ? Data(text.utf8) : Data(bytes)
      if let output {
        do {
          try data.write(to: URL(fileURLWithPath: output))
        } catch {
          throw UsageError("cannot write \(output): \(error.localizedDescription)")
        }
      } else {
        FileHandle.standardOutput.write(data)
      }
    }
  }

  struct Holidays: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List Japanese national holidays (国民の祝日, 振替休日, 国民の休日) as Mamori computes them.")

    @Option(help: "First year (2000–2099).")
    var from: Int = 2000

    @Option(help: "Last year (2000–2099).")
    var to: Int = 2099

    @Option(help: "csv (date,name,kind) or table.")
    var format: String = "csv"

    func validate() throws {
      guard JapaneseHolidays.supportedYears.contains(from), JapaneseHolidays.supportedYears.contains(to), from <= to else {
        throw ValidationError("--from and --to must be years from 2000 to 2099, --from first")
      }
      guard ["csv", "table"].contains(format) else { throw ValidationError("--format must be csv or table (got \(format))") }
    }

    func run() throws {
      let holidays = (from...to).flatMap { JapaneseHolidays.holidays(in: $0) }
      let rows = holidays.map { [$0.date.iso, $0.name, $0.kind.rawValue] }
      if format == "csv" {
        FileHandle.standardOutput.write(Data((["date,name,kind"] + rows.map { $0.joined(separator: ",") }).joined(separator: "\n").utf8 + [10]))
      } else {
        FileHandle.standardOutput.write(Data((TextColumns.render(header: ["DATE", "NAME", "KIND"], rows: rows) + "\n").utf8))
      }
    }
  }
}
