import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Leaf
import MamoriCore
import NIOSSL
import SQLKit
import Vapor

/// Sets up a Mamori application: database, migrations, views, locale catalog, middleware and routes.
/// `mamori serve`, the other commands and the tests all go through here.
public func configure(_ app: Application, settings: AppSettings, services: AppServices = AppServices()) async throws {
  let resources = URL(fileURLWithPath: settings.resourcesDirectory)
  let catalog = try LocaleCatalog.load(directory: resources.appendingPathComponent("Locales"))
  let checklists = try CatalogLoader.loadFolder(resources.appendingPathComponent("Catalogs"))
  var services = services
  if services.files == nil {
    services.files = DirectoryFileStore(folder: URL(fileURLWithPath: settings.dataDirectory).appendingPathComponent("evidence"))
  }
  app.mamori = MamoriContext(settings: settings, services: services, catalog: catalog, checklists: checklists)

  try await DatabaseSetup.configure(app, settings: settings)
  app.migrations.add(MamoriMigrations.all)

  app.passwords.use(.bcrypt(cost: settings.bcryptCost))

  app.directory = DirectoryConfiguration(workingDirectory: resources.path + "/")
  app.leaf.configuration.rootDirectory = resources.appendingPathComponent("Views").path + "/"
  app.leaf.cache.isEnabled = app.environment != .development
  app.leaf.tags["t"] = TranslateTag(catalog: catalog)
  app.views.use(.leaf)

  app.http.server.configuration.reportMetrics = true
  app.routes.defaultMaxBodySize = ByteCount(value: settings.maxBodyBytes)
  if let certificate = settings.tlsCertificatePath, let key = settings.tlsKeyPath {
    app.http.server.configuration.tlsConfiguration = .makeServerConfiguration(
      certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
      privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
  }
  _ = MetricsRegistry.shared

  // Order matters: headers wrap everything, errors become pages inside them, static files need no
  // session, and CSRF needs to know who is signed in.
  app.middleware = Middlewares()
  app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
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
    switch settings.database {
    case .sqlite(let path):
      try FileManager.default.createDirectory(
        at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
      app.databases.use(
        DatabaseConfigurationFactory(make: {
          InstrumentedDatabaseConfiguration(inner: DatabaseConfigurationFactory.sqlite(.file(path)).make(), metrics: metrics)
        }), as: .sqlite)
      metrics.capacity.record(loops.count)
    case .sqliteMemory:
      app.databases.use(
        DatabaseConfigurationFactory(make: {
          InstrumentedDatabaseConfiguration(inner: DatabaseConfigurationFactory.sqlite(.memory).make(), metrics: metrics)
        }), as: .sqlite)
      metrics.capacity.record(loops.count)
    case .postgres(let url):
      let factory = try DatabaseConfigurationFactory.postgres(
        url: url, maxConnectionsPerEventLoop: settings.databasePoolSize)
      app.databases.use(
        DatabaseConfigurationFactory(make: { InstrumentedDatabaseConfiguration(inner: factory.make(), metrics: metrics) }),
        as: .psql)
      metrics.capacity.record(loops.count * settings.databasePoolSize)
    }
    if case .postgres = settings.database { return }
    // SQLite: one connection per event loop, each of which needs its own busy timeout, so that two
    // writers wait for each other (up to 5 s) instead of failing or spinning. WAL lets readers go on
    // while one writes; it is a property of the file and persists.
    for loop in loops {
      let database = app.databases.database(.sqlite, logger: app.logger, on: loop)
      guard let sql = database as? any SQLDatabase else { continue }
      try await sql.raw("PRAGMA busy_timeout = 5000").run()
      try await sql.raw("PRAGMA foreign_keys = ON").run()
    }
    if case .sqlite = settings.database, let sql = app.db as? any SQLDatabase {
      try await sql.raw("PRAGMA journal_mode = WAL").run()
      try await sql.raw("PRAGMA synchronous = NORMAL").run()
    }
  }
}
