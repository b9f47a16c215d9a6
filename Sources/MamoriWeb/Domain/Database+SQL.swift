import FluentKit
import SQLKit

/// Raised when Mamori is given a database that does not speak SQL, which never happens in a
/// configured application (SQLite and PostgreSQL both do).
struct NotAnSQLDatabase: Error, CustomStringConvertible {
  var description: String { "Mamori needs an SQL database (SQLite or PostgreSQL)" }
}

extension Database {
  /// The same database for hand-written statements (decision 46).
  func sql() throws -> any SQLDatabase {
    guard let sql = self as? any SQLDatabase else { throw NotAnSQLDatabase() }
    return sql
  }
}
