import Foundation
import MamoriCore
import Testing

@Suite("Support: trimming and identifiers", .timeLimit(.minutes(5)))
struct SupportTests {
  @Test("trimming agrees with Foundation's whitespace sets for every scalar, alone and around text")
  func trimmingAgreesWithFoundation() {
    var differing: [UInt32] = []
    for value in UInt32(0)...0x10FFFF {
      guard let scalar = Unicode.Scalar(value) else { continue }
      let s = String(scalar)
      // Every scalar alone; around text only below U+3100, where every whitespace scalar lies.
      for text in value < 0x3100 ? [s, s + "機密" + s, "a" + s, s + "a", s + s] : [s]
      where text.trimmingWhitespace() != text.trimmingCharacters(in: .whitespacesAndNewlines)
        || text.trimmingSpaces() != text.trimmingCharacters(in: .whitespaces)
      {
        differing.append(value)
      }
    }
    #expect(differing.isEmpty)
    #expect(" \t設計資料 0\r\n".trimmingWhitespace() == "設計資料 0")
    #expect(" \t設計資料 0\r\n".trimmingSpaces() == "設計資料 0\r\n")
    #expect("\u{3000}業務\u{3000}".trimmingWhitespace() == "業務")
    #expect("".trimmingWhitespace() == "")
    #expect(" \n ".trimmingWhitespace() == "")
  }

  @Test("random identifiers are version 4, variant 10, and do not repeat")
  func randomUUIDs() {
    var seen = Set<UUID>()
    for _ in 0..<10_000 {
      let id = UUID.random()
      let bytes = id.uuid
      #expect(bytes.6 >> 4 == 4)
      #expect(bytes.8 >> 6 == 0b10)
      seen.insert(id)
    }
    #expect(seen.count == 10_000)
    // The text form is what every table stores: the same shape as Foundation's.
    #expect(UUID.random().uuidString.count == 36)
    #expect(UUID(uuidString: UUID.random().uuidString) != nil)
  }
}
