import ArgumentParser
import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

@testable import mamori

/// The command line: its help text (pinned as snapshots), its exit statuses and its output, by running
/// the built `mamori` executable the way an operator would.
@Suite("Command line", .timeLimit(.minutes(5)))
struct CLITests {
  static let commands: [(String, any ParsableCommand.Type)] = [
    ("mamori", Mamori.self), ("serve", Mamori.Serve.self), ("migrate", Mamori.Migrate.self),
    ("org-create", Mamori.Org.Create.self), ("org-list", Mamori.Org.List.self),
    ("user-create", Mamori.UserCommand.Create.self), ("user-list", Mamori.UserCommand.List.self),
    ("user-link", Mamori.UserCommand.Link.self),
    ("detect", Mamori.Detect.self), ("findings", Mamori.FindingsCommand.self),
    ("training", Mamori.TrainingCommand.self), ("training-list", Mamori.TrainingCommand.List.self),
    ("training-overdue", Mamori.TrainingCommand.Overdue.self),
    ("import", Mamori.ImportCommand.self), ("export", Mamori.ExportCommand.self), ("holidays", Mamori.Holidays.self),
    ("checklist", Mamori.Checklist.self), ("checklist-list", Mamori.Checklist.List.self),
    ("checklist-show", Mamori.Checklist.Show.self), ("checklist-score", Mamori.Checklist.Score.self),
    ("checklist-export", Mamori.Checklist.Export.self),
    ("actions", Mamori.Actions.self), ("actions-remind", Mamori.Actions.Remind.self),
    ("reviews", Mamori.Reviews.self), ("reviews-list", Mamori.Reviews.List.self), ("reviews-open", Mamori.Reviews.Open.self),
    ("leavers", Mamori.LeaversCommand.self), ("leavers-list", Mamori.LeaversCommand.List.self),
    ("training-courses", Mamori.TrainingCommand.Courses.self), ("training-complete", Mamori.TrainingCommand.Complete.self),
  ]

  @Test("the help text of every command is pinned", arguments: commands.map(\.0))
  func help(name: String) throws {
    let command = try #require(Self.commands.first { $0.0 == name }?.1)
    try assertSnapshot(Mamori.helpMessage(for: command, columns: 100) + "\n", named: "cli-help-\(name).txt")
  }

  @Test("--help prints the help with exit status 0, for the root and for subcommands", arguments: [
    ["--help"], ["migrate", "--help"], ["org", "list", "--help"], ["audit", "verify", "--help"], ["help", "serve"],
  ])
  func helpFlag(arguments: [String]) throws {
    let result = try run(arguments, dataDirectory: nil)
    #expect(result.status == 0, "\(arguments): \(result.stderr)")
    #expect(result.stdout.contains("USAGE:"), "\(arguments): \(result.stdout)")
  }

