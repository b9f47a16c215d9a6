import Foundation
import Testing

@testable import MamoriCore

/// Uploads are hostile until parsed: the fixtures of issue 7 (zip and alias bombs, the fuzzer's
/// crashes and hang) and the limits of every upload parser.
enum UploadFixtures {
  static let folder = ChecklistFixtures.tests.appendingPathComponent("Fixtures")

  static func data(_ path: String) throws -> Data { try Data(contentsOf: folder.appendingPathComponent(path)) }

  static func text(_ path: String) throws -> String { try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8) }

  /// The outcome of `body` on another thread, or nil when it did not end within `seconds`: a hang
  /// must fail the test, not hold the whole run.
  static func within<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () -> T) -> T? {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
      box.value = body()
      done.signal()
    }
    guard done.wait(timeout: .now() + seconds) == .success else { return nil }
    return box.value
  }

  /// The reason an xlsx is refused for, or "accepted".
  static func xlsxRefusal(_ data: Data) -> String {
    do {
      _ = try XLSXReader(data: data)
      return "accepted"
    } catch let error as XLSXError {
      return error.reason
    } catch {
      return "\(error)"
    }
  }

  static func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  }

  /// A small valid export of the sample catalog.
  static func export() throws -> Data {
    let catalog = try ChecklistFixtures.sample()
    let header = MetiSheet.Header(title: "t", organisation: "o", status: "s", started: "2026-11-01", completed: nil)
    return try XLSXWriter.data(
      MetiSheet.workbook(catalog: catalog, entries: ["common-1": .init(answerID: "yes")], header: header, language: .ja))
  }
}

/// What a background thread hands back; written before the semaphore is signalled, read after.
final class ResultBox<T>: @unchecked Sendable {
  var value: T?
}

/// Zips of chosen bytes, and surgery on existing ones, for the limits of ``ZipReader``.
enum TestZip {
  static let crcTable: [UInt32] = (0..<256).map { index in
    var value = UInt32(index)
    for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
    return value
  }

  static func crc32(_ data: Data) -> UInt32 {
    ~data.reduce(~UInt32(0)) { crcTable[Int(($0 ^ UInt32($1)) & 0xFF)] ^ ($0 >> 8) }
  }

  static func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
  static func le32(_ value: Int) -> [UInt8] { le16(value & 0xFFFF) + le16(value >> 16 & 0xFFFF) }

  /// A zip of stored (uncompressed) parts.
  static func stored(_ parts: [(String, Data)]) -> Data {
    var body: [UInt8] = []
    var directory: [UInt8] = []
    for (name, data) in parts {
      let nameBytes = Array(name.utf8)
      let crc = Int(crc32(data))
      let offset = body.count
      body += le32(0x0403_4B50) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0x5021) + le32(crc) + le32(data.count)
        + le32(data.count) + le16(nameBytes.count) + le16(0) + nameBytes + Array(data)
      directory += le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0x5021) + le32(crc)
        + le32(data.count) + le32(data.count) + le16(nameBytes.count) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0)
        + le32(offset) + nameBytes
    }
    let end = le32(0x0605_4B50) + le16(0) + le16(0) + le16(parts.count) + le16(parts.count) + le32(directory.count)
      + le32(body.count) + le16(0)
    return Data(body + directory + end)
  }

  /// A workbook of one sheet whose parts are given as text (workbook.xml and the sheet by default).
  static func workbook(workbook: String? = nil, sheet: String = #"<worksheet><sheetData/></worksheet>"#, extra: [(String, String)] = [])
    -> Data
  {
    let book = workbook ?? #"<?xml version="1.0" encoding="UTF-8"?><workbook><sheets><sheet name="a" sheetId="1"/></sheets></workbook>"#
    return stored([("xl/workbook.xml", Data(book.utf8)), ("xl/worksheets/sheet1.xml", Data(sheet.utf8))] + extra.map { ($0.0, Data($0.1.utf8)) })
  }

  /// Where the central directory entry of `name` starts.
  static func centralEntry(_ data: Data, _ name: String) -> Int? {
    let bytes = [UInt8](data)
    let wanted = Array(name.utf8)
    var index = 0
    while index + 46 <= bytes.count {
      if bytes[index] == 0x50, bytes[index + 1] == 0x4B, bytes[index + 2] == 1, bytes[index + 3] == 2 {
        let length = Int(bytes[index + 28]) | Int(bytes[index + 29]) << 8
        if index + 46 + length <= bytes.count, Array(bytes[(index + 46)..<(index + 46 + length)]) == wanted { return index }
      }
      index += 1
    }
    return nil
  }

  static func u32(_ data: Data, _ at: Int) -> Int {
    let bytes = [UInt8](data[at..<(at + 4)])
    return Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
  }

  /// Sets a 32-bit field of the central entry of `name` (16: CRC-32, 20: compressed size,
  /// 24: uncompressed size, 42: local header offset), and the same field of its local header.
  static func patch(_ data: Data, _ name: String, field: Int, value: Int) throws -> Data {
    var data = data
    let central = try #require(centralEntry(data, name))
    let local = u32(data, central + 42)
    data.replaceSubrange((central + field)..<(central + field + 4), with: le32(value))
    let localField = [16: 14, 20: 18, 24: 22][field]
    if let localField { data.replaceSubrange((local + localField)..<(local + localField + 4), with: le32(value)) }
    return data
  }
}

