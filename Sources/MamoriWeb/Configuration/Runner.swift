import FluentKit
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

  /// Opens the database of `settings`, migrated (or, with `revert`, reverts the last batch), for a
  /// command that does its work and exits.
  public static func withApplication<T: Sendable>(
    settings: AppSettings, migrate: Bool = true, _ body: @Sendable (Application) async throws -> T
  ) async throws -> T {
    let app = try await Application.make(Environment(name: "production", arguments: ["mamori"]))
    do {
      try await configure(app, settings: settings)
      if migrate { try await Runner.migrate(app) }
      let result = try await body(app)
      try await app.asyncShutdown()
      return result
    } catch {
      try? await app.asyncShutdown()
      throw error
    }
  }

  public static func migrate(settings: AppSettings, revert: Bool) async throws {
    try await withApplication(settings: settings, migrate: false) { app in
      try await withMigrationLock(app) {
        if revert {
          try await app.autoRevert()
        } else {
          try await app.autoMigrate()
        }
      }
    }
  }

  static func migrate(_ app: Application) async throws {
    try await withMigrationLock(app) { try await app.autoMigrate() }
  }

  /// Several `mamori serve` processes may start at once against one PostgreSQL; an advisory lock makes
  /// them migrate one after the other, so the later ones find the schema already up to date. SQLite
  /// serialises writers by itself.
  static func withMigrationLock(_ app: Application, _ body: @escaping @Sendable () async throws -> Void) async throws {
    guard case .postgres = app.mamori.settings.database else { return try await body() }
    let key = 0x6D616D6F72  // "mamor"
    try await app.db.withConnection { connection in
      let sql = connection as! any SQLDatabase
      try await sql.raw("SELECT pg_advisory_lock(\(literal: key))").run()
      do {
        try await body()
      } catch {
        try? await sql.raw("SELECT pg_advisory_unlock(\(literal: key))").run()
        throw error
      }
      try await sql.raw("SELECT pg_advisory_unlock(\(literal: key))").run()
    }
  }
}
