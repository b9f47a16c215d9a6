import Foundation
import MamoriCore
import Testing

/// `mamori checklist`: the JSON shapes of the contract, the table, the SVG, and exit status 2
/// with the line of every bad answer.
@Suite("Checklist command", .timeLimit(.minutes(5)))
struct ChecklistCLITests {
  let cli = CLITests()
  let fixtures = Repository.root.appendingPathComponent("Tests/Fixtures/catalogs").path

  func run(_ arguments: [String]) throws -> CLITests.Run {
    try cli.run(["checklist"] + arguments, dataDirectory: nil)
  }

  func write(_ text: String, _ name: String) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-\(UUID().uuidString)-\(name)")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  @Test("every workbook that once crashed or hung a parser is refused with exit status 2 and a reason")
  func fuzzCrashes() throws {
    let folder = Repository.fixtures.appendingPathComponent("fuzz-crashes/xlsx")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".xlsx") }
    #expect(files.count >= 3)
    for file in files + ["../../uploads/zip-bomb.xlsx"] {
      let path = folder.appendingPathComponent(file).path
      let result = try run(["score", "tics-selfcheck-mamori", "--answers", path])
      #expect(result.status == 2, "\(file): \(result.status) \(result.stderr)")
      #expect(result.stderr.contains((file as NSString).lastPathComponent), "\(file): \(result.stderr)")
    }
  }

  @Test("list: id, name, version and items of every catalog")
  func list() throws {
    let result = try run(["list", "--format", "json", "--catalogs-dir", fixtures, "--lang", "en"])
    #expect(result.status == 0, "\(result.stderr)")
    let catalogs = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    let sample = try #require(catalogs.first { $0["id"] as? String == "sample" })
    #expect(sample["name"] as? String == "Test checklist")
    #expect(sample["version"] as? Int == 2)
    #expect(sample["items"] as? Int == 4)
    #expect(catalogs.contains { $0["id"] as? String == "tics-selfcheck-mamori" })
    let table = try run(["list", "--catalogs-dir", fixtures, "--lang", "ja"])
    #expect(table.stdout.hasPrefix("ID"))
    #expect(table.stdout.contains("テスト用チェックリスト"))
  }

  @Test("show: fields and items flat in catalog order, with the section heading and number of METI's layout")
  func show() throws {
    let result = try run(["show", "sample", "--format", "json", "--catalogs-dir", fixtures, "--lang", "ja"])
    #expect(result.status == 0, "\(result.stderr)")
    let catalog = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(catalog["id"] as? String == "sample")
    #expect(catalog["name"] as? String == "テスト用チェックリスト")
    let fields = try #require(catalog["fields"] as? [[String: Any]])
    #expect(fields.map { $0["id"] as? String } == ["rules", "people", "systems"])
    #expect(fields[0]["name"] as? String == "ルール")
    let items = try #require(catalog["items"] as? [[String: Any]])
    #expect(items.map { $0["id"] as? String } == ["common-1", "common-2", "partners-1", "partners-2"])
    #expect(items[0]["section"] as? String == "I 共通項目")
    #expect(items[0]["number"] as? String == "1")
    #expect(items[0]["text"] as? String == "自社の情報セキュリティ対応方針の策定及び周知を実施している。")
    #expect(items[1]["fields"] as? [String] == ["rules", "people"])
    #expect(items[2]["allow_na"] as? Bool == true)
    #expect(items[3]["allow_na"] as? Bool == false)
    #expect(items[3]["section"] as? String == "II 取引先")
  }

  @Test("score: the contract's JSON with one decimal and null for a field without counted items; the SVG")
  func score() throws {
    let answers = try write("item_id,answer\ncommon-1,○\ncommon-2,partial\npartners-1,-\n", "answers.csv")
    let svg = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-\(UUID().uuidString).svg")
    defer { try? FileManager.default.removeItem(at: svg) }
    let result = try run(["score", "sample", "--answers", answers, "--svg", svg.path, "--format", "json", "--catalogs-dir", fixtures])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("\"overall\":75.0"))
    #expect(result.stdout.contains("\"completeness\":75.0"))
    let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let fields = try #require(report["fields"] as? [[String: Any]])
    #expect(fields.map { $0["id"] as? String } == ["rules", "people", "systems"])
    #expect(fields[0]["score"] as? Double == 75)
    #expect(fields[0]["counted"] as? Int == 2)
    #expect(fields[1]["score"] as? Double == 50)
    #expect(fields[2]["score"] is NSNull)
    #expect(fields[2]["counted"] as? Int == 0)
    let chart = try String(contentsOf: svg, encoding: .utf8)
    // The caption names the checklist, the answers file, the day and 「Mamori版」; the day is today's.
    let today = DateDisplay.date(CivilDate(Date(), in: .current), .ja)
    let file = (answers as NSString).lastPathComponent
    #expect(chart.contains("テスト用チェックリスト｜\(file)｜\(today)作成"))
    #expect(chart.contains("Mamori版"))
    try assertSnapshot(
      chart.replacingOccurrences(of: today, with: "YYYY年M月D日").replacingOccurrences(of: file, with: "answers.csv"),
      named: "radar-sample.svg")
    let yaml = try write("common-1: yes\ncommon-2: \"no\"\n", "answers.yaml")
    let table = try run(["score", "sample", "--answers", yaml, "--catalogs-dir", fixtures, "--lang", "en"])
    #expect(table.status == 0)
    #expect(table.stdout.contains("Overall"))
    #expect(table.stdout.contains("Answered: 50.0% (2/4)"))
  }

  @Test("unknown items, bad answers and '-' where not allowed: every line on standard error, exit status 2")
  func badAnswers() throws {
    let answers = try write("item_id,answer\ncommon-1,○\nmissing,○\ncommon-2,maybe\npartners-2,-\n", "bad.csv")
    let result = try run(["score", "sample", "--answers", answers, "--format", "json", "--catalogs-dir", fixtures])
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    let lines = result.stderr.split(separator: "\n").map(String.init)
    #expect(lines.count == 3)
    #expect(lines[0].hasSuffix("bad.csv:3: names an unknown item \"missing\""))
    #expect(lines[1].contains("bad.csv:4: has an unknown answer \"maybe\""))
    #expect(lines[2].contains("bad.csv:5: answers - for partners-2, which cannot be not applicable"))
    let unknown = try run(["show", "nowhere", "--catalogs-dir", fixtures])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("no catalog \"nowhere\""))
  }

  @Test("a broken catalog in --catalogs-dir names its file and line, exit status 2")
  func brokenCatalog() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-cat-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try "id: broken\nversion: 1\nname: {ja: 壊れた}\n".write(to: folder.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
    let result = try run(["list", "--catalogs-dir", folder.path])
    #expect(result.status == 2)
    #expect(result.stderr.contains("broken.yaml:"))
  }
}