@Suite("Uploads: xlsx", .timeLimit(.minutes(5)))
struct XLSXUploadTests {
  @Test(
    "the fuzzer's crashes and hang are refused quickly, with a reason",
    arguments: [
      ("hang-corrupt-zip.xlsx", "has a damaged part xl/worksheets/sheet1.xml (its compressed data ends before its stream does)"),
      // Its directory puts docProps/core.xml past the end of the file (which the reader never needs), and
      // its first sheet's stream is corrupt.
      ("trap-zip-memoryfile-range.xlsx", "has a damaged part xl/worksheets/sheet1.xml (it does not inflate)"),
      ("trap-invalid-utf8-element-name.xlsx", "has a part xl/worksheets/sheet2.xml that is not UTF-8 text"),
    ])
  func fuzzCrashes(file: String, reason: String) throws {
    let data = try UploadFixtures.data("fuzz-crashes/xlsx/\(file)")
    let refusal = UploadFixtures.within(10) { UploadFixtures.xlsxRefusal(data) }
    #expect(refusal == reason)
    // Through the upload entry point: one line naming the file.
    let catalog = try ChecklistFixtures.sampleText()
    let outcome = UploadFixtures.within(10) {
      UploadParser.parse(UploadRequest(kind: .answers, fileName: file, catalogYAML: catalog), data: data)
    }
    #expect(outcome == .refused(lines: ["\(file): \(reason)"], total: 1))
  }

  @Test("a workbook as Excel writes it still reads: shared strings with furigana, x: prefixes, 1.0, an absolute target")
  func excelStyle() throws {
    let data = try UploadFixtures.data("uploads/answers-excel-style.xlsx")
    let catalog = try CatalogLoader.load(url: ChecklistFixtures.builtIn.appendingPathComponent("tics-selfcheck-mamori.yaml"))
    let answers = try MetiSheet.readAnswers(data: data, file: "answers-excel-style.xlsx", catalog: catalog)
    #expect(answers == ["common-1": "yes", "common-2": "partial", "common-3": "no", "common-4": "no"])
    let sheets = try XLSXReader(data: data).sheets
    #expect(sheets.map(\.name) == ["チェックリスト", "グラフ"])
    #expect(sheets[0].rows[4]?[0] == "I 共通項目")
    #expect(sheets[0].rows[9]?[0] == " あなたの組織の取組状況は以下のとおりです。 ")
    #expect(sheets[1].rows[1]?[1] == "66.666666666666671")
  }

  @Test("an export saved again by LibreOffice (data descriptors, shared strings) reads back as the same answers")
  func libreOffice() throws {
    let data = try UploadFixtures.data("uploads/answers-libreoffice.xlsx")
    let catalog = try CatalogLoader.load(url: ChecklistFixtures.builtIn.appendingPathComponent("tics-selfcheck-mamori.yaml"))
    let answers = try MetiSheet.readAnswers(data: data, file: "answers-libreoffice.xlsx", catalog: catalog)
    #expect(answers.count == 14)
    #expect(answers["common-1"] == "yes" && answers["systems-2"] == "no")
    #expect(try ZipReader(data: data).entries.allSatisfy { $0.flags & 8 != 0 })
  }

