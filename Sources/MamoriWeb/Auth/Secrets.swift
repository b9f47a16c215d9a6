import Crypto
import Foundation
import MamoriCore

/// Random tokens for cookies and links, and the digests that are stored instead of them.
enum Secrets {
  /// `bytes` random bytes as unpadded base64url: 32 bytes give 43 characters and 256 bits.
  static func token(bytes: Int = 32) -> String {
    var generator = SystemRandomNumberGenerator()
    let data = Data((0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    return data.base64EncodedString()
      .replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
  }

  /// The stored form of a token. Tokens are 256-bit random, so a fast digest suffices (no salt or
  /// stretching is needed as it would be for a password).
  static func digest(_ token: String) -> String {
    Hex.encode(SHA256.hash(data: Data(token.utf8)))
  }

  /// Compares two secrets in time that does not depend on where they differ.
  static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8)
    let y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var difference: UInt8 = 0
    for index in x.indices { difference |= x[index] ^ y[index] }
    return difference == 0
  }
}
