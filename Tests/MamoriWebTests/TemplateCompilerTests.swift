import Foundation
import MamoriCore
import Testing
import Vapor

@testable import MamoriWeb

/// The compiled templates against LeafKit on a template written to exercise Leaf's quirks, and the
/// refusals a broken template gets at start (decision 94). Every page snapshot is also compared with
/// LeafKit (`SnapshotTests.render`).
@Suite("Compiled templates", .timeLimit(.minutes(5)))
struct TemplateCompilerTests {
  static let fixtures = Repository.root.appendingPathComponent("Tests/Fixtures/templates")

  struct Item: Encodable, Sendable {
    var name: String
    var tags: [String]?
  }

  struct Group: Encodable, Sendable {
    var title: String
    var items: [Item]
  }

  struct Context: Encodable, Sendable {
    var lang: String
    var title = "A & B"
    var hostile = #"<script>alert("x's")</script> & more"#
    var markup = "<em>kept</em>"
    var count = 3
    var zero = 0
    var one = 1
    var two = 2
    var ratio = 0.25
    var flag = true
    var emptyText = ""
    var falseText = "false"
    var emptyList: [String] = []
    var name = "東京"
    var a = "apple"
    var b = "banana"
    var version = "9"
    var items = [
      Item(name: "first <1>", tags: ["x", "y"]), Item(name: "second", tags: nil), Item(name: "third", tags: []),
    ]
    var groups = [Group(title: "g1", items: [Item(name: "a"), Item(name: "b")]), Group(title: "g2", items: [Item(name: "c")])]
  }

  @Test("the quirks template renders byte for byte as LeafKit renders it", arguments: Language.allCases)
  func agreesWithLeafKit(language: Language) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let templates = try PageTemplates(directory: Self.fixtures, catalog: app.mamori.catalog, reloads: false)
      let context = Context(lang: language.rawValue)
      let compiled = String(buffer: try templates.render("quirks", context))
      let reference = try await LeafReference.render(app, "quirks", context, directory: Self.fixtures)
      #expect(compiled == reference)
      #expect(compiled.contains("&lt;script&gt;alert(&quot;x&#39;s&quot;)&lt;/script&gt; &amp; more"))
      #expect(compiled.contains("raw: <em>kept</em>"))
      #expect(compiled.contains("empty text holds") && compiled.contains("zero holds") && compiled.contains("empty list holds"))
      #expect(compiled.contains(#"<li class="first" data-i="0">first &lt;1&gt;[x0][y1]</li>"#))
      #expect(!compiled.contains("ignored text between exports"))
      #expect(compiled.contains(language == .ja ? "ホーム" : "Home"))
    }
  }

  @Test("a template in development is read again on every render")
  func reloads() async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-templates-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: directory) }
      let file = directory.appendingPathComponent("page.leaf")
      try Data("one #(count)".utf8).write(to: file)
      let templates = try PageTemplates(directory: directory, catalog: app.mamori.catalog, reloads: true)
      #expect(String(buffer: try templates.render("page", ["count": 1])) == "one 1")
      try Data("two #(count)".utf8).write(to: file)
      #expect(String(buffer: try templates.render("page", ["count": 1])) == "two 1")
    }
  }

  @Test(
    "a broken template stops the start, naming its file and line",
    arguments: [
      ("<p>\n#if(a):\nopen", "page.leaf:2: #if is never closed with #endif"),
      ("a\nb\n#for(x):#endfor", "page.leaf:3: #for takes `item in path`"),
      ("#t(\"no.such.key\")", "page.leaf:1: #t: no.such.key is not in the locale catalog"),
      ("\n#count(items)", "page.leaf:2: #count is not a tag Mamori's templates use"),
      ("#endif", "page.leaf:1: #endif closes nothing"),
      ("#(a ++ b)", "page.leaf:1: "),
      ("#extend(\"page\")", "page.leaf:0: extends itself through page"),
      ("#(\"open)", "page.leaf:1: "),
    ])
  func refusesBrokenTemplates(source: String, message: String) async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-templates-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: directory) }
      try Data(source.utf8).write(to: directory.appendingPathComponent("page.leaf"))
      let error = #expect(throws: TemplateError.self) {
        try PageTemplates(directory: directory, catalog: app.mamori.catalog, reloads: false)
      }
      #expect(error?.description.hasPrefix(message) == true, "\(error.map(String.init(describing:)) ?? "no error")")
    }
  }

  @Test("every page template compiles")
  func pagesCompile() async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let views = URL(fileURLWithPath: app.mamori.settings.resourcesDirectory).appendingPathComponent("Views")
      let templates = try PageTemplates(directory: views, catalog: app.mamori.catalog, reloads: false)
      let files = FileManager.default.enumerator(atPath: views.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".leaf") } ?? []
      #expect(templates.names.count == files.count)
      #expect(templates.names.contains("layout") && templates.names.contains("partials/field"))
    }
  }
}