  @Test("a zip bomb (a part that claims 100 bytes and inflates to 64 MiB) stops at byte 101")
  func zipBomb() throws {
    let data = try UploadFixtures.data("uploads/zip-bomb.xlsx")
    var refusal = ""
    let elapsed = UploadFixtures.seconds { refusal = UploadFixtures.xlsxRefusal(data) }
    #expect(refusal == "has a part xl/workbook.xml that unpacks to more than the 100 bytes its header says (a zip bomb?)")
    #expect(elapsed < 1, "took \(elapsed) s")
  }

  @Test("sizes: a part claiming more than the limits, more than the ratio allows, or another size than it has")
  func sizes() throws {
    let export = try UploadFixtures.export()
    #expect(UploadFixtures.xlsxRefusal(export) == "accepted")
    let entry = try #require(try ZipReader(data: export).entry("xl/workbook.xml"))

    let huge = try TestZip.patch(export, "xl/workbook.xml", field: 24, value: 17 << 20)
    #expect(UploadFixtures.xlsxRefusal(huge) == "has a part xl/workbook.xml of 17825792 bytes unpacked; parts are refused above 16 MiB")

    let ratio = try TestZip.patch(export, "xl/workbook.xml", field: 24, value: 2 << 20)
    #expect(UploadFixtures.xlsxRefusal(ratio).contains("claims to unpack more than 200 times its size"))

    let smaller = try TestZip.patch(export, "xl/workbook.xml", field: 24, value: entry.uncompressedSize - 1)
    #expect(UploadFixtures.xlsxRefusal(smaller).contains("unpacks to more than the \(entry.uncompressedSize - 1) bytes its header says"))

    let larger = try TestZip.patch(export, "xl/workbook.xml", field: 24, value: entry.uncompressedSize + 1)
    #expect(
      UploadFixtures.xlsxRefusal(larger)
        == "has a part xl/workbook.xml that unpacks to \(entry.uncompressedSize) bytes where its header says \(entry.uncompressedSize + 1)")

    let crc = try TestZip.patch(export, "xl/workbook.xml", field: 16, value: Int(entry.crc32 ^ 1))
    #expect(UploadFixtures.xlsxRefusal(crc) == "has a damaged part xl/workbook.xml (its CRC-32 differs)")

