import Foundation
import Testing

@testable import MamoriCore

#if canImport(FoundationXML)
  import FoundationXML
#endif

enum ChecklistFixtures {
  static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  static let sampleURL = tests.appendingPathComponent("Fixtures/catalogs/sample.yaml")
  static let builtIn = tests.deletingLastPathComponent().appendingPathComponent("Resources/Catalogs")

  static func sample() throws -> Catalog { try CatalogLoader.load(url: sampleURL) }

  static func sampleText() throws -> String { try String(contentsOf: sampleURL, encoding: .utf8) }

  /// The sample with one line replaced, to check one rule at a time.
  static func broken(_ old: String, _ new: String) throws -> String {
    let text = try sampleText()
    precondition(text.contains(old), "the sample has no \(old)")
    return text.replacingOccurrences(of: old, with: new)
  }

  static func lineOf(_ needle: String, in text: String) -> Int {
    (text.components(separatedBy: "\n").lastIndex { $0.contains(needle) } ?? -1) + 1
  }
}

@Suite("Catalogs", .timeLimit(.minutes(5)))
struct CatalogTests {
  @Test("the sample loads: sections, items flat in order, fields and the item's heading")
  func sample() throws {
    let catalog = try ChecklistFixtures.sample()
    #expect(catalog.id == "sample")
    #expect(catalog.version == 2)
    #expect(catalog.items.map(\.id) == ["common-1", "common-2", "partners-1", "partners-2"])
    #expect(catalog.fields.map(\.id) == ["rules", "people", "systems"])
    #expect(catalog.item("common-2")?.fields == ["rules", "people"])
    #expect(catalog.item("partners-1")?.allowNotApplicable == true)
    #expect(catalog.item("common-1")?.allowNotApplicable == false)
    #expect(catalog.item("common-1")?.provenance == .verbatim)
    #expect(catalog.item("partners-2")?.sectionID == "partners")
    #expect(catalog.section("common")?.title.ja == "I 共通項目")
    #expect(catalog.answer(matching: "○")?.id == "yes")
    #expect(catalog.answer(matching: "一部実施している")?.id == "partial")
    #expect(catalog.answer(matching: "na")?.counts == false)
    #expect(catalog.maximumPoints == 2)
  }

  @Test("every built-in catalog loads and keeps the rules of docs/catalogs.md")
  func builtIn() throws {
    let catalogs = try CatalogLoader.loadFolder(ChecklistFixtures.builtIn)
    #expect(catalogs.map(\.id).sorted() == ["meti-best-practices", "meti-leakage-guidance", "tics-selfcheck-mamori"])
    for catalog in catalogs {
      #expect((3...12).contains(catalog.fields.count), "\(catalog.id)")
      #expect(!catalog.items.isEmpty, "\(catalog.id)")
      #expect(catalog.notice != nil, "\(catalog.id) must say it is not METI's official sheet")
      for item in catalog.items {
        #expect(item.provenance == .ours || catalog.source(item.source) != nil, "\(catalog.id) \(item.id)")
        #expect(!item.text.ja.isEmpty && !item.text.en.isEmpty, "\(catalog.id) \(item.id)")
      }
    }
    let tics = try #require(catalogs.first { $0.id == "tics-selfcheck-mamori" })
    // The four common items of the seed, quoted.
    let common = tics.items.filter { tics.section($0.sectionID ?? "")?.title.ja == "I 共通項目" }
    #expect(common.count == 4)
    #expect(common.allSatisfy { $0.provenance == .verbatim })
    #expect(common.first?.text.ja == "自社の情報セキュリティ対応方針の策定及び周知を実施している。")
  }

