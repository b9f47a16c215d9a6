import Foundation
import Testing

@testable import MamoriCore

@Suite("xlsx", .timeLimit(.minutes(5)))
struct SpreadsheetTests {
  @Test("a written workbook reads back cell for cell: text that needs escaping, numbers, dates, many columns")
  func roundTrip() throws {
    let sheet = XLSXSheet(
      name: "チェック[1]", columnWidths: [10, 20],
      rows: [
        [.text("番号", .header), .text("内容 & <注>", .header)],
        [.number(1), .text(" 前後に空白 ", .wrap), .empty, .number(66.7, .decimal)],
        [.date(year: 2026, month: 11, day: 26), .text("制御\u{1}文字")],
        Array(repeating: XLSXCell.text("x"), count: 30),
      ], frozenRows: 1)
    let data = try XLSXWriter.data(XLSXWorkbook(sheets: [sheet, XLSXSheet(name: "two", rows: [[.text("b")]])], title: "t"))
    let read = try XLSXReader(data: data)
    #expect(read.sheets.map(\.name) == ["チェック_1_", "two"])
    let rows = read.sheets[0].rows
    #expect(rows[1]?[1] == "内容 & <注>")
    #expect(rows[2]?[0] == "1")
    #expect(rows[2]?[1] == " 前後に空白 ")
    #expect(rows[2]?[2] == nil)
    #expect(rows[2]?[3] == "66.7")
    #expect(rows[3]?[0] == String(XLSXWriter.serial(year: 2026, month: 11, day: 26)))
    #expect(rows[3]?[1] == "制御文字")
    #expect(rows[4]?[29] == "x")
    #expect(read.sheets[1].rows[1]?[0] == "b")
  }

  @Test("Excel's day numbers and column names")
  func numbering() {
    #expect(XLSXWriter.serial(year: 1900, month: 3, day: 1) == 61)
    #expect(XLSXWriter.serial(year: 2026, month: 11, day: 26) == 46352)
    #expect(XLSXWriter.column(0) == "A")
    #expect(XLSXWriter.column(25) == "Z")
    #expect(XLSXWriter.column(26) == "AA")
    #expect(XLSXWriter.column(701) == "ZZ")
    #expect(XLSXReader.columnIndex("AB12") == 27)
  }

