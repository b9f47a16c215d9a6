import Fluent
import Foundation
import Logging
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

/// Operations as docs/operations.md describes them (issue 11): the installed layout, the command line on
/// a missing or foreign database, migrations that say what they did, file modes, TLS flags, links, proxy
/// headers and logs.
@Suite("Operations as documented")
struct InstallTests {
  struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Runs `executable` (a path, or a name looked up in `PATH` through /usr/bin/env) in `folder`, with the
  /// environment of the tests minus every MAMORI_ and DATABASE_URL variable, plus `environment`.
  static func run(
    _ executable: String, _ arguments: [String], in folder: URL, environment extra: [String: String] = [:]
  ) throws -> Run {
    let process = Process()
    if executable.contains("/") {
      process.executableURL = URL(fileURLWithPath: executable)
      process.arguments = arguments
    } else {
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = [executable] + arguments
    }
    process.currentDirectoryURL = folder
    var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("MAMORI_") && $0.key != "DATABASE_URL" }
    environment["MAMORI_LOG_LEVEL"] = "warning"
    environment.merge(extra) { $1 }
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

  static func mamori(_ arguments: [String], in folder: URL, environment: [String: String] = [:]) throws -> Run {
    try run(CLITests.executable.path, arguments, in: folder, environment: environment)
  }