  @Test(
    "a mistake names the file, the line and the reason",
    arguments: [
      ("  - {id: people, name: {ja: 人, en: People}, provenance: ours}", "  - {id: people, nmae: {ja: 人, en: People}, provenance: ours}", "unknown key \"nmae\""),
      ("        fields: [rules, people]", "        fields: [rules, staff]", "unknown field \"staff\""),
      ("        source: meti-briefing-2025", "        source: nowhere", "is not among the sources"),
      ("version: 2", "version: 0", "version must be a positive whole number"),
      ("        text: {ja: 守るべき情報を特定している。, en: The information to protect is identified.}", "        text: {ja: 守るべき情報を特定している。}", "lacks \"en\""),
      ("      - id: partners-2", "      - id: common-1", "common-1"),
      ("        provenance: verbatim", "        provenance: quoted", "must be verbatim, paraphrase or ours"),
    ])
  func mistakes(old: String, new: String, reason: String) throws {
    let text = try ChecklistFixtures.broken(old, new)
    #expect {
      try CatalogLoader.load(yaml: text, file: "sample.yaml")
    } throws: { error in
      guard let error = error as? CatalogError else { return false }
      return error.file == "sample.yaml" && error.line != nil && error.reason.contains(reason)
    }
    // The line points at the mistake (or at the map that holds it).
    do {
      _ = try CatalogLoader.load(yaml: text, file: "sample.yaml")
    } catch let error as CatalogError {
      let line = try #require(error.line)
      let expected = ChecklistFixtures.lineOf(new.trimmingCharacters(in: .whitespaces), in: text)
      #expect(abs(line - expected) <= 2, "\(error) (expected near line \(expected))")
    }
  }

  @Test("a field without items and too few fields are refused")
  func fieldRules() throws {
    let twoFields = try ChecklistFixtures.broken("  - {id: systems, name: {ja: システム, en: Systems}, provenance: ours}\n", "")
      .replacingOccurrences(of: "fields: [systems]", with: "fields: [rules]")
    #expect(throws: CatalogError.self) { try CatalogLoader.load(yaml: twoFields, file: "x.yaml") }
    let empty = try ChecklistFixtures.broken("fields: [systems]", "fields: [rules]")
    do {
      _ = try CatalogLoader.load(yaml: empty, file: "x.yaml")
      Issue.record("a field without items was accepted")
    } catch let error as CatalogError {
      #expect(error.reason.contains("field systems has no item"))
    }
  }

  @Test("broken YAML is reported with its line")
  func brokenYAML() throws {
    #expect {
      try CatalogLoader.load(yaml: "id: x\nname: [unclosed\n", file: "bad.yaml")
    } throws: { error in
      (error as? CatalogError)?.line != nil && "\(error)".hasPrefix("bad.yaml:")
    }
  }
}

@Suite("Scoring", .timeLimit(.minutes(5)))
struct ScoringTests {
  @Test("○ = 2, △ = 1, × = 0: all ○ is 100 %, all △ 50 %, all × 0 %")
  func extremes() throws {
    let catalog = try ChecklistFixtures.sample()
    for (answer, expected) in [("yes", 100.0), ("partial", 50.0), ("no", 0.0)] {
      let report = Scoring.score(catalog, answers: Dictionary(uniqueKeysWithValues: catalog.items.map { ($0.id, answer) }))
      #expect(report.overall == expected)
      #expect(report.fields.allSatisfy { $0.score == expected })
      #expect(report.completeness == 100)
      #expect(report.isComplete)
    }
  }

  @Test("an item counts in every field it belongs to; '-' and unanswered items do not count")
  func counting() throws {
    let catalog = try ChecklistFixtures.sample()
    let report = Scoring.score(catalog, answers: ["common-1": "yes", "common-2": "partial", "partners-1": "na"])
    // rules: common-1 (2) + common-2 (1) over 2 × 2; people: common-2 (1) over 2 × 1 (partners-1 is "-").
    let rules = try #require(report.fields.first { $0.id == "rules" })
    let people = try #require(report.fields.first { $0.id == "people" })
    let systems = try #require(report.fields.first { $0.id == "systems" })
    #expect(rules.score == 75)
    #expect(rules.counted == 2)
    #expect(people.score == 50)
    #expect(people.counted == 1)
    #expect(people.items == 2)
    #expect(systems.score == nil)
    #expect(systems.counted == 0)
    #expect(report.overall == 75)
    #expect(report.counted == 2)
    #expect(report.answered == 3)
    #expect(report.completeness == 75)
    #expect(!report.isComplete)
  }

  @Test("no answers: no score anywhere, completeness 0; everything '-': no score but complete")
  func empty() throws {
    let catalog = try ChecklistFixtures.sample()
    let none = Scoring.score(catalog, answers: [:])
    #expect(none.overall == nil)
    #expect(none.completeness == 0)
    #expect(none.fields.allSatisfy { $0.score == nil })
    let allNA = Scoring.score(catalog, answers: Dictionary(uniqueKeysWithValues: catalog.items.map { ($0.id, "na") }))
    #expect(allNA.overall == nil)
    #expect(allNA.completeness == 100)
  }

  @Test("scores are shown with one decimal, rounded half up")
  func format() {
    #expect(Scoring.format(200.0 / 3) == "66.7")
    #expect(Scoring.format(100) == "100.0")
    #expect(Scoring.format(0) == "0.0")
    #expect(Scoring.format(12.25) == "12.3")
    #expect(Scoring.format(nil) == "—")
  }
}

