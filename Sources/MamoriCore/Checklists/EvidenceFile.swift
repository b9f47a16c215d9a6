import Foundation

/// Which files may be attached as evidence, by name and by content: the extension must be one of
/// these and the first bytes must be what that kind of file starts with, so that a renamed program
/// or web page is refused.
public enum EvidenceFile {
  public static let maximumBytes = 10 << 20

  public enum Problem: String, Error, Sendable {
    case empty
    case tooLarge = "too_large"
    case type
    case content
  }

  public struct Kind: Sendable, Equatable {
    public var extensions: [String]
    public var contentType: String
  }

  static let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04]

  public static let kinds: [Kind] = [
    Kind(extensions: ["pdf"], contentType: "application/pdf"),
    Kind(extensions: ["png"], contentType: "image/png"),
    Kind(extensions: ["jpg", "jpeg"], contentType: "image/jpeg"),
    Kind(extensions: ["xlsx"], contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    Kind(extensions: ["docx"], contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    Kind(extensions: ["pptx"], contentType: "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    Kind(extensions: ["csv"], contentType: "text/csv; charset=utf-8"),
    Kind(extensions: ["txt"], contentType: "text/plain; charset=utf-8"),
  ]

  public static var acceptedExtensions: [String] { kinds.flatMap(\.extensions) }

  /// The file's kind, or why it is refused.
  public static func check(name: String, data: Data) -> Result<Kind, Problem> {
    guard !data.isEmpty else { return .failure(.empty) }
    guard data.count <= maximumBytes else { return .failure(.tooLarge) }
    let ext = (name as NSString).pathExtension.lowercased()
    guard let kind = kinds.first(where: { $0.extensions.contains(ext) }) else { return .failure(.type) }
    let head = [UInt8](data.prefix(8))
    func starts(_ bytes: [UInt8]) -> Bool { head.starts(with: bytes) }
    let fits: Bool
    switch ext {
    case "pdf": fits = starts(Array("%PDF-".utf8))
    case "png": fits = starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    case "jpg", "jpeg": fits = starts([0xFF, 0xD8, 0xFF])
    case "xlsx", "docx", "pptx": fits = starts(zip)
    default:
      // Text: UTF-8 without NUL bytes (a binary renamed .txt fails here).
      fits = !data.contains(0) && String(data: data, encoding: .utf8) != nil
    }
    return fits ? .success(kind) : .failure(.content)
  }

  /// A name safe to show and to offer in a download: no folders, no control characters, at most 120 characters.
  public static func displayName(_ name: String) -> String {
    let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
    let cleaned = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
      .trimmingCharacters(in: .whitespaces)
    let name = cleaned.isEmpty ? "file" : cleaned
    return name.count > 120 ? String(name.prefix(60)) + "…" + String(name.suffix(59)) : name
  }
}