  @Test("every option, flag and argument of every command has help")
  func everyOptionHasHelp() throws {
    let dump = try #require(try JSONSerialization.jsonObject(with: Data(Mamori._dumpHelp().utf8)) as? [String: Any])
    var checked = 0
    func walk(_ command: [String: Any], path: String) {
      for argument in command["arguments"] as? [[String: Any]] ?? [] {
        let name = (argument["valueName"] as? String) ?? "?"
        guard !["help", "version"].contains(name) else { continue }
        let abstract = argument["abstract"] as? String ?? ""
        #expect(!abstract.isEmpty, "\(path) \(name) has no help")
        checked += 1
      }
      for sub in command["subcommands"] as? [[String: Any]] ?? [] where sub["commandName"] as? String != "help" {
        walk(sub, path: path + " " + (sub["commandName"] as? String ?? "?"))
      }
    }
    walk(try #require(dump["command"] as? [String: Any]), path: "mamori")
    #expect(checked > 40)
  }

  /// The `mamori` executable next to the test bundle.
  static var executable: URL {
    let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for candidate in [bundle, bundle.deletingLastPathComponent(), Repository.root.appendingPathComponent(".build/debug")] {
      let url = candidate.appendingPathComponent("mamori")
      if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return Repository.root.appendingPathComponent(".build/debug/mamori")
  }

  struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Runs `mamori` with `arguments` (and `--data-dir` when given, for the commands that open the database).
  func run(_ arguments: [String], dataDirectory: URL?, databaseURL: String? = nil) throws -> Run {
    let process = Process()
    process.executableURL = Self.executable
    process.arguments = arguments + (dataDirectory.map { ["--data-dir", $0.path] } ?? [])
    process.currentDirectoryURL = Repository.root
    var environment = ProcessInfo.processInfo.environment
    environment.removeValue(forKey: "DATABASE_URL")
    if let databaseURL { environment["DATABASE_URL"] = databaseURL }
    environment["MAMORI_LOG_LEVEL"] = "warning"
    process.environment = environment
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }

  func temporaryFolder() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("mamori-cli-\(UUID().uuidString)")
  }

  /// On SQLite in the data folder, and on PostgreSQL through DATABASE_URL when the suites run there.
  @Test("org and user commands work on the same database as serve, and their JSON is the documented shape")
  func administration() async throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var postgres: (url: String, drop: @Sendable () async throws -> Void)?
    if let base = TestDatabase.postgresURL { postgres = try await TestDatabase.makePostgres(base: base) }
    let databaseURL = postgres?.url
    defer { if let drop = postgres?.drop { Task { try? await drop() } } }
    func run(_ arguments: [String], dataDirectory: URL) throws -> Run {
      try self.run(arguments, dataDirectory: dataDirectory, databaseURL: databaseURL)
    }
    let migrated = try run(["migrate"], dataDirectory: folder)
    #expect(migrated.status == 0, "\(migrated.stderr)")
    let created = try run(["org", "create", "kobe-kikai", "神戸機械株式会社"], dataDirectory: folder)
    #expect(created.status == 0, "\(created.stderr)")
    #expect(created.stdout.contains("Created organisation kobe-kikai"))
    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("mamori.sqlite").path) == (databaseURL == nil))

    // The register's findings of a new organisation: none, as an empty JSON list; an unknown slug is misuse.
    let findings = try run(["findings", "--org", "kobe-kikai", "--format", "json"], dataDirectory: folder)
    #expect(findings.status == 0, "\(findings.stderr)")
    #expect(findings.stdout == "[]\n")
    let noFindings = try run(["findings", "--org", "kobe-kikai"], dataDirectory: folder)
    #expect(noFindings.stdout.hasSuffix("0 finding(s)\n"))
    let unknown = try run(["findings", "--org", "nobody"], dataDirectory: folder)
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("no organisation with slug nobody"))

    // Training of a new organisation: no course in use, nobody overdue; an unknown slug is misuse.
    let courses = try run(["training", "list", "--org", "kobe-kikai", "--format", "json"], dataDirectory: folder)
    #expect(courses.status == 0, "\(courses.stderr)")
    #expect(courses.stdout == "[]\n")
    let overdue = try run(["training", "overdue", "--org", "kobe-kikai"], dataDirectory: folder)
    #expect(overdue.status == 0 && overdue.stdout.hasSuffix("0 overdue\n"), "\(overdue.stderr)")
    #expect(try run(["training", "overdue", "--org", "nobody"], dataDirectory: folder).status == 2)
    let noCourses = try run(["training", "courses", "--org", "kobe-kikai", "--format", "json"], dataDirectory: folder)
    #expect(noCourses.status == 0 && noCourses.stdout == "[]\n", "\(noCourses.stderr)")
    let noPerson = try run(["training", "complete", "--org", "kobe-kikai", "--course", UUID().uuidString, "--on", "2026-01-01"], dataDirectory: folder)
    #expect(noPerson.status == 2 && noPerson.stderr.contains("--person"))
    let noCourse = try run(
      ["training", "complete", "--org", "kobe-kikai", "--course", UUID().uuidString, "--person", "a", "b", "--on", "2026-01-01"], dataDirectory: folder)
    #expect(noCourse.status == 2 && noCourse.stderr.contains("no course with id"), "\(noCourse.stderr)")

    // Import all or nothing, FILE:LINE: reason for every bad row; export reads back.
    let fixtures = Repository.root.appendingPathComponent("Tests/Fixtures/register")
    let bad = try run(["import", "--org", "kobe-kikai", "people", fixtures.appendingPathComponent("people-bad.csv").path], dataDirectory: folder)
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("people-bad.csv:3: exit_date: 2026-02-30 is not a date"))
    #expect(bad.stderr.contains("people-bad.csv:6: The row has 2 fields; the header has 6."))
    #expect(bad.stderr.hasSuffix("nothing was imported\n"))
    let good = try run(
      ["import", "--org", "kobe-kikai", "people", fixtures.appendingPathComponent("people-cp932.csv").path], dataDirectory: folder)
    #expect(good.status == 0, "\(good.stderr)")
    #expect(good.stdout.contains("3 created, 0 updated, 0 unchanged"))
    let exported = try run(["export", "--org", "kobe-kikai", "people"], dataDirectory: folder)
    #expect(exported.status == 0)
    #expect(exported.stdout.contains("sato.ichiro,C101,佐藤 一郎,佐藤,一郎,㈱外部委託課,contractor,,2024-04-01,2026-02-01,2026-02-26,2026-03-31,,ja,false\r\n"))

    // The import opened the leaver's checklist; its items are past their due days by now.
    let leavers = try run(["leavers", "list", "--org", "kobe-kikai", "--format", "json"], dataDirectory: folder)
    #expect(leavers.status == 0, "\(leavers.stderr)")
    let cases = try #require(try JSONSerialization.jsonObject(with: Data(leavers.stdout.utf8)) as? [[String: Any]])
    #expect(cases.count == 1)
    #expect(cases.first?["person_id"] as? String == "sato.ichiro")
    #expect(cases.first?["exit_date"] as? String == "2026-02-26" && cases.first?["total"] as? Int == 6)
    #expect((cases.first?["overdue"] as? [String])?.contains("revoke_access") == true)
    let leaversTable = try run(["leavers", "list", "--org", "kobe-kikai", "--all"], dataDirectory: folder)
    #expect(leaversTable.stdout.hasPrefix("PERSON") && leaversTable.stdout.contains("sato.ichiro"))
    #expect(try run(["leavers", "list", "--org", "nobody"], dataDirectory: folder).status == 2)

    let list = try run(["org", "list", "--format", "json"], dataDirectory: folder)
    #expect(list.status == 0)
    let organisations = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
    #expect(organisations.count == 1)
    #expect(organisations[0]["slug"] as? String == "kobe-kikai")
    #expect(organisations[0]["name"] as? String == "神戸機械株式会社")
    #expect(organisations[0]["users"] as? Int == 0)

    let table = try run(["org", "list"], dataDirectory: folder)
    #expect(table.stdout.hasPrefix("SLUG"))
    #expect(table.stdout.contains("神戸機械株式会社"))

    let user = try run(
      ["user", "create", "--org", "kobe-kikai", "--email", "Kanri@Kobe.example", "--role", "officer"], dataDirectory: folder)
    #expect(user.status == 0, "\(user.stderr)")
    let link = try #require(user.stdout.firstMatch(of: /password link: (http:\/\/127\.0\.0\.1:8080\/set-password\/[A-Za-z0-9_\-]{43})/)?.1)
    #expect(!link.isEmpty)

    let users = try run(["user", "list", "--org", "kobe-kikai", "--format", "json"], dataDirectory: folder)
    let rows = try #require(try JSONSerialization.jsonObject(with: Data(users.stdout.utf8)) as? [[String: Any]])
    #expect(rows.count == 1)
    #expect(rows[0]["email"] as? String == "kanri@kobe.example")
    #expect(rows[0]["role"] as? String == "officer")
    #expect(rows[0]["status"] as? String == "invited")
  }

  @Test("bad arguments give a clear error and exit status 2", arguments: [
    (["org", "create", "Bad Slug", "名前"], "SLUG must be"),
    (["org", "create", "ok-slug"], "Missing expected argument '<name>'"),
    (["user", "create", "--org", "nowhere", "--email", "a@b.example", "--role", "member"], "no organisation with slug nowhere"),
    (["user", "create", "--org", "x", "--email", "not-an-address", "--role", "member"], "--email is not a valid e-mail address"),
    (["user", "create", "--org", "x", "--email", "a@b.example", "--role", "boss"], "--role must be admin, officer or member"),
    (["user", "list"], "Missing expected argument '--org <org>'"),
    (["org", "list", "--format", "xml"], "format"),
    (["serve", "--port", "99999"], "--port must be between 1 and 65535"),
    (["serve", "--smtp-url", "smtp://mail.example"], "--smtp-url needs --smtp-from"),
    (["serve", "--smtp-url", "smtp://mail.example", "--smtp-from", "mamori@example.co.jp"], "--smtp-url needs --public-url"),
    (["org", "list", "--frobnicate"], "Unknown option '--frobnicate'"),
    (["serve", "--tls-cert", "/nonexistent", "--tls-key", "/nonexistent"], "--tls-cert /nonexistent: the file does not exist"),
    (["org", "list", "--public-url", "https://intra.example.co.jp/mamori/"], "--public-url must be the root of a host"),
    (["migrate", "--yes"], "--yes goes with --revert"),
  ])
  func badArguments(arguments: [String], message: String) throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // An existing database, so that each case meets the mistake it is about rather than a missing database.
    #expect(try run(["migrate"], dataDirectory: folder).status == 0)
    let result = try run(arguments, dataDirectory: folder)
    #expect(result.status == 2, "\(arguments) exited \(result.status): \(result.stderr)")
    #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
  }

  /// Writes a small detection case and returns the arguments that point at it.
  func detectionFiles(in folder: URL, events: String) throws -> [String] {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let files = [
      "people.csv": "user_id,name,exit_date,notice_date\nu1,田中,,\nu2,グエン,2026-03-31,2026-03-01\n",
      "assets.csv": "asset_id,name,location,level\nA1,図面,/share/設計/図面,secret\n",
      "grants.csv": "user_id,asset_id\nu1,A1\n",
      "events.csv": events,
    ]
    for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
    return ["detect"] + ["people", "assets", "grants", "events"].flatMap {
      ["--\($0)", folder.appendingPathComponent("\($0).csv").path]
    }
  }

  func runDetect(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Run {
    let process = Process()
    process.executableURL = Self.executable
    process.arguments = arguments
    process.currentDirectoryURL = Repository.root
    process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }

  @Test("detect writes JSON lines, CSV or a table in Japanese or English")
  func detectFormats() throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let arguments = try detectionFiles(
      in: folder,
      events: "timestamp,user_id,action,object,bytes\n2026-03-02T23:10:00+09:00,u2,usb_write,/share/設計/図面/A.dwg,52428800\n")
    let jsonl = try runDetect(arguments)
    #expect(jsonl.status == 0, "\(jsonl.stderr)")
    let lines = jsonl.stdout.split(separator: "\n")
    #expect(lines.count == 4)
    #expect(lines[0] == #"{"rule":"departing-transfer","severity":"critical","user_id":"u2","asset_id":"A1","date":"2026-03-02","hour":null,"events":1,"bytes":52428800,"first":"2026-03-02T23:10:00+09:00","last":"2026-03-02T23:10:00+09:00"}"#)

    let csv = try runDetect(arguments + ["--format", "csv"])
    #expect(csv.stdout.hasPrefix("rule,severity,user_id,asset_id,date,hour,events,bytes,first,last\ndeparting-transfer,critical,u2,A1,2026-03-02,,1,52428800,"))

    let japanese = try runDetect(arguments + ["--format", "table"], environment: ["LANG": "ja_JP.UTF-8"])
    #expect(japanese.stdout.contains("2026年3月2日"))
    #expect(japanese.stdout.contains("退職予定者の持ち出し"))
    #expect(japanese.stdout.contains("50.0 MiB"))
    #expect(japanese.stdout.contains("アラート 4件（イベント 1件を分析）"))
    let english = try runDetect(arguments + ["--format", "table", "--lang", "en"], environment: ["LANG": "ja_JP.UTF-8"])
    #expect(english.stdout.contains("2 March 2026"))
    #expect(english.stdout.contains("Transfer by a leaver"))

    let output = folder.appendingPathComponent("alerts.jsonl")
    let written = try runDetect(arguments + ["--output", output.path])
    #expect(written.stdout.isEmpty)
    #expect(try String(contentsOf: output, encoding: .utf8) == jsonl.stdout)
  }

  @Test("detect reports every bad row as FILE:LINE: reason and exits 2; --skip-invalid counts them and goes on")
  func detectBadInput() throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let arguments = try detectionFiles(
      in: folder,
      events: "timestamp,user_id,action,object,bytes\n2026-03-02 10:00:00+09:00,u1,view,/x,1\n2026-03-02T10:00:00Z,u1,usb_write,/share/設計/図面/b,-5\n2026-03-02T10:00:00Z,u2,view,/share/設計/図面/c,\n")
    let eventsPath = folder.appendingPathComponent("events.csv").path
    let refused = try runDetect(arguments)
    #expect(refused.status == 2)
    #expect(refused.stdout.isEmpty)
    #expect(refused.stderr.contains("\(eventsPath):2: has an unparseable timestamp \"2026-03-02 10:00:00+09:00\""))
    #expect(refused.stderr.contains("\(eventsPath):3: has negative bytes -5"))
    #expect(refused.stderr.contains("2 invalid rows; no alerts written"))

    let skipped = try runDetect(arguments + ["--skip-invalid"])
    #expect(skipped.status == 0)
    #expect(skipped.stderr.contains("skipped 2 invalid rows in \(eventsPath)"))
    #expect(skipped.stdout.contains("\"rule\":\"unauthorized-access\""))

    let missing = try runDetect(arguments.dropLast(2) + ["--events", folder.appendingPathComponent("nope.csv").path])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("nope.csv: cannot be read"))
  }

  @Test("detect --org reads the register from the database and writes what the exported CSV files give; mixing both is misuse; .xlsx import and export")
  func detectFromRegister() async throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var postgres: (url: String, drop: @Sendable () async throws -> Void)?
    if let base = TestDatabase.postgresURL { postgres = try await TestDatabase.makePostgres(base: base) }
    let databaseURL = postgres?.url
    defer { if let drop = postgres?.drop { Task { try? await drop() } } }
    func run(_ arguments: [String]) throws -> Run { try self.run(arguments, dataDirectory: folder, databaseURL: databaseURL) }
    #expect(try run(["migrate"]).status == 0)
    #expect(try run(["org", "create", "kobe-kikai", "神戸機械株式会社"]).status == 0)
    let fixtures = Repository.root.appendingPathComponent("Tests/Fixtures/register")
    for (kind, name) in [("people", "people-cp932.csv"), ("assets", "assets-utf8-bom.csv"), ("grants", "grants.csv")] {
      let imported = try run(["import", "--org", "kobe-kikai", kind, fixtures.appendingPathComponent(name).path])
      #expect(imported.status == 0, "\(imported.stderr)")
      let exported = try run(["export", "--org", "kobe-kikai", kind, "--output", folder.appendingPathComponent("\(kind).csv").path])
      #expect(exported.status == 0, "\(exported.stderr)")
    }
    let events = folder.appendingPathComponent("events.csv")
    try Data(RegisterDetectionTests.events.utf8).write(to: events)

    let fromDatabase = try run(["detect", "--org", "kobe-kikai", "--events", events.path])
    #expect(fromDatabase.status == 0, "\(fromDatabase.stderr)")
    #expect(fromDatabase.stdout.split(separator: "\n").count == 8)
    #expect(fromDatabase.stdout.contains(#""rule":"post-exit-activity","severity":"critical","user_id":"sato.ichiro","asset_id":null,"date":"2026-03-02""#))
    let fromFiles = try runDetect(
      ["detect", "--events", events.path]
        + ["people", "assets", "grants"].flatMap { ["--\($0)", folder.appendingPathComponent("\($0).csv").path] })
    #expect(fromFiles.status == 0, "\(fromFiles.stderr)")
    #expect(fromDatabase.stdout == fromFiles.stdout)
    let table = try run(["detect", "--org", "kobe-kikai", "--events", events.path, "--format", "table", "--lang", "en"])
    #expect(table.status == 0 && table.stdout.contains("Transfer by a leaver"), "\(table.stderr)")

    // The register as .xlsx: written by extension, read back by extension or content, nothing changed.
    let workbook = folder.appendingPathComponent("people.xlsx")
    let exported = try run(["export", "--org", "kobe-kikai", "people", "--output", workbook.path])
    #expect(exported.status == 0, "\(exported.stderr)")
    let reimported = try run(["import", "--org", "kobe-kikai", "people", workbook.path])
    #expect(reimported.status == 0 && reimported.stdout.contains("people.xlsx: 0 created, 0 updated, 3 unchanged"), "\(reimported.stderr)")
    let renamed = folder.appendingPathComponent("people-from-excel.csv")
    try FileManager.default.copyItem(at: workbook, to: renamed)
    #expect(try run(["import", "--org", "kobe-kikai", "people", renamed.path]).stdout.contains("0 created, 0 updated, 3 unchanged"))
    let encoded = try run(["import", "--org", "kobe-kikai", "--encoding", "cp932", "people", workbook.path])
    #expect(encoded.status == 2 && encoded.stderr.contains("--encoding is for CSV files"))
    let toStandardOutput = try run(["export", "--org", "kobe-kikai", "people", "--format", "xlsx"])
    #expect(toStandardOutput.status == 2 && toStandardOutput.stderr.contains("--format xlsx needs --output FILE.xlsx"))

    let mixed = try run(["detect", "--org", "kobe-kikai", "--grants", events.path, "--events", events.path])
    #expect(mixed.status == 2 && mixed.stderr.contains("--org reads people, assets and grants from the register; leave out --grants"))
    let neither = try run(["detect", "--people", events.path, "--events", events.path])
    #expect(neither.status == 2 && neither.stderr.contains("give --org SLUG, or all of --people, --assets and --grants (missing: --assets, --grants)"))
    let unknown = try run(["detect", "--org", "nobody", "--events", events.path])
    #expect(unknown.status == 2 && unknown.stderr.contains("no organisation with slug nobody"))
    let badEvents = try run(["detect", "--org", "kobe-kikai", "--events", fixtures.appendingPathComponent("grants.csv").path])
    #expect(badEvents.status == 2 && badEvents.stderr.contains("grants.csv:1: lacks the required columns timestamp, action, object"), "\(badEvents.stderr)")
  }

  @Test("holidays lists the computed calendar")
  func holidays() throws {
    let result = try runDetect(["holidays", "--from", "2026", "--to", "2026"])
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix("date,name,kind\n2026-01-01,元日,national\n"))
    #expect(result.stdout.contains("2026-09-22,休日,citizens"))
    #expect(result.stdout.contains("2026-05-06,休日,substitute"))
    #expect(try runDetect(["holidays", "--from", "1999"]).status == 2)
  }

  @Test("a fresh serve prints a setup link, answers, and stops cleanly on SIGTERM")
  func serveFirstStart() async throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let port = Int.random(in: 20_000...40_000)
    let process = Process()
    process.executableURL = Self.executable
    process.arguments = ["serve", "--port", "\(port)", "--data-dir", folder.path]
    process.currentDirectoryURL = Repository.root
    var environment = ProcessInfo.processInfo.environment
    environment.removeValue(forKey: "DATABASE_URL")
    process.environment = environment
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    defer { if process.isRunning { process.terminate() } }

    var output = ""
    let deadline = Date() + 60
    while !output.contains("setup link: "), Date() < deadline {
      let data = out.fileHandleForReading.availableData
      if data.isEmpty { break }
      output += String(decoding: data, as: UTF8.self)
    }
    let link = try #require(output.firstMatch(of: /setup link: (http:\/\/127\.0\.0\.1:\d+\/setup\/[A-Za-z0-9_\-]+)/)?.1)
    #expect(link.hasPrefix("http://127.0.0.1:\(port)/setup/"))

    var answered = false
    for _ in 0..<50 where !answered {
      if let (_, response) = try? await URLSession.shared.data(from: URL(string: String(link))!),
        (response as? HTTPURLResponse)?.statusCode == 200
      {
        answered = true
      } else {
        try await Task.sleep(for: .milliseconds(200))
      }
    }
    #expect(answered)
    process.terminate()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
  }
}
