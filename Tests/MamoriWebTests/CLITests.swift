import ArgumentParser
import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

@testable import mamori

/// The command line: its help text (pinned as snapshots), its exit statuses and its output, by running
/// the built `mamori` executable the way an operator would.
@Suite("Command line")
struct CLITests {
  static let commands: [(String, any ParsableCommand.Type)] = [
    ("mamori", Mamori.self), ("serve", Mamori.Serve.self), ("migrate", Mamori.Migrate.self),
    ("org-create", Mamori.Org.Create.self), ("org-list", Mamori.Org.List.self),
    ("user-create", Mamori.UserCommand.Create.self), ("user-list", Mamori.UserCommand.List.self),
  ]

  @Test("the help text of every command is pinned", arguments: commands.map(\.0))
  func help(name: String) throws {
    let command = try #require(Self.commands.first { $0.0 == name }?.1)
    try assertSnapshot(Mamori.helpMessage(for: command, columns: 100) + "\n", named: "cli-help-\(name).txt")
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

  func run(_ arguments: [String], dataDirectory: URL, databaseURL: String? = nil) throws -> Run {
    let process = Process()
    process.executableURL = Self.executable
    process.arguments = arguments + ["--data-dir", dataDirectory.path]
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
    let created = try run(["org", "create", "kobe-kikai", "神戸機械株式会社"], dataDirectory: folder)
    #expect(created.status == 0, "\(created.stderr)")
    #expect(created.stdout.contains("Created organisation kobe-kikai"))
    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("mamori.sqlite").path) == (databaseURL == nil))

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
    (["org", "list", "--frobnicate"], "Unknown option '--frobnicate'"),
  ])
  func badArguments(arguments: [String], message: String) throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try run(arguments, dataDirectory: folder)
    #expect(result.status == 2, "\(arguments) exited \(result.status): \(result.stderr)")
    #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
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
