import FluentKit
import Foundation
import Metrics
import NIOCore
import SQLKit

/// Wraps a Fluent database configuration so that `/metrics` can show how busy the connection pool is.
///
/// Neither Fluent driver exposes its pool's counters, so Mamori counts at the one place every database
/// call passes through: each operation (a query, a schema change, a held connection or a transaction)
/// is "in flight" from the moment it asks the pool for a connection until it gives it back. Compared
/// with `mamori_db_pool_connections_max`, that shows when requests start queueing for connections.
struct InstrumentedDatabaseConfiguration: DatabaseConfiguration {
  var inner: any DatabaseConfiguration
  var metrics: DatabaseMetrics
  /// When set, every request uses the connection pool of this one event loop (see ``DatabaseSetup``).
  var pinnedLoop: (any EventLoop)? = nil

  var middleware: [any AnyModelMiddleware] {
    get { inner.middleware }
    set { inner.middleware = newValue }
  }

  func makeDriver(for databases: Databases) -> any DatabaseDriver {
    InstrumentedDatabaseDriver(inner: inner.makeDriver(for: databases), metrics: metrics, pinnedLoop: pinnedLoop)
  }
}

struct InstrumentedDatabaseDriver: DatabaseDriver {
  let inner: any DatabaseDriver
  let metrics: DatabaseMetrics
  let pinnedLoop: (any EventLoop)?

  func makeDatabase(with context: DatabaseContext) -> any Database {
    guard let pinnedLoop else { return InstrumentedDatabase(inner: inner.makeDatabase(with: context), metrics: metrics) }
    let pinned = DatabaseContext(
      configuration: context.configuration, logger: context.logger, eventLoop: pinnedLoop, history: context.history,
      pageSizeLimit: context.pageSizeLimit, shouldTrace: context.shouldTrace)
    return InstrumentedDatabase(inner: inner.makeDatabase(with: pinned), metrics: metrics)
  }

  func shutdown() { inner.shutdown() }

  func shutdownAsync() async { await inner.shutdownAsync() }
}

/// The pool's counters, named for Prometheus.
struct DatabaseMetrics: Sendable {
  let inFlight = Meter(label: "mamori_db_pool_operations_in_flight")
  let capacity = Gauge(label: "mamori_db_pool_connections_max")
  let errors = Counter(label: "mamori_db_errors_total")
  let queryDuration = Timer(label: "mamori_db_operation_duration_seconds", dimensions: [("kind", "query")])
  let schemaDuration = Timer(label: "mamori_db_operation_duration_seconds", dimensions: [("kind", "schema")])
  let sqlDuration = Timer(label: "mamori_db_operation_duration_seconds", dimensions: [("kind", "sql")])
  let connectionDuration = Timer(label: "mamori_db_operation_duration_seconds", dimensions: [("kind", "connection")])

  func measure<T>(_ timer: Timer, _ body: () -> EventLoopFuture<T>) -> EventLoopFuture<T> {
    let start = DispatchTime.now().uptimeNanoseconds
    inFlight.increment()
    return body().always { result in
      inFlight.decrement()
      timer.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start))
      if case .failure = result { errors.increment() }
    }
  }
}

struct InstrumentedDatabase: Database, SQLDatabase {
  let inner: any Database
  let metrics: DatabaseMetrics
  /// Inside a held connection or transaction the pool is not asked again, so nothing is counted twice.
  var nested = false

  var context: DatabaseContext { inner.context }
  var inTransaction: Bool { inner.inTransaction }

  func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void)
    -> EventLoopFuture<Void>
  {
    nested
      ? inner.execute(query: query, onOutput: onOutput)
      : metrics.measure(metrics.queryDuration) { inner.execute(query: query, onOutput: onOutput) }
  }

  func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> {
    nested ? inner.execute(schema: schema) : metrics.measure(metrics.schemaDuration) { inner.execute(schema: schema) }
  }

  func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> {
    nested ? inner.execute(enum: `enum`) : metrics.measure(metrics.schemaDuration) { inner.execute(enum: `enum`) }
  }

  func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
    let metrics = self.metrics
    let run = {
      inner.transaction { database in closure(InstrumentedDatabase(inner: database, metrics: metrics, nested: true)) }
    }
    return nested ? run() : metrics.measure(metrics.connectionDuration, run)
  }

  func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
    let metrics = self.metrics
    let run = {
      inner.withConnection { database in
        closure(InstrumentedDatabase(inner: database, metrics: metrics, nested: true))
      }
    }
    return nested ? run() : metrics.measure(metrics.connectionDuration, run)
  }

  // MARK: - SQLDatabase, for the raw SQL of migrations and reports

  private var sql: any SQLDatabase {
    // Both drivers Mamori supports are SQL databases; anything else is a configuration error at start.
    inner as! any SQLDatabase
  }

  var logger: Logger { sql.logger }
  var eventLoop: any EventLoop { sql.eventLoop }
  var version: (any SQLDatabaseReportedVersion)? { sql.version }
  var dialect: any SQLDialect { sql.dialect }
  var queryLogLevel: Logger.Level? { sql.queryLogLevel }

  func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
    -> EventLoopFuture<Void>
  {
    let sql = self.sql
    return nested ? sql.execute(sql: query, onRow) : metrics.measure(metrics.sqlDuration) { sql.execute(sql: query, onRow) }
  }

  func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
    try await sql.withSession(closure)
  }
}
