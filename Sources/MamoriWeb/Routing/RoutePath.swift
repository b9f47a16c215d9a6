import Foundation
import Vapor

/// One piece of a route's path: fixed text, or a parameter that is either a placeholder (when the
/// route is registered) or a value (when a link is built).
enum PathSegment: Hashable, Sendable {
  case constant(String)
  case parameter(String, value: String?)
}

/// A route both registered and linked from the same definition, so that links cannot drift from the
/// paths the server answers (the approach of SwiftPackageIndex-Server's `SiteURL`).
protocol TypedRoute: Sendable {
  var segments: [PathSegment] { get }
}

extension TypedRoute {
  /// For `app.on(…)`: parameters become `:name`.
  var pathComponents: [PathComponent] {
    segments.map {
      switch $0 {
      case .constant(let text): return .constant(text)
      case .parameter(let name, _): return .parameter(name)
      }
    }
  }

  /// For links: `/people/0F…`. A parameter without a value is a programming error.
  var path: String {
    "/"
      + segments.map { segment -> String in
        switch segment {
        case .constant(let text): return text
        case .parameter(let name, let value):
          guard let value else { preconditionFailure("link to \(self) built without a value for :\(name)") }
          return Self.encodeSegment(value)
        }
      }.joined(separator: "/")
  }

  /// Percent-encodes one path segment: what `.urlPathAllowed` lets through except `/`. Links are built
  /// for every row of a list, and ids almost never need encoding, so those return at once.
  static func encodeSegment(_ value: String) -> String {
    func allowed(_ byte: UInt8) -> Bool {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        return true
      default:
        return "!$&'()*+,-.:;=@_~".utf8.contains(byte)
      }
    }
    guard !value.utf8.allSatisfy(allowed) else { return value }
    let hex = Array("0123456789ABCDEF".utf8)
    var bytes: [UInt8] = []
    for byte in value.utf8 {
      if allowed(byte) {
        bytes.append(byte)
      } else {
        bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The path as a pattern, `/people/:personID`, as Vapor reports it in `route.path`.
  var pattern: String {
    "/"
      + segments.map { segment -> String in
        switch segment {
        case .constant(let text): return text
        case .parameter(let name, _): return ":\(name)"
        }
      }.joined(separator: "/")
  }

  func path(query: [(String, String)]) -> String {
    var components = URLComponents()
    components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
    guard let encoded = components.percentEncodedQuery, !encoded.isEmpty else { return path }
    return "\(path)?\(encoded)"
  }
}

func parts(_ text: String) -> [PathSegment] {
  text.split(separator: "/").map { .constant(String($0)) }
}

func id(_ name: String, _ value: UUID?) -> PathSegment {
  .parameter(name, value: value?.uuidString.lowercased())
}

func token(_ name: String, _ value: String?) -> PathSegment {
  .parameter(name, value: value)
}
