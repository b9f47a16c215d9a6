import Foundation
import MamoriCore
import Testing

@Suite("Audit chain", .timeLimit(.minutes(5)))
struct AuditChainTests {
  func chain(_ count: Int) -> [AuditRecord] {
    var records: [AuditRecord] = []
    for index in 0..<count {
      let record = AuditRecord(
        chain: "org-1", seq: 0, atMillis: 1_795_000_000_000 + Int64(index), actor: "officer@acme.example", actorID: nil,
        clientAddress: "192.0.2.1", action: "person.update", recordType: "person", recordID: "p\(index)",
        before: #"{"name":"A"}"#, after: #"{"name":"B"}"#, prevHash: "")
      records.append(AuditChain.seal(record, after: records.last))
    }
    return records
  }

  @Test("a sealed chain verifies, numbered from 1 and linked from the genesis hash")
  func intact() {
    let records = chain(5)
    #expect(records.map(\.seq) == [1, 2, 3, 4, 5])
    #expect(records[0].prevHash == AuditChain.genesis)
    #expect(records[3].prevHash == records[2].hash)
    #expect(AuditChain.verify(records) == .intact(count: 5))
    #expect(AuditChain.verify([]) == .intact(count: 0))
  }

  @Test("an edited entry is found, whichever field was changed")
  func edited() {
    let fields: [(inout AuditRecord) -> Void] = [
      { $0.actor = "someone@else.example" }, { $0.after = #"{"name":"C"}"# }, { $0.before = nil }, { $0.atMillis += 1 },
      { $0.action = "person.delete" }, { $0.clientAddress = "203.0.113.9" }, { $0.recordID = "other" },
    ]
    for change in fields {
      var records = chain(4)
      change(&records[2])
      #expect(AuditChain.verify(records) == .broken(seq: 3, reason: "was changed after it was written (its hash does not match its content)"))
    }
  }

  @Test("an edited entry whose hash was recomputed breaks the link of the next one")
  func rehashed() {
    var records = chain(4)
    records[1].after = #"{"name":"forged"}"#
    records[1].hash = AuditChain.hash(records[1])
    guard case .broken(let seq, _) = AuditChain.verify(records) else {
      Issue.record("a rehashed entry must not verify")
      return
    }
    #expect(seq == 3)
  }

  @Test("a deleted entry and two swapped entries are found")
  func removedAndSwapped() {
    var removed = chain(5)
    removed.remove(at: 2)
    #expect(AuditChain.verify(removed) == .broken(seq: 3, reason: "entry 3 is missing (the next entry is 4)"))
    var swapped = chain(5)
    swapped.swapAt(1, 2)
    guard case .broken(let seq, _) = AuditChain.verify(swapped) else {
      Issue.record("swapped entries must not verify")
      return
    }
    #expect(seq == 2)
    var last = chain(3)
    last.removeLast()
    #expect(AuditChain.verify(last) == .intact(count: 2), "removing the newest entries cannot be seen from the chain alone")
  }

  @Test("the encoding cannot be made ambiguous by moving text between fields")
  func unambiguous() {
    var a = chain(1)[0]
    var b = a
    a.actor = "ab"
    a.clientAddress = "c"
    b.actor = "a"
    b.clientAddress = "bc"
    #expect(AuditChain.canonical(a) != AuditChain.canonical(b))
    a.before = nil
    b.before = ""
    #expect(AuditChain.canonical(a) != AuditChain.canonical(b))
  }
}

@Suite("Hex and clock formatting", .timeLimit(.minutes(5)))
struct HexTests {
  @Test("Hex.encode writes every byte as Foundation's %02x does")
  func everyByte() {
    let bytes = (0...255).map(UInt8.init)
    #expect(Hex.encode(bytes) == bytes.map { String(format: "%02x", $0) }.joined())
    #expect(Hex.encode([]) == "")
  }

  @Test("times of day are zero-padded to the minute")
  func timeOfDay() {
    let utc = TimeZone(identifier: "UTC")!
    #expect(DateDisplay.dateTime(Date(timeIntervalSince1970: 0), .en, timeZone: utc).hasSuffix(" 00:00"))
    #expect(DateDisplay.dateTime(Date(timeIntervalSince1970: 9 * 3600 + 5 * 60 + 59), .ja, timeZone: utc).hasSuffix(" 09:05"))
    #expect(DateDisplay.dateTime(Date(timeIntervalSince1970: 23 * 3600 + 59 * 60), .en, timeZone: utc).hasSuffix(" 23:59"))
  }
}
