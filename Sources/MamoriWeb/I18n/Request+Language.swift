import MamoriCore
import Vapor

extension Request {
  static let languageCookie = "mamori_lang"

  /// The language of this response: the signed-in user's choice, else the visitor's cookie, else
  /// Japanese. The browser's `Accept-Language` is deliberately not consulted: Mamori is Japanese
  /// first, and a shared office PC's browser setting should not decide it.
  public var language: Language {
    if let user = currentUser { return user.language }
    if let value = cookies[Request.languageCookie]?.string, let language = Language(rawValue: value) {
      return language
    }
    return .default
  }

  /// A text of the locale catalog in this request's language.
  func t(_ key: String, _ arguments: [String: String] = [:]) -> String {
    mamori.catalog.text(key, language, arguments)
  }

  /// The catalog and language resolved once, for a view model that looks up a text per row (each
  /// `t` otherwise reads the application's and the request's storage again).
  var translator: Translator { Translator(catalog: mamori.catalog, language: language) }
}

/// Texts of the locale catalog in one language.
struct Translator: Sendable {
  let catalog: LocaleCatalog
  let language: Language

  func callAsFunction(_ key: String, _ arguments: [String: String] = [:]) -> String {
    catalog.text(key, language, arguments)
  }

  /// Formats a day: 2026年3月2日 / 2 March 2026.
  func display(_ date: CivilDate?) -> String? {
    date.map { DateDisplay.date($0, language) }
  }
}
