import Foundation

/// The languages of the user interface. Japanese is the default: Mamori's users are Japanese companies.
public enum Language: String, CaseIterable, Sendable, Codable {
  case ja
  case en

  public static let `default` = Language.ja

  /// Picks the first supported language of an `Accept-Language` header, honouring q-values.
  public static func negotiate(acceptLanguage header: String?) -> Language? {
    guard let header, !header.isEmpty else { return nil }
    var candidates: [(tag: String, q: Double, order: Int)] = []
    for (order, part) in header.split(separator: ",").enumerated() {
      let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
      guard let tag = pieces.first, !tag.isEmpty else { continue }
      var q = 1.0
      for parameter in pieces.dropFirst() where parameter.hasPrefix("q=") {
        q = Double(parameter.dropFirst(2)) ?? 0
      }
      candidates.append((tag.lowercased(), q, order))
    }
    let ranked = candidates.filter { $0.q > 0 }.sorted { $0.q != $1.q ? $0.q > $1.q : $0.order < $1.order }
    for candidate in ranked {
      let primary = candidate.tag.split(separator: "-").first.map(String.init) ?? candidate.tag
      if let language = Language(rawValue: primary) { return language }
    }
    return nil
  }
}
