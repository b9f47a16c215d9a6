import FluentKit
import FluentPostgresDriver
import Foundation
import SQLKit
import Vapor

/// Runs Mamori for the command line, which stays free of Vapor's own command system.
public enum Runner {
  /// What `serve` prints once the database is ready.
  public enum Announcement: Sendable {
    case demo(url: String, logins: [DemoSeeder.Login])
    case setup(link: String)
    case ready(url: String)
  }

  /// Migrates, seeds the demo or issues the setup link, then serves until SIGINT or SIGTERM.
  public static func serve(
    settings: AppSettings, host: String, port: Int, announce: @Sendable (Announcement) -> Void
  ) async throws {
    if settings.isDemo, case .sqlite(let path) = settings.database {
      for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
    try prepareStorage(settings)
    let app = try await Application.make(Environment(name: "production", arguments: ["mamori"]))
    do {
      var services = AppServices()
      if let smtp = settings.smtp {
        services.mailer = SMTPMailer(settings: smtp, eventLoopGroup: app.eventLoopGroup, logger: app.logger)
      }
      try await configure(app, settings: settings, services: services)
      app.http.server.configuration.hostname = host
      app.http.server.configuration.port = port
      try await migrate(app)
      let shownHost = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
      let base = settings.publicURL ?? "\(settings.tlsEnabled ? "https" : "http")://\(shownHost):\(port)"
      if settings.isDemo {
        announce(.demo(url: base, logins: try await DemoSeeder.seed(on: app)))
      } else if let link = try await SetupLinks.issueIfNeeded(on: app, baseURL: base) {
        announce(.setup(link: link))
      } else {
        announce(.ready(url: base))
      }
      // Vapor's serve command installs the SIGINT/SIGTERM handlers and returns once the server has
      // closed its connections.
      try await app.execute()
    } catch {
      try? await app.asyncShutdown()
      throw error
    }
    try await app.asyncShutdown()
  }

  /// Opens the existing database of `settings` for a command that does its work and exits. Nothing is
  /// created or migrated: a missing database (or one without Mamori's schema) and a schema of another
  /// version are refused with a ``SettingsError`` (exit status 2), so that a command run in the wrong
  /// folder never makes an empty instance, and a newer binary never migrates under older processes.
  public static func withApplication<T: Sendable>(
    settings: AppSettings, _ body: @Sendable (Application) async throws -> T
  ) async throws -> T {
    if case .sqlite(let path) = settings.database, !FileManager.default.fileExists(atPath: path) {
      throw SettingsError(
        """
        no Mamori database at \(path) (the data folder is --data-dir, else MAMORI_DATA_DIR, else ./data in the \
        current folder \(FileManager.default.currentDirectoryPath)); give the same --data-dir or DATABASE_URL as \
        mamori serve, or create the database with mamori migrate
        """)
    }
    return try await withConfigured(settings: settings) { app in
      try await requireCurrentSchema(app)
      return try await body(app)
    }
  }

  static func withConfigured<T: Sendable>(
    settings: AppSettings, _ body: @Sendable (Application) async throws -> T
  ) async throws -> T {
    let app = try await Application.make(Environment(name: "production", arguments: ["mamori"]))
    do {
      try await configure(app, settings: settings, pages: false)
      let result = try await body(app)
      try await app.asyncShutdown()
      return result
    } catch {
      try? await app.asyncShutdown()
      throw error
    }
  }

  /// Where the database of `settings` is, for messages: the SQLite file, or the PostgreSQL URL without
  /// its password.
  public static func describe(_ database: AppSettings.Database) -> String {
    switch database {
    case .sqlite(let path): return path
    case .sqliteMemory: return "an in-memory SQLite database"
    case .postgres(let url):
      guard var components = URLComponents(string: url) else { return "PostgreSQL" }
      if components.password != nil { components.password = "***" }
      return components.string ?? "PostgreSQL"
    }
  }

  /// The names of the migrations recorded in the database with their batch, or nil when the database
  /// has no migration log at all (not a Mamori database, or an empty one).
  static func appliedMigrations(_ app: Application) async throws -> [String: Int]? {
    let sql = app.db as! any SQLDatabase
    let exists: Bool
    switch app.mamori.settings.database {
    case .postgres:
      exists = try await sql.raw("SELECT to_regclass('_fluent_migrations') IS NOT NULL AS present").first()?
        .decode(column: "present", as: Bool.self) ?? false
    case .sqlite, .sqliteMemory:
      exists = try await sql.raw("SELECT count(*) AS present FROM sqlite_master WHERE type = 'table' AND name = '_fluent_migrations'")
        .first()?.decode(column: "present", as: Int.self) ?? 0 > 0
    }
    guard exists else { return nil }
    var applied: [String: Int] = [:]
    for log in try await MigrationLog.query(on: app.db).all() { applied[log.name] = log.batch }
    return applied
  }

  /// Refuses a database without Mamori's schema, or whose schema is older or newer than this binary.
  static func requireCurrentSchema(_ app: Application) async throws {
    let place = describe(app.mamori.settings.database)
    guard let applied = try await appliedMigrations(app), !applied.isEmpty else {
      throw SettingsError(
        "\(place) holds no Mamori schema; give the same --data-dir or DATABASE_URL as mamori serve, or create it with mamori migrate")
    }
    try refuseNewerSchema(applied, place: place)
    let pending = MamoriMigrations.all.map(\.name).filter { applied[$0] == nil }
    if !pending.isEmpty {
      throw SettingsError(
        """
        the schema of \(place) is older than this mamori (\(pending.count) migration(s) pending: \
        \(pending.joined(separator: ", "))); stop every mamori serve process of the older version, back up, \
        then run mamori migrate
        """)
    }
  }

  /// An older binary never works on (or migrates) a schema that a newer one has changed.
  static func refuseNewerSchema(_ applied: [String: Int], place: String) throws {
    let known = Set(MamoriMigrations.all.map(\.name))
    let unknown = applied.keys.filter { !known.contains($0) }.sorted()
    if !unknown.isEmpty {
      throw SettingsError(
        """
        \(place) was migrated by a newer Mamori (migrations this version does not know: \
        \(unknown.joined(separator: ", "))); run the newer mamori, or restore the backup taken before the upgrade
        """)
    }
  }

  /// What `mamori migrate` did.
  public enum MigrationOutcome: Sendable, Equatable {
    case applied([String])
    case upToDate(count: Int)
    case reverted(batch: Int, [String])
  }

  /// Creates the data folder and the database if needed, then applies the pending migrations and says
  /// which.
  public static func migrate(settings: AppSettings) async throws -> MigrationOutcome {
    try prepareStorage(settings)
    return try await withConfigured(settings: settings) { app in
      try await migrateReporting(app)
    }
  }

  /// The migrations `mamori migrate --revert` would undo: the last batch, never the first one (the
  /// initial schema: reverting it drops every table).
  public static func revertPlan(settings: AppSettings) async throws -> (batch: Int, names: [String]) {
    try await withApplication(settings: settings) { app in try await revertPlan(app) }
  }

  static func revertPlan(_ app: Application) async throws -> (batch: Int, names: [String]) {
    let applied = try await appliedMigrations(app) ?? [:]
    guard let last = applied.values.max() else {
      throw SettingsError("\(describe(app.mamori.settings.database)) has no migrations to revert")
    }
    // In the order they were applied; reverting runs them backwards.
    let names = MamoriMigrations.all.map(\.name).filter { applied[$0] == last }
    guard last > 1 else {
      throw SettingsError(
        """
        the last batch of migrations is the initial schema (\(names.count) migrations): reverting it would drop \
        every table and all data, and leave the evidence files without records. mamori migrate --revert refuses; \
        to go back to an older version, restore the backup taken before the upgrade (docs/operations.md)
        """)
    }
    return (last, names)
  }

  /// Reverts the last batch (after ``revertPlan(settings:)`` was shown and confirmed) and says which
  /// migrations were undone.
  public static func revert(settings: AppSettings) async throws -> MigrationOutcome {
    try await withApplication(settings: settings) { app in
      try await withMigrationLock(app) {
        let plan = try await revertPlan(app)
        try await app.migrator.revertBatch(number: plan.batch).get()
        return .reverted(batch: plan.batch, plan.names)
      }
    }
  }

  static func migrate(_ app: Application) async throws {
    _ = try await migrateReporting(app)
  }

  static func migrateReporting(_ app: Application) async throws -> MigrationOutcome {
    try await withMigrationLock(app) {
      if let applied = try await appliedMigrations(app) {
        try refuseNewerSchema(applied, place: describe(app.mamori.settings.database))
      }
      try await app.migrator.setupIfNeeded().get()
      let pending = try await app.migrator.previewPrepareBatch().get().map { $0.0.name }
      try await app.autoMigrate()
      return pending.isEmpty ? .upToDate(count: MamoriMigrations.all.count) : .applied(pending)
    }
  }

  /// The data folder (0700) and, for SQLite, an empty database file (0600) before SQLite creates one
  /// with the process's umask (0644: readable by every local user). Folders and files that already
  /// exist keep their modes; looser ones are reported. The folder must be writable, also with
  /// PostgreSQL: evidence files live there.
  public static func prepareStorage(_ settings: AppSettings) throws {
    let fileManager = FileManager.default
    var folders = [settings.dataDirectory]
    if case .sqlite(let path) = settings.database { folders.append(URL(fileURLWithPath: path).deletingLastPathComponent().path) }
    for folder in folders {
      if !fileManager.fileExists(atPath: folder) {
        do {
          try fileManager.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
          throw SettingsError(
            "cannot create the data folder \(folder) (--data-dir / MAMORI_DATA_DIR): \(error.localizedDescription)")
        }
      } else {
        warnIfOpen(folder, expected: 0o700)
      }
      guard access(folder, W_OK | X_OK) == 0 else {
        throw SettingsError(
          """
          the data folder \(URL(fileURLWithPath: folder).standardizedFileURL.path) is not writable by this user; Mamori \
          keeps its SQLite database and the evidence files there (also with PostgreSQL). Set --data-dir / \
          MAMORI_DATA_DIR to a folder it owns (under systemd: StateDirectory=mamori and MAMORI_DATA_DIR=/var/lib/mamori)
          """)
      }
    }
    if case .sqlite(let path) = settings.database {
      if !fileManager.fileExists(atPath: path) {
        guard fileManager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
          throw SettingsError("cannot create the database file \(path)")
        }
      } else {
        warnIfOpen(path, expected: 0o600)
      }
    }
  }

