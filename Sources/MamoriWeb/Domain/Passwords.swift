import Foundation
import Vapor

/// bcrypt hashing and checking, always on the thread pool: a cost-12 hash takes a quarter of a second
/// and must never block an event loop.
enum Passwords {
  static func hash(_ password: String, on application: Application) async throws -> String {
    try await application.password.async.hash(password)
  }

  static func verify(_ password: String, hash: String?, on application: Application) async throws -> Bool {
    // An unknown account still costs one bcrypt check, so response times do not reveal which e-mail
    // addresses have accounts.
    let target: String
    if let hash {
      target = hash
    } else {
      target = try await application.mamoriDummyHash()
    }
    let matches = (try? await application.password.async.verify(password, created: target)) ?? false
    return hash != nil && matches
  }
}

extension Application {
  private struct DummyHashKey: StorageKey { typealias Value = String }

  /// A hash of a random password at the configured cost, made on first need.
  func mamoriDummyHash() async throws -> String {
    if let hash = storage[DummyHashKey.self] { return hash }
    let hash = try await password.async.hash(Secrets.token())
    storage[DummyHashKey.self] = hash
    return hash
  }
}
