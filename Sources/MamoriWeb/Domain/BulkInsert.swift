import FluentKit
import Foundation
import MamoriCore
import SQLKit
import SQLiteKit

/// Many rows of one table written without a Fluent model per row (decision 161): in SQLite a multi-row
/// `INSERT … VALUES` whose values are bound straight as SQLite values, in PostgreSQL one text parameter,
/// the rows as a JSON array of arrays that `jsonb_array_elements` expands in C. Columns that are the
/// same for every row (the organisation, the instant) are given once. The values are those Fluent
/// writes: UUIDs as upper-case text in SQLite and `uuid` in PostgreSQL, booleans as 0/1 and `boolean`,
/// instants as seconds since 1970 and `timestamptz`, the register's days as text.
struct BulkInsert: Sendable {
  enum Kind: Sendable {
    case text
    case uuid
    case integer
    case bool
  }

  enum Column: Sendable {
    /// The next value of each row.
    case row(String, Kind)
    /// One value for every row.
    case constant(String, BulkValue)
  }

  let table: String
  let columns: [Column]

  var rowWidth: Int { columns.count { if case .row = $0 { true } else { false } } }

  /// Rows per statement: as many as SQLite's 32,766 bound values allow, up to 4,000 (a bounded JSON
  /// text for PostgreSQL). Fewer, larger statements matter in SQLite: each statement copies every
  /// index page it touches into its statement journal once, and random keys touch a page per row
  /// (decision 197).
  var rowsPerStatement: Int { min(4000, 32_000 / columns.count) }

  func run(_ rows: BulkRows, on database: any Database) async throws {
    guard rows.count > 0 else { return }
    precondition(rows.values.count == rows.count * rowWidth, "every row has a value for each row column")
    // A caller may hand over more rows than a statement takes (a leaver checklist's items are
    // several per case): they go in statements of at most `rowsPerStatement`.
    let width = rowWidth
    for start in stride(from: 0, to: rows.count, by: rowsPerStatement) {
      let end = min(rows.count, start + rowsPerStatement)
      let chunk = start == 0 && end == rows.count ? rows : BulkRows(slice: rows.values[(start * width)..<(end * width)], count: end - start)
      if let sqlite = Self.sqlite(database) {
        try await runSQLite(chunk, on: sqlite)
      } else {
        try await runPostgres(chunk, on: try database.sql())
      }
    }
  }

  /// The connection's SQLite database under Mamori's instrumented wrapper, when it is SQLite.
  static func sqlite(_ database: any Database) -> (any SQLiteDatabase)? {
    if let instrumented = database as? InstrumentedDatabase { return sqlite(instrumented.inner) }
    return database as? any SQLiteDatabase
  }

  private func runSQLite(_ rows: BulkRows, on sqlite: any SQLiteDatabase) async throws {
    let names = columns.map { column in
      switch column {
      case .row(let name, _), .constant(let name, _): name
      }
    }
    let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
    let sql = "INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES "
      + Array(repeating: tuple, count: rows.count).joined(separator: ",")
    var binds: [SQLiteData] = []
    binds.reserveCapacity(rows.count * columns.count)
    let width = rowWidth
    for row in 0..<rows.count {
      var next = row * width
      for column in columns {
        switch column {
        case .constant(_, let value): binds.append(value.sqlite)
        case .row:
          binds.append(rows.values[next].sqlite)
          next += 1
        }
      }
    }
    _ = try await sqlite.query(sql, binds)
  }

  private func runPostgres(_ rows: BulkRows, on sql: any SQLDatabase) async throws {
    var json = JSONRows(capacity: rows.values.count * 40)
    let width = rowWidth
    for row in 0..<rows.count {
      json.beginRow()
      for value in rows.values[(row * width)..<((row + 1) * width)] { value.write(to: &json) }
      json.endRow()
    }
    var query = SQLQueryString("")
    var names: [String] = []
    for column in columns {
      switch column {
      case .row(let name, _), .constant(let name, _): names.append(name)
      }
    }
    query.appendInterpolation(unsafeRaw: "INSERT INTO \(table) (\(names.joined(separator: ", "))) SELECT ")
    var index = 0
    for (position, column) in columns.enumerated() {
      if position > 0 { query.appendInterpolation(unsafeRaw: ", ") }
      switch column {
      case .constant(_, let value):
        value.bind(into: &query)
      case .row(_, let kind):
        let cast =
          switch kind {
          case .text: ""
          case .uuid: "::uuid"
          case .integer: "::bigint"
          case .bool: "::boolean"
          }
        query.appendInterpolation(unsafeRaw: "(x->>\(index))\(cast)")
        index += 1
      }
    }
    query.appendInterpolation(unsafeRaw: " FROM jsonb_array_elements(")
    query.appendInterpolation(bind: json.finished)
    query.appendInterpolation(unsafeRaw: "::jsonb) AS t(x)")
    try await sql.raw(query).run()
  }
}

/// One value of a bulk row.
enum BulkValue: Sendable {
  case text(String)
  case uuid(UUID)
  case integer(Int64)
  case bool(Bool)
  case date(Date)
  case null

  static func text(_ value: String?) -> BulkValue { value.map { .text($0) } ?? .null }
  static func uuid(_ value: UUID?) -> BulkValue { value.map { .uuid($0) } ?? .null }

  /// As Fluent's SQLite driver binds it.
  var sqlite: SQLiteData {
    switch self {
    case .text(let text): .text(text)
    case .uuid(let id): .text(id.text())
    case .integer(let number): .integer(Int(number))
    case .bool(let flag): .integer(flag ? 1 : 0)
    case .date(let date): .float(date.timeIntervalSince1970)
    case .null: .null
    }
  }

  func write(to json: inout JSONRows) {
    switch self {
    case .text(let text): json.string(text)
    case .uuid(let id): json.uuid(id)
    case .integer(let number): json.int(number)
    case .bool(let flag): json.bool(flag)
    case .date(let date): json.string(ISO8601DateFormatter().string(from: date))
    case .null: json.string(nil)
    }
  }

  func bind(into query: inout SQLQueryString) {
    switch self {
    case .text(let text): query.appendInterpolation(bind: text)
    case .uuid(let id): query.appendInterpolation(bind: id)
    case .integer(let number): query.appendInterpolation(bind: number)
    case .bool(let flag): query.appendInterpolation(bind: flag)
    case .date(let date): query.appendInterpolation(bind: date)
    // An untyped NULL takes the column's type; a bound one would be text, which PostgreSQL refuses
    // for a `uuid` column.
    case .null: query.appendInterpolation(unsafeRaw: "NULL")
    }
  }
}

/// Rows gathered for a ``BulkInsert``, their values one after another.
struct BulkRows: Sendable {
  private(set) var values: [BulkValue] = []
  private(set) var count = 0

  init(capacity: Int = 0) { values.reserveCapacity(capacity) }

  init(slice: ArraySlice<BulkValue>, count: Int) {
    values = Array(slice)
    self.count = count
  }

  mutating func append(_ row: BulkValue...) {
    values.append(contentsOf: row)
    count += 1
  }

  mutating func append(row: [BulkValue]) {
    values.append(contentsOf: row)
    count += 1
  }

  mutating func removeAll() {
    values.removeAll(keepingCapacity: true)
    count = 0
  }
}
