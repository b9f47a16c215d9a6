import Foundation

/// Lower-case hexadecimal, written by hand: `String(format: "%02x")` goes through Foundation's
/// formatter, which cost more than the SHA-256 it printed on every request's session lookup.
public enum Hex {
  private static let digits = Array("0123456789abcdef".utf8)

  public static func encode(_ bytes: some Sequence<UInt8>) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(64)
    for byte in bytes {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}

extension UUID {
  /// `uuidString` (upper case) or its lower-case form written directly: Foundation's goes through
  /// `sprintf`, and an import formats several UUIDs for each of hundreds of thousands of rows.
  public func text(lowercase: Bool = false) -> String {
    let digits: StaticString = lowercase ? "0123456789abcdef" : "0123456789ABCDEF"
    return withUnsafeBytes(of: uuid) { bytes in
      String(unsafeUninitializedCapacity: 36) { out in
        digits.withUTF8Buffer { hex in
          var position = 0
          for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 {
              out[position] = UInt8(ascii: "-")
              position += 1
            }
            out[position] = hex[Int(byte >> 4)]
            out[position + 1] = hex[Int(byte & 0x0F)]
            position += 2
          }
        }
        return 36
      }
    }
  }
}