    // Parts within limits each, but too much together.
    // (Parts are kept below 10 MB: libxml2 refuses a larger document without its "huge" option.)
    let sheet = "<worksheet><sheetData>" + String(repeating: String(repeating: " ", count: 1020) + "<x/>", count: 9 << 10) + "</sheetData></worksheet>"
    let book = #"<workbook><sheets><sheet name="a"/><sheet name="b"/><sheet name="c"/><sheet name="d"/></sheets></workbook>"#
    let total = TestZip.workbook(
      workbook: book, sheet: sheet, extra: (2...4).map { ("xl/worksheets/sheet\($0).xml", sheet) })
    #expect(UploadFixtures.xlsxRefusal(total) == "unpacks to more than 32 MiB in all; workbooks are refused above that")
  }

  @Test("offsets and counts of the zip structure are checked before use")
  func structure() throws {
    let export = try UploadFixtures.export()
    let local = try TestZip.patch(export, "xl/workbook.xml", field: 42, value: export.count - 10)
    #expect(UploadFixtures.xlsxRefusal(local) == "is a damaged zip archive (the header of xl/workbook.xml is missing)")
    let compressed = try TestZip.patch(export, "xl/workbook.xml", field: 20, value: 0x7FFF_FFF0)
    #expect(UploadFixtures.xlsxRefusal(compressed) == "is a damaged zip archive (the data of xl/workbook.xml lies outside the file)")

    // The end record: the directory's offset beyond the file, and too many entries.
    var directory = export
    let end = export.count - 22
    directory.replaceSubrange((end + 16)..<(end + 20), with: TestZip.le32(export.count))
    #expect(UploadFixtures.xlsxRefusal(directory) == "is a damaged zip archive (its directory lies outside the file)")
    var many = export
    many.replaceSubrange((end + 8)..<(end + 12), with: TestZip.le16(2000) + TestZip.le16(2000))
    #expect(UploadFixtures.xlsxRefusal(many) == "has 2000 parts; a workbook is refused above 1000")
    #expect(UploadFixtures.xlsxRefusal(Data(export.prefix(export.count / 2))) == "is not an .xlsx workbook (not a zip archive)")
    #expect(
      UploadFixtures.xlsxRefusal(TestZip.stored([("xl/workbook.xml", Data()), ("xl/workbook.xml", Data())]))
        == "has two parts named xl/workbook.xml")
  }

  @Test("XML parts: invalid UTF-8, document types and other encodings never reach the parser")
  func xmlPreflight() throws {
    var bad = Data(#"<workbook><sheets><sheet name="a"/></sheets></workbook>"#.utf8)
    bad.replaceSubrange(1..<2, with: [0xFF])  // "<\u{FF}orkbook>": an element name that is not UTF-8
    #expect(
      UploadFixtures.xlsxRefusal(TestZip.stored([("xl/workbook.xml", bad)])) == "has a part xl/workbook.xml that is not UTF-8 text")
    let doctype = #"<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaa">]><workbook><sheets><sheet name="&a;"/></sheets></workbook>"#
    #expect(UploadFixtures.xlsxRefusal(TestZip.workbook(workbook: doctype)) == "has a part xl/workbook.xml that declares a document type or entities")
    let latin = #"<?xml version="1.0" encoding="ISO-8859-1"?><workbook><sheets><sheet name="a"/></sheets></workbook>"#
    #expect(UploadFixtures.xlsxRefusal(TestZip.workbook(workbook: latin)) == "has a part xl/workbook.xml that declares an encoding other than UTF-8")
    #expect(UploadFixtures.xlsxRefusal(TestZip.workbook()) == "accepted")
  }

  @Test("cell references beyond Excel's sheet are refused, not overflowed")
  func references() {
    func sheet(_ body: String) -> String { UploadFixtures.xlsxRefusal(TestZip.workbook(sheet: "<worksheet><sheetData>\(body)</sheetData></worksheet>")) }
    #expect(sheet(#"<row r="2"><c r="B2" t="inlineStr"><is><t>x</t></is></c></row>"#) == "accepted")
    #expect(sheet(#"<row r="1"><c r="AAAAAAAAAAAAAAAAAAAAAAAA1"><v>1</v></c></row>"#) == "has a cell AAAAAAAAAAAAAAAAAAAA beyond Excel's last column XFD")
    #expect(sheet(#"<row r="1"><c r="XFE1"><v>1</v></c></row>"#) == "has a cell XFE1 beyond Excel's last column XFD")
    #expect(sheet(#"<row r="1"><c r="A99999999999999999999999"><v>1</v></c></row>"#) == "has a cell A9999999999999999999 outside Excel's rows 1 to 1048576")
    #expect(sheet(#"<row r="9223372036854775807"/><row/>"#) == "has a row numbered 9223372036854775807, outside Excel's rows 1 to 1048576")
    #expect(sheet(#"<row r="1048576"/><row/>"#) == "has more rows than Excel's 1048576")
    #expect(sheet(#"<row r="0"/>"#) == "has a row numbered 0, outside Excel's rows 1 to 1048576")
  }

  @Test("counts: sheets, shared strings, elements and nesting")
  func counts() throws {
    let sheets = (0...XLSXReader.maximumSheets).map { #"<sheet name="s\#($0)"/>"# }.joined()
    #expect(
      UploadFixtures.xlsxRefusal(TestZip.workbook(workbook: "<workbook><sheets>\(sheets)</sheets></workbook>"))
        == "has more than 64 sheets; workbooks are refused above that")
    let strings = "<sst>" + String(repeating: "<si/>", count: XLSXReader.maximumSharedStrings + 1) + "</sst>"
    #expect(
      UploadFixtures.xlsxRefusal(TestZip.workbook(extra: [("xl/sharedStrings.xml", strings)]))
        == "has more than 200000 shared strings; workbooks are refused above that")
    let deep = String(repeating: "<a>", count: XLSXReader.maximumDepth + 1) + String(repeating: "</a>", count: XLSXReader.maximumDepth + 1)
    #expect(UploadFixtures.xlsxRefusal(TestZip.workbook(sheet: deep)) == "nests XML elements more than 64 deep")

    // The element budget, spent across parts.
    struct Nothing: XMLHandler {
      mutating func start(_ name: String, _ attributes: [String: String]) throws(XMLStop) {}
      mutating func end(_ name: String) {}
      mutating func characters(_ text: String) {}
    }
    let ten = Data(("<r>" + String(repeating: "<a/>", count: 9) + "</r>").utf8)
    var elements = 15
    _ = try XLSXReader.parse(ten, part: "one.xml", Nothing(), elements: &elements)
    #expect(elements == 5)
    #expect(throws: XLSXError(reason: "has more than 2000000 XML elements; workbooks are refused above that")) {
      try XLSXReader.parse(ten, part: "two.xml", Nothing(), elements: &elements)
    }
  }
}