  static func warnIfOpen(_ path: String, expected: Int) {
    guard let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int,
      mode & 0o077 != 0
    else { return }
    Logger(label: "mamori").warning(
      "readable by other local users; chmod \(String(expected, radix: 8)) it",
      metadata: ["path": .string(path), "mode": .string(String(mode, radix: 8))])
  }

  /// Several `mamori serve` processes may start at once against one PostgreSQL; an advisory lock makes
  /// them migrate one after the other, so the later ones find the schema already up to date. SQLite
  /// serialises writers by itself.
  static func withMigrationLock<T: Sendable>(_ app: Application, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    guard case .postgres = app.mamori.settings.database else { return try await body() }
    let key = 0x6D616D6F72  // "mamor"
    return try await app.db.withConnection { connection in
      let sql = connection as! any SQLDatabase
      try await sql.raw("SELECT pg_advisory_lock(\(literal: key))").run()
      let result: T
      do {
        result = try await body()
      } catch {
        try? await sql.raw("SELECT pg_advisory_unlock(\(literal: key))").run()
        throw error
      }
      try await sql.raw("SELECT pg_advisory_unlock(\(literal: key))").run()
      return result
    }
  }
}

/// Errors as the operator should read them on the command line. PostgreSQL's client hides the server's
/// message behind "Generic description to prevent accidental leakage"; it is the operator's own
/// database, so the server's message, detail and hint are shown (never the query or its values).
public enum OperatorMessage {
  public static func describe(_ error: any Error) -> String {
    if let psql = error as? PSQLError { return describe(psql) }
    return "\(error)"
  }

  static func describe(_ error: PSQLError) -> String {
    if let info = error.serverInfo {
      var text = "PostgreSQL: \(info[.message] ?? "error")"
      if let state = info[.sqlState] { text += " (SQLSTATE \(state))" }
      if let detail = info[.detail] { text += "; \(detail)" }
      if let hint = info[.hint] { text += "; hint: \(hint)" }
      return text
    }
    if let underlying = error.underlying {
      return "PostgreSQL: \(error.code): \(underlying)"
    }
    return "PostgreSQL: \(error.code)"
  }
}
