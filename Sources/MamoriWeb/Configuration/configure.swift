import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import MamoriCore
import NIOPosix
import NIOSSL
import SQLKit
import Vapor

/// Sets up a Mamori application: database, migrations, views, locale catalog, middleware and routes.
/// `mamori serve`, the other commands and the tests all go through here.
/// `pages: false` is for the commands that do their work and exit (`import`, `export`, `findings`, …):
/// they render no page, so the templates are not compiled (a fifth of such a command's start).
public func configure(
  _ app: Application, settings: AppSettings, services: AppServices = AppServices(), pages: Bool = true
) async throws {
  let resources = URL(fileURLWithPath: settings.resourcesDirectory)
  let catalog = try LocaleCatalog.load(directory: resources.appendingPathComponent("Locales"))
  // Their text too: an uploaded answer file is matched against it in the sandbox child.
  let (checklists, checklistTexts) = try CatalogLoader.loadFolderWithTexts(resources.appendingPathComponent("Catalogs"))
  var services = services
  if services.files == nil {
    services.files = DirectoryFileStore(folder: URL(fileURLWithPath: settings.dataDirectory).appendingPathComponent("evidence"))
  }
  if services.uploads == nil {
    services.uploads = ChildProcessUploadParser(executable: ChildProcessUploadParser.currentExecutable())
  }
  var context = MamoriContext(
    settings: settings, services: services, catalog: catalog, checklists: checklists, checklistTexts: checklistTexts)
  context.courses = try CourseLoader.loadFolder(resources.appendingPathComponent("Courses"))
  app.mamori = context

  // The metrics system first: the database metrics below are made at once and would otherwise go to
  // the no-op system and never appear.
  _ = MetricsRegistry.shared
  try await DatabaseSetup.configure(app, settings: settings)
  app.migrations.add(MamoriMigrations.all)

  // bcrypt (a quarter of a second a check) and file writes get threads of their own: on the shared
  // singleton pool, a burst of sign-ins would queue every SQLite statement behind it.
  app.threadPool = NIOThreadPool(numberOfThreads: max(2, System.coreCount))
  app.passwords.use(.bcrypt(cost: settings.bcryptCost))

  app.directory = DirectoryConfiguration(workingDirectory: resources.path + "/")
  // Leaf templates compiled once (decision 94); a broken template stops the start with FILE:LINE.
  if pages {
    let templates = try PageTemplates(
      directory: resources.appendingPathComponent("Views"), catalog: catalog, reloads: app.environment == .development)
    app.views.use { app in CompiledViews(templates: templates, eventLoop: app.eventLoopGroup.next()) }
  }

  app.http.server.configuration.reportMetrics = true
  // Routes declare their own limits (`BodyLimit`); this applies to anything registered without one.
  app.routes.defaultMaxBodySize = ByteCount(value: BodyLimit.form.bytes)
  if let certificate = settings.tlsCertificatePath, let key = settings.tlsKeyPath {
    app.http.server.configuration.tlsConfiguration = .makeServerConfiguration(
      certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
      privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
  }

  // Order matters: headers wrap everything, errors become pages inside them, static files need no
  // session, and CSRF needs to know who is signed in.
  app.middleware = Middlewares()
  app.middleware.use(RequestLogMiddleware())
  app.middleware.use(SecurityHeadersMiddleware())
  app.middleware.use(ErrorPageMiddleware())
  app.middleware.use(FileMiddleware(publicDirectory: resources.appendingPathComponent("Public").path + "/"))
  app.middleware.use(SessionAuthenticator())
  app.middleware.use(CSRFMiddleware())

  try routes(app)
}

enum DatabaseSetup {
  static func configure(_ app: Application, settings: AppSettings) async throws {
    let metrics = DatabaseMetrics()
    let loops = app.eventLoopGroup.makeIterator().map { $0 }
    // SQLite: one connection for the whole process. SQLite has one writer at a time anyway, and a
    // transaction that reads before it writes (every change reads the audit chain's tail) cannot wait
    // for another connection's write: SQLite answers "busy" at once to avoid a deadlock. With one
    // connection, transactions simply take turns. Every request's database is pinned to the pool of
    // one event loop, which holds that connection.
    let sqliteLoop = loops[0]
    switch settings.database {
    case .sqlite(let path):
      try FileManager.default.createDirectory(
        at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true,
        attributes: [.posixPermissions: 0o700])
      app.databases.use(
        DatabaseConfigurationFactory(make: {
          InstrumentedDatabaseConfiguration(
            inner: DatabaseConfigurationFactory.sqlite(.file(path), connectionPoolTimeout: .seconds(60)).make(), metrics: metrics,
            pinnedLoop: sqliteLoop)
        }), as: .sqlite)
      metrics.capacity.record(1)
    case .sqliteMemory:
      app.databases.use(
        DatabaseConfigurationFactory(make: {
          InstrumentedDatabaseConfiguration(
            inner: DatabaseConfigurationFactory.sqlite(.memory, connectionPoolTimeout: .seconds(60)).make(), metrics: metrics,
            pinnedLoop: sqliteLoop)
        }), as: .sqlite)
      metrics.capacity.record(1)
    case .postgres(let url):
      let factory = try DatabaseConfigurationFactory.postgres(
        url: url, maxConnectionsPerEventLoop: settings.databasePoolSize)
      app.databases.use(
        DatabaseConfigurationFactory(make: { InstrumentedDatabaseConfiguration(inner: factory.make(), metrics: metrics) }),
        as: .psql)
      metrics.capacity.record(loops.count * settings.databasePoolSize)
    }
    if case .postgres = settings.database { return }
    // The one SQLite connection waits up to 5 s for another process (the command line) instead of
    // failing. WAL lets another process read while Mamori writes; it is a property of the file and
    // persists.
    if let sql = app.databases.database(.sqlite, logger: app.logger, on: sqliteLoop) as? any SQLDatabase {
      try await sql.raw("PRAGMA busy_timeout = 5000").run()
      try await sql.raw("PRAGMA foreign_keys = ON").run()
      // The one connection's page cache (SQLite's default is 2 MiB) holds the indexes a large write
      // touches, and statement journals stay in memory: an import of 200,000 grants with their audit
      // entries otherwise rereads index pages from the file and spills every multi-row INSERT's
      // journal to a temporary file (decision 166). A bound, not an allocation.
      try await sql.raw("PRAGMA cache_size = -65536").run()
      try await sql.raw("PRAGMA temp_store = MEMORY").run()
    }
    if case .sqlite = settings.database, let sql = app.db as? any SQLDatabase {
      try await sql.raw("PRAGMA journal_mode = WAL").run()
      try await sql.raw("PRAGMA synchronous = NORMAL").run()
    }
  }
}

/// The TLS files of `mamori serve`, read once before anything starts so that a wrong path or a file of
/// the wrong kind is reported with the flag's name (exit status 2) instead of NIO's
/// `failedToLoadCertificate`.
public enum TLSFiles {
  public static func check(certificate: String, key: String) throws {
    for (flag, path) in [("--tls-cert", certificate), ("--tls-key", key)] {
      guard FileManager.default.isReadableFile(atPath: path) else {
        let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read by this user" : "does not exist"
        throw SettingsError("\(flag) \(path): the file \(reason)")
      }
    }
    do {
      let chain = try NIOSSLCertificate.fromPEMFile(certificate)
      guard !chain.isEmpty else { throw SettingsError("no certificate") }
    } catch {
      throw SettingsError("--tls-cert \(certificate): not a PEM certificate chain (-----BEGIN CERTIFICATE-----)")
    }
    do {
      _ = try NIOSSLPrivateKey(file: key, format: .pem)
    } catch {
      throw SettingsError("--tls-key \(key): not a PEM private key (-----BEGIN PRIVATE KEY-----), or one protected by a passphrase")
    }
  }
}