@Suite("Uploads: YAML", .timeLimit(.minutes(5)))
struct YAMLUploadTests {
  @Test("the alias bomb is refused at its first anchor, before any tree is built, as a catalog and as answers")
  func aliasBomb() throws {
    let text = try UploadFixtures.text("uploads/alias-bomb.yaml")
    var error: (any Error)?
    let elapsed = UploadFixtures.seconds {
      do { _ = try CatalogLoader.load(yaml: text, file: "bomb.yaml") } catch let caught { error = caught }
    }
    #expect("\(error.map { "\($0)" } ?? "accepted")" == "bomb.yaml:1: defines an anchor &l0; anchors and aliases are not accepted in uploaded YAML")
    #expect(elapsed < 0.5, "took \(elapsed) s")
    let catalog = try ChecklistFixtures.sample()
    do {
      _ = try AnswerFile.readYAML(text: text, file: "answers.yaml", catalog: catalog)
      Issue.record("the alias bomb was read as answers")
    } catch let problems as AnswerFile.Problems {
      #expect(problems.description == "answers.yaml:1: defines an anchor &l0; anchors and aliases are not accepted in uploaded YAML")
    }
  }

  @Test(
    "anchors, aliases, keys that are not text, depth, node count and size are refused with their line",
    arguments: [
      ("a: ok\nb: *x\n", "f.yaml:2: uses an alias *x; anchors and aliases are not accepted in uploaded YAML"),
      ("a: ok\nb: !!str &name v\n", "f.yaml:2: defines an anchor &name; anchors and aliases are not accepted in uploaded YAML"),
      ("a: 1\n? [x, y]\n: v\n", "f.yaml:2: uses a list or a map as a key; keys must be text"),
      ("a: 1\n? {x: y}\n: v\n", "f.yaml:2: uses a list or a map as a key; keys must be text"),
      (String(repeating: "[", count: 65) + String(repeating: "]", count: 65), "f.yaml:1: nests lists and maps more than 64 deep; YAML files are refused above that"),
      ("[" + String(repeating: "x,", count: 100_000) + "]", "f.yaml:1: has more than 100000 YAML nodes; YAML files are refused above that"),
      ("a: " + String(repeating: "x", count: 2 << 20), "f.yaml: is larger than 2 MiB; YAML files are refused above that"),
      ("a: [unclosed\n", "f.yaml:2: is not valid YAML (did not find expected ',' or ']')"),
    ])
  func refused(yaml: String, message: String) {
    #expect(throws: (any Error).self) { try YAMLGuard.check(yaml, file: "f.yaml") }
    do {
      try YAMLGuard.check(yaml, file: "f.yaml")
    } catch {
      #expect("\(error)" == message)
    }
  }

  @Test("the built-in catalogs and the sample pass the check unchanged (they use no anchors)")
  func builtIns() throws {
    let files = try FileManager.default.contentsOfDirectory(at: ChecklistFixtures.builtIn, includingPropertiesForKeys: nil)
      .filter { $0.pathExtension == "yaml" }
    #expect(files.count == 3)
    for file in files + [ChecklistFixtures.sampleURL] {
      try YAMLGuard.check(String(contentsOf: file, encoding: .utf8), file: file.lastPathComponent)
    }
    try YAMLGuard.check("", file: "empty.yaml")
    try YAMLGuard.check("a: [1, {b: c}]\n'quoted key': v\n", file: "plain.yaml")
  }
}

