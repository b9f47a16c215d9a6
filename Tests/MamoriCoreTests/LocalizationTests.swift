import Foundation
import Testing

@testable import MamoriCore

@Suite("Locale catalogs")
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

  @Test("Accept-Language negotiation honours q-values")
  func negotiation() {
    #expect(Language.negotiate(acceptLanguage: "en-US,en;q=0.9,ja;q=0.8") == .en)
    #expect(Language.negotiate(acceptLanguage: "fr-FR, ja;q=0.5, en;q=0.4") == .ja)
    #expect(Language.negotiate(acceptLanguage: "fr") == nil)
    #expect(Language.negotiate(acceptLanguage: nil) == nil)
  }
}
