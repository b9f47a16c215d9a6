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
}
