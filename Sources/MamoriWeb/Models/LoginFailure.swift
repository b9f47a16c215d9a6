import Fluent
import Foundation

/// A failed sign-in, kept for the throttling window. Stored in the database rather than in memory so
/// that several `mamori serve` processes behind one load balancer count together.
public final class LoginFailure: Model, @unchecked Sendable {
  public static let schema = "login_failures"

  @ID(key: .id) public var id: UUID?
  @Field(key: "at") public var at: Date
  @Field(key: "client_address") public var clientAddress: String
  @Field(key: "email") public var email: String
  /// True from the moment an attempt is reserved until its password has been checked.
  @Field(key: "in_flight") public var inFlight: Bool

  public init() {}

  public init(id: UUID? = nil, email: String, clientAddress: String, at: Date, inFlight: Bool = false) {
    self.id = id
    self.inFlight = inFlight
    self.email = email
    self.clientAddress = clientAddress
    self.at = at
  }
}
