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

/// Conditions joined for the hand-written list filters: nil when there is none, so a page without a
/// filter adds nothing to its statement.
enum SQLConditions {
  static func all(_ conditions: [any SQLExpression]) -> (any SQLExpression)? { joined(conditions, .and) }
  static func any(_ conditions: [any SQLExpression]) -> (any SQLExpression)? { joined(conditions, .or) }

  private static func joined(_ conditions: [any SQLExpression], _ op: SQLBinaryOperator) -> (any SQLExpression)? {
    guard let first = conditions.first else { return nil }
    return SQLGroupExpression(conditions.dropFirst().reduce(first) { SQLBinaryExpression($0, op, $1) })
  }
}