  @Test("what is not an xlsx is refused with a reason")
  func notAWorkbook() {
    #expect(throws: XLSXError(reason: "is not an .xlsx workbook (not a zip archive)")) {
      try XLSXReader(data: Data("item_id,answer\n".utf8))
    }
  }

  @Test("an export of an assessment reads back as the same answers, in both languages", arguments: [Language.ja, .en])
  func exportImport(language: Language) throws {
    let catalog = try ChecklistFixtures.sample()
    let entries: [String: MetiSheet.Entry] = [
      "common-1": .init(answerID: "yes", note: "方針は2025年に改定"),
      "common-2": .init(answerID: "partial", note: "", owner: "品質保証部 佐藤", due: "2027-03-31"),
      "partners-1": .init(answerID: "na"),
    ]
    let header = MetiSheet.Header(title: "2026年度", organisation: "あおば精密工業", status: "回答中", started: "2026-11-01", completed: nil)
    let data = try XLSXWriter.data(MetiSheet.workbook(catalog: catalog, entries: entries, header: header, language: language))
    let answers = try MetiSheet.readAnswers(data: data, file: "export.xlsx", catalog: catalog)
    #expect(answers == ["common-1": "yes", "common-2": "partial", "partners-1": "na"])
    // Notes, owners and due dates come back too, so an export filled in and imported loses nothing.
    let full = try MetiSheet.readEntries(data: data, file: "export.xlsx", catalog: catalog)
    #expect(full["common-1"] == .init(answer: "yes", note: "方針は2025年に改定", owner: "", due: ""))
    #expect(full["common-2"] == .init(answer: "partial", note: "", owner: "品質保証部 佐藤", due: "2027-03-31"))
    let read = try XLSXReader(data: data)
    #expect(read.sheets.count == 3)
    // The scores sheet carries a native radar chart of its field scores (file names are stored plainly).
    for part in ["xl/drawings/drawing1.xml", "xl/charts/chart1.xml", "xl/worksheets/_rels/sheet2.xml.rels"] {
      #expect(data.range(of: Data(part.utf8)) != nil, "\(part) missing")
    }
    let chart = XLSXWriter.radarChartXML(
      try #require(MetiSheet.workbook(catalog: catalog, entries: entries, header: header, language: language).sheets[1].radarChart),
      sheetName: read.sheets[1].name)
    #expect(chart.contains("<c:radarChart>"))
    #expect(chart.contains("'\(read.sheets[1].name)'!$B$2:$B$\(1 + catalog.fields.count)"))
    let scores = read.sheets[1].rows
    // rules: (2 + 1) / 4 = 75 %; the overall row; completeness 3 of 4.
    #expect(scores[2]?[1] == "75")
    #expect(scores.values.contains { $0[1] == "75" && ($0[0] == "総合" || $0[0] == "Overall") })
  }

  @Test("With a previous round, the scores sheet has its column and the radar chart draws both rounds", arguments: Language.allCases)
  func workbookComparesPreviousRound(language: Language) throws {
    let catalog = try ChecklistFixtures.sample()
    let entries: [String: MetiSheet.Entry] = ["common-1": .init(answerID: "yes"), "common-2": .init(answerID: "partial")]
    let previous = MetiSheet.Previous(title: "2025年度", entries: ["common-1": .init(answerID: "yes"), "common-2": .init(answerID: "no")])
    let header = MetiSheet.Header(
      title: "2026年度", organisation: "o", status: "s", started: "2026-11-01", completed: nil, previous: previous)
    let workbook = MetiSheet.workbook(catalog: catalog, entries: entries, header: header, language: language)
    let data = try XLSXWriter.data(workbook)
    let read = try XLSXReader(data: data)
    let scores = read.sheets[1].rows
    // The previous round's column is named by its title: rules (2 + 0) / 4 = 50 % then, 75 % now.
    #expect(scores[1]?[4] == "2025年度")
    #expect(scores[2]?[1] == "75")
    #expect(scores[2]?[4] == "50")
    let chart = XLSXWriter.radarChartXML(try #require(workbook.sheets[1].radarChart), sheetName: read.sheets[1].name)
    #expect(chart.components(separatedBy: "<c:ser>").count - 1 == 2)
    #expect(chart.contains("<c:tx><c:v>2026年度</c:v></c:tx>"))
    #expect(chart.contains("<c:tx><c:v>2025年度</c:v></c:tx>"))
    #expect(chart.contains("'\(read.sheets[1].name)'!$E$2:$E$\(1 + catalog.fields.count)"))
    // Without a previous round: one series, four columns.
    let single = MetiSheet.workbook(
      catalog: catalog, entries: entries, header: .init(title: "t", organisation: "o", status: "s", started: "2026-11-01", completed: nil),
      language: language)
    #expect(XLSXWriter.radarChartXML(try #require(single.sheets[1].radarChart), sheetName: "s").components(separatedBy: "<c:ser>").count == 2)
    #expect(single.sheets[1].rows[0].count == 4)
  }

  /// A workbook laid out like METI's sheet: 内容 over the number and text columns, チェック欄 beside.
  func metiLayout(_ rows: [[String]]) throws -> Data {
    var sheetRows: [[XLSXCell]] = [
      [.text("技術情報管理 自己チェックリスト")], [],
      [.text("内容"), .empty, .text("チェック欄")],
    ]
    sheetRows += rows.map { $0.map { $0.isEmpty ? XLSXCell.empty : .text($0) } }
    sheetRows.append([.text("あなたの組織の取組状況は以下のとおりです。")])
    return try XLSXWriter.data(XLSXWorkbook(sheets: [XLSXSheet(name: "チェックリスト", rows: sheetRows)]))
  }

  @Test("METI's layout: answers as symbols or words, full-width numbers, a trailing 。 missing")
  func metiImport() throws {
    let catalog = try ChecklistFixtures.sample()
    let data = try metiLayout([
      ["I 共通項目"],
      ["1", "自社の情報セキュリティ対応方針の策定及び周知を実施している。", "○"],
      ["２", "守るべき情報を特定している", "一部実施している"],
      ["Ⅱ 取引先"],
      ["1", "預かった情報を管理している。", "該当しない"],
      ["2", "アクセス権を定期的に見直している。", ""],
    ])
    let answers = try MetiSheet.readAnswers(data: data, file: "meti.xlsx", catalog: catalog)
    #expect(answers == ["common-1": "yes", "common-2": "partial", "partners-1": "na"])
  }

  @Test("every row that does not match is listed with its row, and nothing is imported")
  func metiImportErrors() throws {
    let catalog = try ChecklistFixtures.sample()
    let data = try metiLayout([
      ["I 共通項目"],
      ["1", "自社の情報セキュリティ対応方針の策定及び周知を実施している。", "◎"],
      ["2", "別の文章になっている。", "○"],
      ["9", "存在しない項目。", "×"],
      ["III 未知の章"],
      ["II 取引先"],
      ["2", "アクセス権を定期的に見直している。", "-"],
      ["2", "アクセス権を定期的に見直している。", "○"],
    ])
    do {
      _ = try MetiSheet.readAnswers(data: data, file: "meti.xlsx", catalog: catalog)
      Issue.record("a bad workbook was imported")
    } catch let problems as AnswerFile.Problems {
      let lines = problems.errors.map(\.description)
      #expect(lines.count == 6, "\(lines)")
      #expect(lines.allSatisfy { $0.hasPrefix("meti.xlsx:") })
      #expect(lines[0].hasPrefix("meti.xlsx:5: (sheet チェックリスト, row 5) has an unknown answer \"◎\""))
      #expect(lines[1].contains("row 6) has a text that differs from item common-2"))
      #expect(lines[2].contains("row 7) is item 9 of \"I 共通項目\", which sample does not have"))
      #expect(lines[3].contains("row 8) heads a section \"III 未知の章\" that is not in sample"))
      #expect(lines[4].contains("row 10) answers - for partners-2, which cannot be not applicable"))
      #expect(lines[5].contains("row 11) repeats item partners-2 (first on row 10)"))
    }
  }

  @Test("a workbook without the header row is refused")
  func noHeader() throws {
    let catalog = try ChecklistFixtures.sample()
    let data = try XLSXWriter.data(XLSXWorkbook(sheets: [XLSXSheet(name: "a", rows: [[.text("1"), .text("x"), .text("○")]])]))
    #expect(throws: AnswerFile.Problems.self) { try MetiSheet.readAnswers(data: data, file: "a.xlsx", catalog: catalog) }
  }

  @Test("CSV and YAML answers: ids, symbols and words; every bad line reported")
  func answerFiles() throws {
    let catalog = try ChecklistFixtures.sample()
    let csv = try AnswerFile.readCSV(
      data: Data("\u{FEFF}item_id,answer\ncommon-1,○\ncommon-2,partial\npartners-1,該当しない\n".utf8), file: "a.csv", catalog: catalog)
    #expect(csv == ["common-1": "yes", "common-2": "partial", "partners-1": "na"])
    do {
      _ = try AnswerFile.readCSV(
        data: Data("item_id,answer\ncommon-1,maybe\nnope,○\npartners-2,-\ncommon-2,×\ncommon-2,○\n".utf8), file: "b.csv", catalog: catalog)
      Issue.record("bad answers were accepted")
    } catch let problems as AnswerFile.Problems {
      #expect(problems.errors.map(\.line) == [2, 3, 4, 6])
      #expect(problems.errors[0].description.hasPrefix("b.csv:2: has an unknown answer \"maybe\""))
      #expect(problems.errors[1].reason.contains("unknown item \"nope\""))
      #expect(problems.errors[2].reason.contains("cannot be not applicable"))
      #expect(problems.errors[3].reason.contains("first on line 5"))
    }
    let yaml = try AnswerFile.readYAML(text: "common-1: ○\ncommon-2: \"no\"\n", file: "a.yaml", catalog: catalog)
    #expect(yaml == ["common-1": "yes", "common-2": "no"])
    #expect(throws: AnswerFile.Problems.self) { try AnswerFile.readYAML(text: "common-1: ○\nother: ×\n", file: "b.yaml", catalog: catalog) }
  }
}

