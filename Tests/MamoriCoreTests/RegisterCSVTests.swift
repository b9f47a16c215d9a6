import Foundation
import Testing

@testable import MamoriCore

@Suite("Register CSV files", .timeLimit(.minutes(5)))
struct RegisterCSVTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/register")

  func fixture(_ name: String) throws -> Data { try Data(contentsOf: Self.fixtures.appendingPathComponent(name)) }

  @Test("CP932 as Excel saves it, with ① and ㈱, is detected and decoded; UTF-8 with a BOM too")
  func encodings() throws {
    let text = try RegisterCSV.decode(try fixture("people-cp932.csv"))
    #expect(text.contains("①担当") && text.contains("㈱外部委託課") && text.contains("グエン・ヴァン・ミン"))
    #expect(throws: ImportFailure([ImportProblem(line: 0, key: "register_import.not_utf8")])) {
      try RegisterCSV.decode(try fixture("people-cp932.csv"), as: .utf8)
    }
    let assets = try RegisterCSV.decode(try fixture("assets-utf8-bom.csv"))
    #expect(assets.hasPrefix("Asset_ID"))
    // 0x82 0x20 is not CP932.
    #expect(throws: ImportFailure([ImportProblem(line: 0, key: "register_import.unknown_encoding")])) {
      try RegisterCSV.decode(Data([0x82, 0x20]))
    }
  }

  @Test("records: CRLF and LF, quoted commas, quotes and line breaks, empty lines skipped, lines counted physically")
  func records() throws {
    let table = try RegisterCSV.parse("a,b\r\n1,\"x,\"\"y\"\"\"\r\n\r\n2,\"two\r\nlines\"\n3,\n")
    #expect(table.header == ["a", "b"])
    #expect(table.rows.map(\.line) == [2, 4, 6])
    #expect(table.rows.map(\.fields) == [["1", "x,\"y\""], ["2", "two\r\nlines"], ["3", ""]])
    #expect(throws: ImportFailure([ImportProblem(line: 2, key: "register_import.unterminated_quote")])) {
      try RegisterCSV.parse("a\n\"open\n")
    }
    #expect(throws: ImportFailure([ImportProblem(line: 1, key: "register_import.empty")])) { try RegisterCSV.parse("\n\n") }
  }

  @Test("columns by English or Japanese names in any letter case; unknown ones named; required ones checked")
  func columns() throws {
    let table = try RegisterCSV.parse(try RegisterCSV.decode(try fixture("people-cp932.csv")))
    let rows = try RegisterCSV.rows(table, file: .people)
    #expect(rows.unknownColumns == ["備考"])
    #expect(rows.rows[0].values["user_id"] == "tanaka.acme" && rows.rows[0].values["exit_date"] == "")
    #expect(rows.rows[1].values["leaving_date"] == "2026-03-31")
    let assets = try RegisterCSV.rows(try RegisterCSV.parse(try RegisterCSV.decode(try fixture("assets-utf8-bom.csv"))), file: .assets)
    #expect(assets.rows.count == 3 && assets.rows[0].values["level"] == "極秘" && assets.unknownColumns.isEmpty)
    #expect(
      throws: ImportFailure([
        ImportProblem(line: 1, key: "register_import.missing_column", arguments: ["column": "location"]),
        ImportProblem(line: 1, key: "register_import.missing_column", arguments: ["column": "level"]),
      ])
    ) { try RegisterCSV.rows(try RegisterCSV.parse("asset_id,name\nA,B\n"), file: .assets) }
  }

  @Test("dates as 2026-03-31 or 2026/3/31; values in Japanese")
  func values() {
    #expect(RegisterCSV.date("2026/3/31") == .some(CivilDate(iso: "2026-03-31")))
    #expect(RegisterCSV.date("2026-03-31") == .some(CivilDate(iso: "2026-03-31")))
    #expect(RegisterCSV.date("") == .some(nil))
    for bad in ["2026/2/30", "26/3/31", "2026.3.31", "2026-3-31", "2026/３/31"] { #expect(RegisterCSV.date(bad) == nil, "\(bad)") }
    #expect(RegisterCSV.employment("派遣社員") == .dispatched && RegisterCSV.employment("役員") == .executive)
    #expect(RegisterCSV.level("秘") == .confidential && RegisterCSV.level(" secret") == nil)
    #expect(RegisterCSV.line(["a,b", "say \"hi\"", "x"]) == "\"a,b\",\"say \"\"hi\"\"\",x\r\n")
  }
}
