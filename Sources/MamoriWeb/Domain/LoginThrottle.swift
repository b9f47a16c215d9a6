import Fluent
import Foundation
import Vapor

/// Limits password guessing per account and per client address, counted in the database so that all
/// server processes share the count. An attempt is reserved (written) before it is counted and before
/// bcrypt runs, so that parallel guesses see each other: of any number sent at once, no more than the
/// limit are ever checked. Refused attempts are not checked at all, so floods cannot use the CPU either.
enum LoginThrottle {
  /// Attempts being checked at once for one account or from one address; more are refused at once.
  static let maximumInFlightPerAccount = 2
  static let maximumInFlightPerAddress = 4
  /// A reservation older than this no longer counts as in flight (its process died); it still counts
  /// as a failure for the window.
  static let inFlightExpiry: TimeInterval = 60

  enum Verdict: Equatable {
    /// Go on and check the password; report the outcome with ``finish(_:succeeded:policy:now:on:)``.
    case allowed(reservation: UUID)
    /// Refused; the user may try again after this many minutes.
    case locked(minutes: Int)
    /// Refused: too many attempts for this account or address are being checked at this moment.
    case busy
  }

  static func reserve(email: String, address: String, policy: LoginThrottlePolicy, now: Date, on database: any Database)
    async throws -> Verdict
  {
    let reservation = LoginFailure(email: email, clientAddress: address, at: now, inFlight: true)
    try await reservation.create(on: database)
    let id = try reservation.requireID()
    let since = now - policy.window
    let byAccount = try await LoginFailure.query(on: database)
      .filter(\.$email == email).filter(\.$at > since).sort(\.$at, .ascending).all()
    let byAddress = try await LoginFailure.query(on: database)
      .filter(\.$clientAddress == address).filter(\.$at > since).sort(\.$at, .ascending).all()

    // Every row counts, this attempt's and other attempts' reservations included.
    var unlock: Date?
    if byAccount.count > policy.perAccount {
      let others = byAccount.filter { $0.id != id }
      if let oldest = others.suffix(policy.perAccount).first { unlock = oldest.at + policy.window }
    }
    if byAddress.count > policy.perAddress {
      let others = byAddress.filter { $0.id != id }
      if let oldest = others.suffix(policy.perAddress).first {
        unlock = max(unlock ?? oldest.at + policy.window, oldest.at + policy.window)
      }
    }
    if let unlock {
      try await reservation.delete(on: database)
      return .locked(minutes: max(1, Int((unlock.timeIntervalSince(now) / 60).rounded(.up))))
    }
    let fresh = now - inFlightExpiry
    let flyingForAccount = byAccount.filter { $0.inFlight && $0.at > fresh }.count
    let flyingFromAddress = byAddress.filter { $0.inFlight && $0.at > fresh }.count
    if flyingForAccount > maximumInFlightPerAccount || flyingFromAddress > maximumInFlightPerAddress {
      try await reservation.delete(on: database)
      return .busy
    }
    return .allowed(reservation: id)
  }

  /// Records the outcome of a checked attempt: a failure stays in the window; a success clears the
  /// account's earlier failures.
  static func finish(
    _ reservation: UUID, email: String, succeeded: Bool, policy: LoginThrottlePolicy, now: Date, on database: any Database
  ) async throws {
    if succeeded {
      try await LoginFailure.query(on: database).filter(\.$id == reservation).delete()
      try await LoginFailure.query(on: database).filter(\.$email == email).filter(\.$inFlight == false).delete()
    } else {
      try await LoginFailure.query(on: database).filter(\.$id == reservation).set(\.$inFlight, to: false).update()
      // Old rows are useless once outside the window; removing them here keeps the table small.
      try await LoginFailure.query(on: database).filter(\.$at < now - policy.window * 2).delete()
    }
  }
}