@Suite("Uploads: CSV answers", .timeLimit(.minutes(5)))
struct CSVUploadTests {
  @Test("rows, field length and size are bounded; every bad row is reported with its line")
  func limits() throws {
    let catalog = try ChecklistFixtures.sample()
    func problems(_ text: String) -> [String] {
      do {
        _ = try AnswerFile.readCSV(data: Data(text.utf8), file: "a.csv", catalog: catalog)
        return []
      } catch let problems as AnswerFile.Problems {
        return problems.errors.map(\.description)
      } catch {
        return ["\(error)"]
      }
    }
    let rows = "item_id,answer\n" + String(repeating: "common-1,○\n", count: AnswerFile.maximumCSVRows)
    #expect(problems(rows).last == "a.csv:20001: has more than 20000 rows; answer files are refused above that")
    #expect(problems("item_id,answer\ncommon-1," + String(repeating: "x", count: 5000) + "\n") == ["a.csv:2: has a field longer than 4096 bytes"])
    #expect(problems("item_id,answer\n" + String(repeating: "x", count: 3 << 20)) == ["a.csv: is larger than 2 MiB; answer files are refused above that"])
    #expect(problems("item_id,answer\ncommon-1,\"○\n") == ["a.csv:2: has an unterminated quoted field"])
  }

  @Test("any bytes: a refusal or answers, never a crash")
  func anyBytes() throws {
    let catalog = try ChecklistFixtures.sample()
    var generator = SystemRandomNumberGenerator()
    let alphabet: [UInt8] = Array("item_id,answer\"\r\n○common-1".utf8) + [0x00, 0x80, 0xC3, 0xE2, 0xFF, 0xEF, 0xBB, 0xBF]
    for _ in 0..<2000 {
      let count = Int.random(in: 0..<64, using: &generator)
      let bytes = Data((0..<count).map { _ in alphabet.randomElement(using: &generator)! })
      do {
        _ = try AnswerFile.readCSV(data: bytes, file: "a.csv", catalog: catalog)
      } catch let problems as AnswerFile.Problems {
        #expect(problems.errors.allSatisfy { $0.description.hasPrefix("a.csv") })
      }
    }
  }
}

@Suite("Uploads: the entry point of the sandbox", .timeLimit(.minutes(5)))
struct UploadParserTests {
  static let catalogText: String = (try? ChecklistFixtures.sampleText()) ?? ""

  func answers(_ name: String, _ data: Data) -> UploadOutcome {
    UploadParser.parse(UploadRequest(kind: .answers, fileName: name, catalogYAML: Self.catalogText), data: data)
  }

