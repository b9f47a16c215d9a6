import Foundation
import Testing

@testable import MamoriCore

@Suite("Register workbooks (.xlsx)", .timeLimit(.minutes(5)))
struct RegisterSheetTests {
  func workbook(_ rows: [[XLSXCell]]) throws -> Data {
    try XLSXWriter.data(XLSXWorkbook(sheets: [XLSXSheet(name: "people", rows: rows), XLSXSheet(name: "ignored", rows: [[.text("x")]])]))
  }

  @Test("the first sheet is read as a table: Japanese headers, day numbers in date columns, lines are the sheet's rows")
  func firstSheet() throws {
    let data = try workbook([
      [],
      [.text("ユーザーID"), .text("社員番号"), .text("最終出社日"), .text("メモ"), .text("退職日")],
      [.text("sato.ichiro"), .number(101), .date(year: 2026, month: 2, day: 26), .number(46_000), .text("2026/3/31")],
      [],
      [.text("kato.jiro"), .text("0012")],
    ])
    let table = try RegisterSheet.table(xlsx: data, file: .people)
    #expect(table.headerLine == 2)
    #expect(table.header == ["ユーザーID", "社員番号", "最終出社日", "メモ", "退職日"])
    #expect(table.rows.map(\.line) == [3, 5])
    // A number outside a date column stays a number; staff numbers written as text keep their zeros.
    #expect(table.rows[0].fields == ["sato.ichiro", "101", "2026-02-26", "46000", "2026/3/31"])
    #expect(table.rows[1].fields == ["kato.jiro", "0012", "", "", ""])
    let rows = try RegisterCSV.rows(table, file: .people)
    #expect(rows.rows[0].values["exit_date"] == "2026-02-26" && rows.rows[0].values["leaving_date"] == "2026/3/31")
    #expect(rows.unknownColumns == ["メモ"])
  }

  @Test("a value right of the header, a missing column, an empty sheet and bytes that are no workbook are refused with their row")
  func refusals() throws {
    let outside = try workbook([[.text("asset_id"), .text("name")], [.text("A-1"), .text("図面"), .empty, .text("stray")]])
    #expect(throws: ImportFailure([ImportProblem(line: 2, key: "register_import.outside_header", arguments: ["cell": "D2"])])) {
      try RegisterSheet.table(xlsx: outside, file: .assets)
    }
    let header = try RegisterSheet.table(xlsx: try workbook([[], [], [.text("asset_id"), .text("name")]]), file: .assets)
    #expect(throws: ImportFailure([
      ImportProblem(line: 3, key: "register_import.missing_column", arguments: ["column": "location"]),
      ImportProblem(line: 3, key: "register_import.missing_column", arguments: ["column": "level"]),
    ])) { try RegisterCSV.rows(header, file: .assets) }
    #expect(throws: ImportFailure([ImportProblem(line: 1, key: "register_import.empty")])) {
      try RegisterSheet.table(xlsx: try workbook([]), file: .grants)
    }
    do throws(ImportFailure) {
      _ = try RegisterSheet.table(xlsx: Data("user_id,asset_id\n".utf8), file: .grants)
      Issue.record("CSV bytes were read as a workbook")
    } catch {
      #expect(error.problems.count == 1 && error.problems[0].key == "register_import.xlsx" && error.problems[0].line == 0)
    }
  }

  @Test("a workbook is recognised by its extension or its zip signature; CSV otherwise")
  func detection() throws {
    let data = try workbook([[.text("user_id")], [.text("u1")]])
    #expect(RegisterSheet.isWorkbook(data, fileName: "people.csv"))
    #expect(RegisterSheet.isWorkbook(Data(), fileName: "People.XLSX"))
    #expect(!RegisterSheet.isWorkbook(Data("user_id\nu1\n".utf8), fileName: "people.csv"))
    #expect(try RegisterSheet.table(data, fileName: "people", file: .people, encoding: .auto).rows.map(\.fields) == [["u1"]])
    #expect(try RegisterSheet.table(Data("user_id\nu1\n".utf8), fileName: "p.csv", file: .people, encoding: .auto).rows.map(\.fields) == [["u1"]])
  }

  @Test("the export's workbook reads back as the rows written: dates as date cells, text as text")
  func roundTrip() throws {
    let header = RegisterCSV.columns(.grants).map(\.name)
    let rows = [["sato.ichiro", "A-002", "2025-10-01", "2026-12-31", "委託開発, 保守"], ["tanaka", "0012", "2025-04-01", "", ""]]
    let data = try RegisterSheet.workbook(.grants, header: header, rows: rows)
    let table = try RegisterSheet.table(xlsx: data, file: .grants)
    #expect(table.header == header && table.headerLine == 1)
    #expect(table.rows.map(\.fields) == rows)
    #expect(table.rows.map(\.line) == [2, 3])
    let sheet = try #require(try XLSXReader(data: data).sheets.first)
    #expect(sheet.name == "grants")
    // Stored as Excel's day number, so that Excel sorts and filters it as a date.
    #expect(sheet.rows[2]?[2] == "45931")
    #expect(try RegisterSheet.workbook(.grants, header: header, rows: rows) == data)
  }
}

@Suite("Register files through the upload parser", .timeLimit(.minutes(5)))
struct RegisterUploadTests {
  func parse(_ name: String, _ data: Data, _ file: RegisterFile? = .people) -> UploadOutcome {
    UploadParser.parse(UploadRequest(kind: .register, fileName: name, registerFile: file), data: data)
  }

  @Test("CSV and workbooks come back as rows with their lines; whole-file problems as problems; other types unsupported")
  func outcomes() throws {
    let csv = parse("people.csv", Data("user_id,name,備考\nsato,佐藤 一郎,x\nkato\n".utf8))
    guard case .registerRows(let upload) = csv else {
      Issue.record("\(csv)")
      return
    }
    #expect(upload.columns == ["name", "user_id"] && upload.unknownColumns == ["備考"])
    #expect(upload.rows == [RegisterUpload.Row(line: 2, fields: ["佐藤 一郎", "sato"])])
    #expect(upload.problems == [ImportProblem(line: 3, key: "register_import.field_count", arguments: ["found": "1", "expected": "3"])])
    let rows = upload.registerRows
    #expect(rows.rows.count == 1 && rows.rows[0].line == 2 && rows.rows[0].values == ["name": "佐藤 一郎", "user_id": "sato"])

    let workbook = try XLSXWriter.data(XLSXWorkbook(sheets: [XLSXSheet(name: "s", rows: [[.text("資産ID"), .text("名称")]])]))
    #expect(
      parse("assets.xlsx", workbook, .assets)
        == .registerRefused([
          ImportProblem(line: 1, key: "register_import.missing_column", arguments: ["column": "location"]),
          ImportProblem(line: 1, key: "register_import.missing_column", arguments: ["column": "level"]),
        ]))
    #expect(parse("people.pdf", Data("x".utf8)) == .unsupported)
    #expect(parse("people.csv", Data("user_id\n".utf8), nil) == .refused(lines: ["people.csv: cannot be read: no register file kind was given"], total: 1))

    // The outcome crosses the process boundary as JSON and comes back the same.
    for outcome in [csv, parse("assets.xlsx", workbook, .assets)] {
      let data = try JSONEncoder().encode(outcome)
      #expect(try JSONDecoder().decode(UploadOutcome.self, from: data) == outcome)
    }
  }
}
