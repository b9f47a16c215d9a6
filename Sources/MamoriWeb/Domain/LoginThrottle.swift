import Fluent
import Foundation
import Vapor

/// Limits password guessing per account and per client address, counted in the database so that all
/// server processes share the count. A locked-out attempt is refused before bcrypt runs, so floods
/// cannot use Mamori's CPU either.
enum LoginThrottle {
  enum Verdict: Equatable {
    case allowed
    /// Refused; the user may try again after this many minutes.
    case locked(minutes: Int)
  }

  static func check(email: String, address: String, policy: LoginThrottlePolicy, now: Date, on database: any Database)
    async throws -> Verdict
  {
    let since = now - policy.window
    let byAccount = try await LoginFailure.query(on: database)
      .filter(\.$email == email).filter(\.$at > since).sort(\.$at, .ascending).all(\.$at)
    let byAddress = try await LoginFailure.query(on: database)
      .filter(\.$clientAddress == address).filter(\.$at > since).sort(\.$at, .ascending).all(\.$at)
    var unlock: Date?
    if byAccount.count >= policy.perAccount, let oldest = byAccount.suffix(policy.perAccount).first {
      unlock = oldest + policy.window
    }
    if byAddress.count >= policy.perAddress, let oldest = byAddress.suffix(policy.perAddress).first {
      unlock = max(unlock ?? oldest + policy.window, oldest + policy.window)
    }
    guard let unlock else { return .allowed }
    return .locked(minutes: max(1, Int((unlock.timeIntervalSince(now) / 60).rounded(.up))))
  }

  static func recordFailure(email: String, address: String, now: Date, policy: LoginThrottlePolicy, on database: any Database)
    async throws
  {
    try await LoginFailure(email: email, clientAddress: address, at: now).create(on: database)
    // Old rows are useless once outside the window; removing them here keeps the table small.
    try await LoginFailure.query(on: database).filter(\.$at < now - policy.window * 2).delete()
  }

  static func clear(email: String, on database: any Database) async throws {
    try await LoginFailure.query(on: database).filter(\.$email == email).delete()
  }
}