  @Test("answers as xlsx, CSV and YAML; catalogs as YAML; other extensions unsupported")
  func formats() throws {
    // A workbook gives the note, owner and due date columns of Mamori's export too (empty here).
    #expect(
      answers("export.xlsx", try UploadFixtures.export())
        == .entries(["common-1": .init(answer: "yes", note: "", owner: "", due: "")]))
    #expect(answers("a.CSV", Data("item_id,answer\ncommon-1,○\n".utf8)) == .answers(["common-1": "yes"]))
    #expect(answers("a.yml", Data("common-2: △\n".utf8)) == .answers(["common-2": "partial"]))
    #expect(answers("a.txt", Data("x".utf8)) == .unsupported)
    #expect(answers("yaml", Data("x".utf8)) == .unsupported)
    let catalog = UploadParser.parse(UploadRequest(kind: .catalog, fileName: "mine.yaml"), data: Data(Self.catalogText.utf8))
    #expect(catalog == .catalog(id: "sample", version: 2))
    #expect(UploadParser.parse(UploadRequest(kind: .catalog, fileName: "mine.xlsx"), data: Data()) == .unsupported)
    #expect(
      UploadParser.parse(UploadRequest(kind: .answers, fileName: "a.csv"), data: Data())
        == .refused(lines: ["a.csv: cannot be read: no checklist was given to match the answers against"], total: 1))
  }

  @Test("refusals: at most 50 lines and the total; names cleaned; too large; not UTF-8")
  func refusals() throws {
    let rows = (1...120).map { "nope-\($0),○" }.joined(separator: "\n")
    guard case .refused(let lines, let total) = answers("dir/many\n.csv", Data("item_id,answer\n\(rows)\n".utf8)) else {
      Issue.record("bad answers were accepted")
      return
    }
    #expect(lines.count == 50)
    #expect(total == 120)
    #expect(lines[0] == "many?.csv:2: names an unknown item \"nope-1\"")
    #expect(
      answers("big.csv", Data(count: UploadParser.maximumBytes + 1))
        == .refused(lines: ["big.csv: is larger than the upload limit of 10 MiB"], total: 1))
    #expect(answers("a.yaml", Data([0x61, 0x3A, 0x20, 0xFF])) == .refused(lines: ["a.yaml: is not UTF-8 text"], total: 1))
    let bomb = try UploadFixtures.data("uploads/alias-bomb.yaml")
    #expect(
      UploadParser.parse(UploadRequest(kind: .catalog, fileName: "bomb.yaml"), data: bomb)
        == .refused(lines: ["bomb.yaml:1: defines an anchor &l0; anchors and aliases are not accepted in uploaded YAML"], total: 1))
  }

  @Test("the request and the outcome travel as JSON")
  func json() throws {
    let request = UploadRequest(kind: .answers, fileName: "a.xlsx", catalogYAML: "id: x")
    #expect(try JSONDecoder().decode(UploadRequest.self, from: JSONEncoder().encode(request)) == request)
    for outcome: UploadOutcome in [.answers(["a": "yes"]), .entries(["a": .init(answer: "yes", note: "n", due: "2027-03-31")]), .catalog(id: "c", version: 3), .refused(lines: ["f: r"], total: 7), .unsupported] {
      #expect(try JSONDecoder().decode(UploadOutcome.self, from: JSONEncoder().encode(outcome)) == outcome)
    }
  }
}

@Suite("Detection output", .timeLimit(.minutes(5)))
struct DetectionOutputTests {
  @Test("CSV cells that a spreadsheet would run as a formula are prefixed with '; JSON is unchanged")
  func formulaCells() {
    #expect(AlertWriter.csvField("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")
    #expect(AlertWriter.csvField("+1") == "'+1")
    #expect(AlertWriter.csvField("-1") == "'-1")
    #expect(AlertWriter.csvField("@SUM(A1)") == "'@SUM(A1)")
    #expect(AlertWriter.csvField("\tx") == "'\tx")
    #expect(AlertWriter.csvField("\rx") == "\"'\rx\"")
    #expect(AlertWriter.csvField("u0042") == "u0042")
    #expect(AlertWriter.csvField("a=b") == "a=b")
    #expect(AlertWriter.csvField("a\r\nb") == "\"a\r\nb\"")
    #expect(AlertWriter.jsonString("=1") == "\"=1\"")
  }

  @Test("a detect run writes a user id =cmd as '=cmd in CSV and as =cmd in JSON")
  func detectRun() throws {
    var input = DetectionCase()
    input.person("=cmd", exit: "2026-03-01")
    input.asset("A1", "/share/a")
    input.grant("=cmd", "A1")
    input.event("2026-03-02T10:00:00+09:00", "=cmd", "download", "/share/a/x", "10")
    let outcome = try input.run()
    let alert = try #require(outcome.alerts.first)
    #expect(AlertWriter.csvLine(alert).contains(",'=cmd,"))
    #expect(AlertWriter.jsonLine(alert).contains(#""user_id":"=cmd""#))
  }

  @Test("an empty events file is reported on line 1")
  func emptyEvents() throws {
    var input = DetectionCase()
    input.events = [""]
    #expect {
      try input.run()
    } throws: { error in
      "\(error)" == "events.csv:1: is empty: it has no header"
    }
    input.events = ["\n\n"]
    #expect {
      try input.run()
    } throws: { error in
      "\(error)" == "events.csv:1: is empty: it has no header"
    }
  }
}
