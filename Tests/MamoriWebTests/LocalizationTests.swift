import Foundation
import MamoriCore
import Testing

@testable import MamoriWeb

@Suite("Locale catalogs and templates", .timeLimit(.minutes(5)))
struct LocalizationTests {
  let catalog = try! LocaleCatalog.load(directory: Repository.resources.appendingPathComponent("Locales"))

  func templates() throws -> [(name: String, text: String)] {
    let views = Repository.resources.appendingPathComponent("Views")
    return try FileManager.default.subpathsOfDirectory(atPath: views.path).filter { $0.hasSuffix(".leaf") }.sorted().map {
      ($0, try String(contentsOf: views.appendingPathComponent($0), encoding: .utf8))
    }
  }

  @Test("every #t key used in a template is in the catalog")
  func templateKeysExist() throws {
    for (name, text) in try templates() {
      for match in text.matches(of: /#t\("([^"]+)"/) {
        let known = catalog.has(String(match.1))
        #expect(known, "\(name) uses \(match.1), which is not in the catalog")
      }
    }
  }

  @Test("every catalog key written in the Swift sources exists")
  func sourceKeysExist() throws {
    let sources = Repository.root.appendingPathComponent("Sources")
    let files = try FileManager.default.subpathsOfDirectory(atPath: sources.path).filter { $0.hasSuffix(".swift") }
    var checked = 0
    for file in files {
      let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
      for match in text.matches(of: /(?:[.\s(]t\(|[.\s(]text\(|key: )"((?:[a-z_]+\.)+[a-z_]+)"/) {
        let key = String(match.1)
        let known = catalog.has(key)
        #expect(known, "\(file) uses \(key), which is not in the catalog")
        checked += 1
      }
    }
    #expect(checked > 100)
    // Keys built from enum values.
    for role in Role.allCases { #expect(catalog.has(role.labelKey)) }
    for type in EmploymentType.allCases { #expect(catalog.has(type.labelKey)) }
    for status in PersonStatus.allCases { #expect(catalog.has(status.labelKey)) }
    for status in User.Status.allCases { #expect(catalog.has(status.labelKey)) }
    for state in [AuditAccess.State.scheduled, .active, .ended, .revoked] { #expect(catalog.has(state.labelKey)) }
    for language in Language.allCases { #expect(catalog.has("language.\(language.rawValue)")) }
    for code in ["csrf", "bad_request", "unauthorized", "forbidden", "not_found", "conflict", "too_many", "too_large", "server"] {
      #expect(catalog.has("error.heading.\(code)") && catalog.has("error.message.\(code)"))
    }
    for message in FlashMessage.allCases { #expect(catalog.has(message.rawValue), "\(message)") }
    for kind in AuditTrailPage.kinds { #expect(catalog.has("audit_trail.kind.\(kind)")) }
    for scope in ApiTokenScope.allCases { #expect(catalog.has(scope.labelKey)) }
    for purpose in ["invitation", "reset"] {
      #expect(catalog.has("mail.\(purpose).subject") && catalog.has("mail.\(purpose).body"))
    }
  }

  /// Strips Leaf tags, HTML tags and entities from each template: whatever text is left was typed into
  /// the template instead of coming from the catalog.
  @Test("templates hold no user-visible text of their own")
  func noHardCodedText() throws {
    for (name, text) in try templates() {
      var rest = text
      rest = rest.replacing(/#\(([^()]|\([^()]*\))*\)/, with: " ")
      rest = rest.replacing(/#[a-zA-Z]+\(("[^"]*"|[^()"]|\([^()]*\))*\):?/, with: " ")
      rest = rest.replacing(/#(endif|endfor|endexport|endextend|else):?/, with: " ")
      rest = rest.replacing(/<!DOCTYPE html>/, with: " ")
      rest = rest.replacing(/<[^>]*>/, with: " ")
      rest = rest.replacing(/&[a-z]+;/, with: " ")
      let leftover = rest.filter { $0.isLetter }
      #expect(leftover.isEmpty, "\(name) has text outside the catalog: \(leftover.prefix(60))")
    }
  }

  @Test("both languages have the same keys and placeholders")
  func languagesMatch() {
    let ja = catalog.texts[.ja]!
    let en = catalog.texts[.en]!
    #expect(Set(ja.keys) == Set(en.keys))
    for (key, text) in ja {
      #expect(LocaleCatalog.placeholders(in: text) == LocaleCatalog.placeholders(in: en[key] ?? ""), "\(key)")
      #expect(!(en[key] ?? "").isEmpty, "\(key) is empty in English")
    }
  }
}
