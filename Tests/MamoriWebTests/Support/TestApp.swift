import Fluent
import FluentPostgresDriver
import Foundation
import MamoriTestSupport
import MamoriCore
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

/// Paths of the repository, found from this file so that tests run from any working directory.
enum Repository {
  static let root: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let resources = root.appendingPathComponent("Resources")
  static let fixtures = root.appendingPathComponent("Tests/Fixtures")
  static let snapshots = root.appendingPathComponent("Tests/MamoriWebTests/__Snapshots__")
}

/// The database the server suites run on: in-memory SQLite by default, PostgreSQL when
/// `MAMORI_TEST_DATABASE_URL` is set (each test then gets a database of its own, so tests can run in
/// parallel and never see each other's rows).
enum TestDatabase {
  static var postgresURL: String? {
    let value = ProcessInfo.processInfo.environment["MAMORI_TEST_DATABASE_URL"]
    return value?.isEmpty == false ? value : nil
  }

  static var name: String { postgresURL == nil ? "sqlite" : "postgres" }

  /// Creates a fresh PostgreSQL database and returns its URL and a function that drops it.
  static func makePostgres(base: String) async throws -> (url: String, drop: @Sendable () async throws -> Void) {
    let name = "mamori_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    try await withAdmin(base) { sql in try await sql.raw("CREATE DATABASE \(unsafeRaw: String(name))").run() }
    guard var components = URLComponents(string: base) else { throw SettingsError("bad MAMORI_TEST_DATABASE_URL") }
    components.path = "/\(name)"
    let url = components.string!
    return (url, { try await withAdmin(base) { sql in try await sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: String(name)) WITH (FORCE)").run() } })
  }

  static func withAdmin(_ base: String, _ body: @Sendable (any SQLDatabase) async throws -> Void) async throws {
    let app = try await Application.make(.testing)
    do {
      app.databases.use(try .postgres(url: base), as: .psql)
      try await body(app.db as! any SQLDatabase)
      try await app.asyncShutdown()
    } catch {
      try? await app.asyncShutdown()
      throw error
    }
  }
}

struct TestOptions {
  var clock = FixedClock(Date(timeIntervalSince1970: 1_795_000_000))  // 2026-11-18T07:46:40Z
  var mailer: RecordingMailer?
  /// Any other mailer (one that fails, say); wins over `mailer`.
  var mailerOverride: (any Mailer)?
  var files = MemoryFileStore()
  /// Any other file store (the real folder store, say); wins over `files`.
  var filesOverride: (any FileStore)?
  var configure: (inout AppSettings) -> Void = { _ in }
  /// Uploads are read by the built `mamori sandbox-parse`, as in production.
  var uploads: any UploadParsing = ChildProcessUploadParser(executable: CLITests.executable)
  var migrate = true
}

/// Tests log warnings and errors only; set MAMORI_TEST_LOG_LEVEL=debug to see every request.
let quietLogging: Void = {
  let level = ProcessInfo.processInfo.environment["MAMORI_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
  LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = level
    return handler
  }
}()

/// Runs `body` against a configured, migrated application and always shuts it down (and drops its
/// PostgreSQL database).
func withApp(_ options: TestOptions = TestOptions(), _ body: (Application, TestOptions) async throws -> Void) async throws {
  _ = quietLogging
  var drop: (@Sendable () async throws -> Void)?
  let database: AppSettings.Database
  if let base = TestDatabase.postgresURL {
    let made = try await TestDatabase.makePostgres(base: base)
    database = .postgres(url: made.url)
    drop = made.drop
  } else {
    database = .sqliteMemory
  }
  var settings = AppSettings(
    database: database, dataDirectory: FileManager.default.temporaryDirectory.path,
    resourcesDirectory: Repository.resources.path, databasePoolSize: 2)
  options.configure(&settings)
  let app = try await Application.make(.testing)
  do {
    try await configure(app, settings: settings, services: AppServices(clock: options.clock, mailer: options.mailerOverride ?? options.mailer, files: options.filesOverride ?? options.files, uploads: options.uploads))
    if options.migrate { try await app.autoMigrate() }
    try await body(app, options)
    try await app.asyncShutdown()
  } catch {
    try? await app.asyncShutdown()
    try? await drop?()
    throw error
  }
  try await drop?()
}