@Suite("Imported due dates", .timeLimit(.minutes(5)))
struct ImportedDueDateTests {
  @Test("a due date is Excel's day number or YYYY-MM-DD; anything else is refused with its row")
  func dueDates() throws {
    #expect(MetiSheet.importedDay("46477") == CivilDate(iso: "2027-03-31"))
    #expect(MetiSheet.importedDay("46477.5") == CivilDate(iso: "2027-03-31"))
    #expect(MetiSheet.importedDay("2027-03-31") == CivilDate(iso: "2027-03-31"))
    #expect(MetiSheet.importedDay("来年3月") == nil)
    #expect(MetiSheet.importedDay("12") == nil)
    let catalog = try ChecklistFixtures.sample()
    let header = MetiSheet.Header(title: "t", organisation: "o", status: "s", started: "2026-11-01", completed: nil)
    var workbook = MetiSheet.workbook(
      catalog: catalog, entries: ["common-2": .init(answerID: "partial", owner: "佐藤", due: "2027-03-31")], header: header, language: .ja)
    // The due date cell of common-2 replaced by words.
    for (index, row) in workbook.sheets[0].rows.enumerated() where row.count > 9 && row[9] == .text("common-2", .wrap) {
      workbook.sheets[0].rows[index][6] = .text("来年3月", .wrap)
    }
    let data = try XLSXWriter.data(workbook)
    #expect(throws: AnswerFile.Problems.self) { try MetiSheet.readEntries(data: data, file: "a.xlsx", catalog: catalog) }
    do {
      _ = try MetiSheet.readEntries(data: data, file: "a.xlsx", catalog: catalog)
    } catch let problems as AnswerFile.Problems {
      #expect(problems.errors.first?.reason.contains("来年3月") == true)
    }
  }
}