@Suite("Radar chart", .timeLimit(.minutes(5)))
struct RadarChartTests {
  final class Collector: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var texts: [String] = []
    func parser(
      _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
      attributes: [String: String] = [:]
    ) { elements.append(elementName) }
    func parser(_ parser: XMLParser, foundCharacters string: String) { texts.append(string) }
  }

  func parse(_ svg: String) throws -> Collector {
    let parser = XMLParser(data: Data(svg.utf8))
    let collector = Collector()
    parser.delegate = collector
    #expect(parser.parse(), "the SVG is not well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
    return collector
  }

  @Test("3 to 12 axes: well-formed XML with a title, a description, one label and one point per axis", arguments: [3, 5, 12])
  func axes(count: Int) throws {
    let axes = (1...count).map { "分野\($0) & <more>" }
    let svg = RadarChart.svg(
      axes: axes, series: [.init(name: "2026年11月", values: (0..<count).map { Double($0 * 10) }, cssClass: "current")],
      title: "評価 \"A\"", description: "説明")
    let parsed = try parse(svg)
    #expect(parsed.elements.first == "svg")
    #expect(parsed.elements.contains("title"))
    #expect(parsed.elements.contains("desc"))
    #expect(parsed.elements.filter { $0 == "circle" }.count == count)
    #expect(parsed.elements.filter { $0 == "line" }.count == count)
    #expect(parsed.texts.joined().contains("分野1 & <more>"))
    #expect(svg.contains("aria-labelledby"))
  }

  @Test("every text a user can type is escaped: the chart is inlined into pages unescaped")
  func escaping() throws {
    let hostile = "<script>alert('x')</script>&\""
    let svg = RadarChart.svg(
      // Two series, so that the legend (drawn only for a comparison) is checked too: round titles are typed by users.
      axes: [hostile, "B", "C"],
      series: [
        .init(name: hostile, values: [1, 2, 3], cssClass: "current\" onload=\"x"),
        .init(name: hostile + "2", values: [3, 2, 1], cssClass: "previous"),
      ],
      title: hostile, description: hostile, emptyLabel: hostile, id: "r\" onload=\"x", caption: [hostile, hostile])
    #expect(!svg.contains("<script"))
    #expect(!svg.contains("\" onload"))
    #expect(svg.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"))
    _ = try parse(svg)
  }

  @Test("two series draw two polygons and a legend; a field without score is a hollow point at the centre")
  func comparison() throws {
    let svg = RadarChart.svg(
      axes: ["A", "B", "C"],
      series: [
        .init(name: "now", values: [100, nil, 50], cssClass: "current"),
        .init(name: "before", values: [50, 50, 50], cssClass: "previous"),
      ], title: "t", description: "d", emptyLabel: "no score")
    let parsed = try parse(svg)
    #expect(parsed.elements.filter { $0 == "circle" }.count == 6)
    #expect(svg.contains("B: no score"))
    #expect(svg.contains("fill=\"#ffffff\""))
    #expect(svg.contains("stroke-dasharray"))
    #expect(parsed.texts.contains("before"))
  }
}

@Suite("Evidence file checks", .timeLimit(.minutes(5)))
struct EvidenceFileTests {
  @Test("the extension must be accepted and the content must match it")
  func kinds() {
    #expect((try? EvidenceFile.check(name: "a.PDF", data: Data("%PDF-1.4".utf8)).get())?.contentType == "application/pdf")
    #expect((try? EvidenceFile.check(name: "a.png", data: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0])).get()) != nil)
    #expect((try? EvidenceFile.check(name: "a.xlsx", data: Data([0x50, 0x4B, 0x03, 0x04, 0])).get()) != nil)
    #expect((try? EvidenceFile.check(name: "メモ.txt", data: Data("規程の写し".utf8)).get()) != nil)
    func problem(_ name: String, _ data: Data) -> EvidenceFile.Problem? {
      if case .failure(let problem) = EvidenceFile.check(name: name, data: data) { return problem }
      return nil
    }
    #expect(problem("a.html", Data("<p>".utf8)) == .type)
    #expect(problem("a", Data("x".utf8)) == .type)
    #expect(problem("a.pdf", Data("<html>".utf8)) == .content)
    #expect(problem("a.docx", Data("%PDF-".utf8)) == .content)
    #expect(problem("a.txt", Data([0x41, 0x00, 0x42])) == .content)
    #expect(problem("a.txt", Data()) == .empty)
    #expect(problem("a.txt", Data(repeating: 0x41, count: EvidenceFile.maximumBytes + 1)) == .tooLarge)
  }

  @Test("names are shown without folders or control characters")
  func names() {
    #expect(EvidenceFile.displayName("../../etc/passwd") == "passwd")
    #expect(EvidenceFile.displayName("C:\\temp\\規程.pdf") == "規程.pdf")
    #expect(EvidenceFile.displayName("a\u{7}b.pdf") == "ab.pdf")
    #expect(EvidenceFile.displayName("") == "file")
    #expect(EvidenceFile.displayName(String(repeating: "あ", count: 200) + ".pdf").count == 120)
  }
}