  static func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-ops-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  static func mode(_ url: URL) throws -> Int {
    try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int)
  }

  @Test("installed as the docs say (bin/mamori, share/mamori/Resources), it runs by name from another folder")
  func installedLayout() throws {
    let root = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let prefix = root.appendingPathComponent("usr/local")
    let bin = prefix.appendingPathComponent("bin")
    let share = prefix.appendingPathComponent("share/mamori")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: share, withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: CLITests.executable, to: bin.appendingPathComponent("mamori"))
    try FileManager.default.copyItem(at: Repository.resources, to: share.appendingPathComponent("Resources"))
    let elsewhere = root.appendingPathComponent("home")
    try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
    let path = ["PATH": bin.path + ":/usr/bin:/bin"]
    let data = root.appendingPathComponent("var/lib/mamori")

    let migrated = try Self.run("mamori", ["migrate", "--data-dir", data.path], in: elsewhere, environment: path)
    #expect(migrated.status == 0, "\(migrated.stderr)")
    #expect(migrated.stdout.hasPrefix("Applied \(MamoriMigrations.all.count) migrations:"))
    let listed = try Self.run("mamori", ["org", "list", "--data-dir", data.path], in: elsewhere, environment: path)
    #expect(listed.status == 0, "\(listed.stderr)")
    #expect(listed.stdout.hasPrefix("SLUG"))

    try FileManager.default.removeItem(at: share)
    let lost = try Self.run("mamori", ["org", "list", "--data-dir", data.path], in: elsewhere, environment: path)
    #expect(lost.status == 2)
    #expect(lost.stderr.contains("cannot find Mamori's Resources folder"))
    #expect(lost.stderr.contains(elsewhere.appendingPathComponent("Resources").path))
    #expect(lost.stderr.contains(share.appendingPathComponent("Resources").path))
    #expect(lost.stderr.contains("--resources-dir"))
  }

  @Test("the folders searched for Resources include share/mamori next to bin")
  func resourceCandidates() {
    let candidates = AppSettings.resourceCandidates(executablePath: "/opt/mamori/bin/mamori", workingDirectory: "/home/x")
    #expect(candidates.first == "/home/x/Resources")
    #expect(candidates.contains("/opt/mamori/share/mamori/Resources"))
    #expect(candidates.contains("/opt/mamori/bin/Resources"))
  }

  @Test("commands other than serve and migrate refuse a missing database, naming where they looked, and create nothing")
  func missingDatabase() async throws {
    let root = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    for arguments in [["org", "list"], ["user", "list", "--org", "x"], ["audit", "verify"], ["user", "link", "--email", "a@b.example"]] {
      let result = try Self.mamori(arguments, in: root, environment: ["MAMORI_RESOURCES_DIR": Repository.resources.path])
      #expect(result.status == 2, "\(arguments): \(result.stderr)")
      #expect(result.stderr.contains("no Mamori database at \(root.path)/data/mamori.sqlite"), "\(result.stderr)")
      #expect(result.stdout.isEmpty)
    }
    #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("data").path))

    if let base = TestDatabase.postgresURL {
      let empty = try await TestDatabase.makePostgres(base: base)
      let result = try Self.mamori(["org", "list"], in: Repository.root, environment: ["DATABASE_URL": empty.url])
      try await empty.drop()
      #expect(result.status == 2)
      #expect(result.stderr.contains("holds no Mamori schema"), "\(result.stderr)")
    }
  }

  @Test("messages name a PostgreSQL database without its password")
  func describeDatabase() {
    let text = Runner.describe(.postgres(url: "postgres://mamori:s3cret@db.example:5432/mamori"))
    #expect(text == "postgres://mamori:***@db.example:5432/mamori")
  }

  @Test("PostgreSQL failures show the server's message")
  func postgresMessage() throws {
    guard let base = TestDatabase.postgresURL, var components = URLComponents(string: base) else { return }
    components.path = "/mamori_no_such_database"
    let result = try Self.mamori(["org", "list"], in: Repository.root, environment: ["DATABASE_URL": components.string!])
    #expect(result.status == 1)
    #expect(result.stderr.contains("database \"mamori_no_such_database\" does not exist"), "\(result.stderr)")
    #expect(!result.stderr.contains("Generic description"))
  }

  @Test("migrate says what it applied; --revert needs --yes, lists what it drops and never reverts the initial schema")
  func migrateAndRevert() async throws {
    let root = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let data = root.appendingPathComponent("data")
    let first = try Self.mamori(["migrate", "--data-dir", data.path], in: Repository.root)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("Applied \(MamoriMigrations.all.count) migrations:"))
    #expect(first.stdout.contains("  MamoriWeb.CreateUser"))
    let again = try Self.mamori(["migrate", "--data-dir", data.path], in: Repository.root)
    #expect(again.stdout == "Nothing to do: all \(MamoriMigrations.all.count) migrations were already applied.\n")

    let initial = try Self.mamori(["migrate", "--revert", "--yes", "--data-dir", data.path], in: Repository.root)
    #expect(initial.status == 2)
    #expect(initial.stderr.contains("initial schema"), "\(initial.stderr)")
    #expect(try Self.mamori(["migrate", "--yes", "--data-dir", data.path], in: Repository.root).status == 2)

    // As if the newest migration had come with an upgrade, in a batch of its own.
    let newest = try #require(MamoriMigrations.all.last).name
    let settings = AppSettings(
      database: .sqlite(path: data.appendingPathComponent("mamori.sqlite").path), dataDirectory: data.path,
      resourcesDirectory: Repository.resources.path)
    try await Runner.withConfigured(settings: settings) { app in
      try await (app.db as! any SQLDatabase).raw("UPDATE _fluent_migrations SET batch = 2 WHERE name = \(bind: newest)").run()
    }
    let asked = try Self.mamori(["migrate", "--revert", "--data-dir", data.path], in: Repository.root)
    #expect(asked.status == 2)
    #expect(asked.stderr.contains("--revert would undo batch 2"), "\(asked.stderr)")
    #expect(asked.stderr.contains("  \(newest)"))
    #expect(asked.stderr.contains("--yes"))
    let plan = try await Runner.revertPlan(settings: settings)
    #expect(plan.names == [newest])

    let reverted = try Self.mamori(["migrate", "--revert", "--yes", "--data-dir", data.path], in: Repository.root)
    #expect(reverted.status == 0, "\(reverted.stderr)")
    #expect(reverted.stdout == "Reverted batch 2 (1 migration):\n  \(newest)\n")
    // A command now finds the schema older than itself and refuses rather than migrating.
    let behind = try Self.mamori(["org", "list", "--data-dir", data.path], in: Repository.root)
    #expect(behind.status == 2)
    #expect(behind.stderr.contains("older than this mamori"), "\(behind.stderr)")
    let caughtUp = try Self.mamori(["migrate", "--data-dir", data.path], in: Repository.root)
    #expect(caughtUp.stdout == "Applied 1 migration:\n  \(newest)\n")

    // A schema from a newer version is refused by the commands and by migrate.
    try await Runner.withConfigured(settings: settings) { app in
      try await (app.db as! any SQLDatabase).raw(
        "INSERT INTO _fluent_migrations (id, name, batch) VALUES (\(bind: UUID()), 'MamoriWeb.FromTheFuture', 3)"
      ).run()
    }
    for arguments in [["org", "list"], ["migrate"]] {
      let newer = try Self.mamori(arguments + ["--data-dir", data.path], in: Repository.root)
      #expect(newer.status == 2)
      #expect(newer.stderr.contains("migrated by a newer Mamori"), "\(newer.stderr)")
      #expect(newer.stderr.contains("MamoriWeb.FromTheFuture"))
    }
  }

  @Test("the data folder is created 0700 and the SQLite files 0600")
  func fileModes() throws {
    let root = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let data = root.appendingPathComponent("state/mamori")
    let result = try Self.mamori(["migrate", "--data-dir", data.path], in: Repository.root)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try Self.mode(data) == 0o700)
    let files = try FileManager.default.contentsOfDirectory(atPath: data.path).filter { $0.hasPrefix("mamori.sqlite") }
    #expect(files.contains("mamori.sqlite"))
    for file in files {
      #expect(try Self.mode(data.appendingPathComponent(file)) == 0o600, "\(file)")
    }
  }

  @Test("TLS files are checked at start: a message naming the flag, exit status 2")
  func tlsFlags() throws {
    let root = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let data = ["--data-dir", root.appendingPathComponent("data").path]
    let missing = try Self.mamori(["serve", "--tls-cert", "/nonexistent", "--tls-key", "/nonexistent"] + data, in: Repository.root)
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("--tls-cert /nonexistent: the file does not exist"), "\(missing.stderr)")
    let text = root.appendingPathComponent("cert.pem")
    try Data("not a certificate\n".utf8).write(to: text)
    let wrong = try Self.mamori(["serve", "--tls-cert", text.path, "--tls-key", text.path] + data, in: Repository.root)
    #expect(wrong.status == 2)
    #expect(wrong.stderr.contains("--tls-cert \(text.path): not a PEM certificate"), "\(wrong.stderr)")
    let alone = try Self.mamori(["serve", "--tls-cert", text.path] + data, in: Repository.root)
    #expect(alone.status == 2)
    #expect(alone.stderr.contains("--tls-cert and --tls-key go together"))
    #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("data").path))
  }

  @Test("a --public-url with a path is refused clearly")
  func publicURLPath() throws {
    let result = try Self.mamori(["org", "list", "--public-url", "https://intra.example.co.jp/mamori/"], in: Repository.root)
    #expect(result.status == 2)
    #expect(result.stderr.contains("--public-url must be the root of a host"), "\(result.stderr)")
    #expect(try AppSettings.checkPublicURL("https://mamori.example.co.jp/") == "https://mamori.example.co.jp")
    #expect(try AppSettings.checkPublicURL("http://10.0.0.5:8080") == "http://10.0.0.5:8080")
    #expect(throws: SettingsError.self) { try AppSettings.checkPublicURL("https://x.example/?a=b") }
    #expect(throws: SettingsError.self) { try AppSettings.checkPublicURL("mamori.example.co.jp") }
  }

  @Test("user link prints a password link on the configured public URL, audited; without one it says the link is a guess")
  func passwordLink() async throws {
    let root = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    var postgres: (url: String, drop: @Sendable () async throws -> Void)?
    if let base = TestDatabase.postgresURL { postgres = try await TestDatabase.makePostgres(base: base) }
    var environment: [String: String] = [:]
    if let url = postgres?.url { environment["DATABASE_URL"] = url }
    let data = ["--data-dir", root.appendingPathComponent("data").path]
    func mamori(_ arguments: [String]) throws -> Run { try Self.mamori(arguments + data, in: Repository.root, environment: environment) }

    #expect(try mamori(["migrate"]).status == 0)
    #expect(try mamori(["org", "create", "aoba", "あおば"]).status == 0)
    let created = try mamori(
      ["user", "create", "--org", "aoba", "--email", "admin@aoba.example", "--role", "admin", "--public-url", "https://mamori.example.co.jp:8443/"])
    #expect(created.status == 0, "\(created.stderr)")
    #expect(created.stdout.contains("password link: https://mamori.example.co.jp:8443/set-password/"))
    #expect(!created.stdout.contains("guess"))

    let guessed = try mamori(["user", "link", "--email", "Admin@Aoba.example"])
    #expect(guessed.status == 0, "\(guessed.stderr)")
    #expect(guessed.stdout.contains("password link: http://127.0.0.1:8080/set-password/"))
    #expect(guessed.stdout.contains("This address is a guess"))

    var withURL = environment
    withURL["MAMORI_PUBLIC_URL"] = "https://mamori.example.co.jp"
    let link = try Self.mamori(["user", "link", "--email", "admin@aoba.example"] + data, in: Repository.root, environment: withURL)
    #expect(link.status == 0, "\(link.stderr)")
    let url = try #require(link.stdout.firstMatch(of: /password link: (https:\/\/mamori\.example\.co\.jp\/set-password\/[A-Za-z0-9_\-]{43})\n/)?.1)
    #expect(!url.isEmpty)
    #expect(!link.stdout.contains("guess"))

    let unknown = try mamori(["user", "link", "--email", "nobody@aoba.example"])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("no account with e-mail nobody@aoba.example"))

    let trail = try mamori(["audit", "export", "--org", "aoba"])
    let links = trail.stdout.split(separator: "\n").filter { $0.contains("user.password_link") }
    #expect(links.count == 3, "\(trail.stdout)")
    #expect(links.allSatisfy { $0.contains("\"actor\":\"cli\"") })
    #expect(try mamori(["audit", "verify"]).status == 0)
    try await postgres?.drop()
  }

  @Test("with --trust-proxy, the proxy's X-Forwarded-Proto decides Secure cookies and HSTS; a backend port is plain HTTP")
  func proxyHeaders() async throws {
    func cookiesAndHSTS(_ app: Application, headers: HTTPHeaders) async throws -> (secure: Bool, hsts: Bool) {
      let response = try await app.send(.GET, "/login", headers: headers)
      let cookies = response.headers[.setCookie]
      #expect(!cookies.isEmpty)
      return (cookies.allSatisfy { $0.contains("Secure") }, response.headers.first(name: .strictTransportSecurity) != nil)
    }
    try await withApp(TestOptions(configure: { $0.trustProxy = true; $0.publicURL = "https://mamori.example.co.jp" })) { app, _ in
      let direct = try await cookiesAndHSTS(app, headers: [:])
      #expect(direct.secure == false)
      #expect(direct.hsts == false)
      let proxied = try await cookiesAndHSTS(app, headers: ["X-Forwarded-Proto": "https"])
      #expect(proxied.secure)
      #expect(proxied.hsts)
    }
    try await withApp(TestOptions(configure: { $0.publicURL = "https://mamori.example.co.jp" })) { app, _ in
      let untrusted = try await cookiesAndHSTS(app, headers: ["X-Forwarded-Proto": "http"])
      #expect(untrusted.secure)
    }
  }

  @Test("no bcrypt hash reaches the log, even with SQL logged at trace level")
  func noHashesInLogs() async throws {
    final class Lines: @unchecked Sendable {
      let lock = NSLock()
      var all: [String] = []
      func add(_ line: String) { lock.withLock { all.append(line) } }
    }
    let lines = Lines()
    try await withApp { app, _ in
      app.logger = Logger(label: "test") { label in
        MamoriLogHandler(label: label, level: .trace, format: .json, write: { lines.add($0) })
      }
      let tenant = try await Fixture.tenant("logs", on: app)
      let hash = try #require(tenant.admin.passwordHash)
      let user = try #require(try await User.find(tenant.admin.requireID(), on: app.db))
      user.passwordHash = try await app.password.async.hash("another password 1234")
      try await user.save(on: app.db)
      _ = try await User.query(on: app.db).filter(\.$passwordHash == hash).count()
      let logged = lines.lock.withLock { lines.all }
      #expect(logged.contains { $0.contains("query") || $0.contains("SELECT") || $0.contains("UPDATE") }, "SQL is logged at trace")
      #expect(!logged.contains { $0.contains("$2b$") || $0.contains("$2a$") || $0.contains("$2y$") }, "\(logged.filter { $0.contains("$2") })")
    }
    let line = MamoriLogHandler.render(
      format: .text, time: Date(), level: .debug, label: "x", message: "m",
      metadata: ["value": "$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234"], source: "s")
    #expect(line.contains("[bcrypt hash redacted]"))
    #expect(!line.contains("$2b$12$"))
  }
}
