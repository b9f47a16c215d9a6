import Foundation
import Testing

@testable import MamoriCore

@Suite("Locale catalogs", .timeLimit(.minutes(5)))
struct LocaleCatalogTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/locales-bad")
  static let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Resources/Locales")

  @Test("the shipped catalogs load, with Japanese as the default")
  func shipped() throws {
    let catalog = try LocaleCatalog.load(directory: Self.resources)
    #expect(catalog.keys.count > 300)
    #expect(catalog.text("login.title", .ja) == "ログイン")
    #expect(catalog.text("login.title", .en) == "Sign in")
    #expect(catalog.text("dashboard.days_left", .ja, ["days": "9"]) == "あと9日")
    #expect(catalog.text("no.such.key", .en) == "⟦no.such.key⟧")
  }

  @Test("a YAML error names the file and the line")
  func syntaxError() {
    #expect {
      _ = try LocaleCatalog.load(directory: Self.fixtures.appendingPathComponent("syntax"))
    } throws: { error in
      let description = "\(error)"
      return description.contains("syntax/ja.yaml:") && (error as? CatalogError)?.line != nil
    }
  }

  @Test("a key missing from one language is reported")
  func missingKey() {
    #expect {
      _ = try LocaleCatalog.load(directory: Self.fixtures.appendingPathComponent("missing"))
    } throws: { error in
      "\(error)".contains("missing/en.yaml: lacks a.c")
    }
  }

  @Test("placeholders must match across languages, with the line of the offending text")
  func placeholderMismatch() {
    #expect {
      _ = try LocaleCatalog.load(directory: Self.fixtures.appendingPathComponent("placeholder"))
    } throws: { error in
      "\(error)".contains("placeholder/en.yaml:1: greeting uses placeholders [\"who\"] but ja.yaml uses [\"name\"]")
    }
  }

  @Test("plural forms: English one and other, Japanese other, exact values first, # is the count")
  func pluralForms() throws {
    let en = try MessageFormat.parse("{n, plural, =0 {no items} one {# item} other {# items}} in {place}")
    #expect(MessageFormat.format(en, .en, ["n": "0", "place": "A"]) == "no items in A")
    #expect(MessageFormat.format(en, .en, ["n": "1", "place": "A"]) == "1 item in A")
    #expect(MessageFormat.format(en, .en, ["n": "2", "place": "A"]) == "2 items in A")
    #expect(MessageFormat.format(en, .en, ["n": "1,234", "place": "A"]) == "1,234 items in A")
    #expect(MessageFormat.format(en, .en, ["n": "1.5", "place": "A"]) == "1.5 items in A")
    let ja = try MessageFormat.parse("{n, plural, other {#項目}}")
    #expect(MessageFormat.format(ja, .ja, ["n": "1"]) == "1項目")
    #expect(MessageFormat.placeholders(en) == ["n", "place"])
    #expect(MessageFormat.pluralNames(en) == ["n"])
    #expect(MessageFormat.foreignCategories(try MessageFormat.parse("{n, plural, one {#} other {#}}"), .ja) == ["one"])
    // Braces that hold no name stay text, as before plural forms existed.
    #expect(MessageFormat.format(try MessageFormat.parse("{ } {a-b} x}"), .en, [:]) == "{ } {a-b} x}")
    for broken in ["{n, plural, one {# item}}", "{n, plural, one {# item} other {# items}", "{n, select, other {x}}"] {
      #expect(throws: MessageFormat.SyntaxError.self, "\(broken)") { try MessageFormat.parse(broken) }
    }
  }

  @Test("every count of the shipped catalogs is a plural form in both languages")
  func shippedPlurals() throws {
    let catalog = try LocaleCatalog.load(directory: Self.resources)
    #expect(catalog.text("dashboard.days_left", .en, ["days": "1"]) == "1 day left")
    #expect(catalog.text("dashboard.days_left", .en, ["days": "3"]) == "3 days left")
    #expect(catalog.text("dashboard.days_left", .ja, ["days": "1"]) == "あと1日")
    #expect(catalog.text("people.summary_all", .en, ["total": "1"]) == "1 person")
    #expect(catalog.text("people.summary_all", .en, ["total": "120"]) == "120 people")
    #expect(catalog.text("people.summary_filtered", .ja, ["matching": "1", "total": "120"]) == "全120人中 1人が該当")
    #expect(catalog.text("assessments.items_count", .en, ["count": "1"]) == "1 item")
    #expect(catalog.text("assessments.unanswered", .en, ["count": "1"]) == "1 item is not answered yet.")
    #expect(catalog.text("assessments.unanswered", .en, ["count": "2"]) == "2 items are not answered yet.")
    #expect(catalog.text("detect.summary", .en, ["alerts": "1", "events": "1"]) == "1 alert (1 event analysed)")
    // Names that always carry a count, and texts that count characters, bytes or days.
    let counts: Set<String> = ["count", "days", "total", "matching", "alerts", "events", "answered", "minutes"]
    let counted = ["validation.too_long": "max", "validation.password_short": "min", "validation.password_long": "max"]
    var checked = 0
    for (key, text) in catalog.texts[.ja]! {
      for name in LocaleCatalog.placeholders(in: text) where counts.contains(name) || counted[key] == name {
        #expect(catalog.isPlural(key, for: name), "\(key) counts {\(name)} without a plural form in both languages")
        checked += 1
      }
    }
    #expect(checked >= 20)
    // No English text says "1 days" or "1 items": each plural has a one form where English needs it.
    for (key, text) in catalog.texts[.en]! where !LocaleCatalog.pluralNames(in: text).isEmpty {
      let arguments = Dictionary(uniqueKeysWithValues: LocaleCatalog.placeholders(in: text).map { ($0, "1") })
      let one = catalog.text(key, .en, arguments)
      for plural in ["1 days", "1 people", "1 items", "1 accounts", "1 problems", "1 alerts", "1 events", "1 characters", "1 minutes"] {
        #expect(!one.contains(plural), "\(key): \(one)")
      }
    }
  }

  @Test("the loader refuses a count that is plural in one language only, and a form the language lacks")
  func pluralMismatch() {
    #expect {
      _ = try LocaleCatalog.load(directory: Self.fixtures.appendingPathComponent("plural"))
    } throws: { error in
      "\(error)".contains("plural/en.yaml:1: items counts [] with plural forms but ja.yaml counts [\"count\"]")
    }
    #expect {
      _ = try LocaleCatalog.load(directory: Self.fixtures.appendingPathComponent("plural-category"))
    } throws: { error in
      "\(error)".contains("plural-category/ja.yaml:1: items uses the plural form \"one\", which ja does not have")
    }
  }

  @Test("Accept-Language negotiation honours q-values")
  func negotiation() {
    #expect(Language.negotiate(acceptLanguage: "en-US,en;q=0.9,ja;q=0.8") == .en)
    #expect(Language.negotiate(acceptLanguage: "fr-FR, ja;q=0.5, en;q=0.4") == .ja)
    #expect(Language.negotiate(acceptLanguage: "fr") == nil)
    #expect(Language.negotiate(acceptLanguage: nil) == nil)
  }
}
