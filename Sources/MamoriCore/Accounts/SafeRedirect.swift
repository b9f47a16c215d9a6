import Foundation

/// Where Mamori may send a browser after sign-in or a language switch: a path on this site, nothing else.
///
/// Browsers strip tabs and newlines from URLs and treat `\` as `/`, so `/\t/evil.example` or
/// `/\evil.example` become the protocol-relative `//evil.example`. A target is accepted only when it
/// starts with exactly one `/`, holds no control character, no backslash and no space (also not after
/// percent-decoding), and parses as a URL with neither scheme nor host.
public enum SafeRedirect {
  public static let maximumLength = 2000

  public static func path(_ candidate: String?) -> String? {
    guard let candidate, !candidate.isEmpty, candidate.utf8.count <= maximumLength else { return nil }
    guard candidate.hasPrefix("/"), !candidate.hasPrefix("//") else { return nil }
    let decoded = candidate.removingPercentEncoding ?? candidate
    for text in [candidate, decoded] {
      if text.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F || $0 == "\\" || (0x80...0x9F).contains($0.value) }) {
        return nil
      }
      if text.hasPrefix("//") { return nil }
    }
    guard let components = URLComponents(string: candidate), components.scheme == nil, components.host == nil,
      components.path.hasPrefix("/"), !components.path.hasPrefix("//")
    else { return nil }
    return candidate
  }
}
