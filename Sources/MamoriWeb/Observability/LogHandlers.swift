import Foundation
import Logging
import MamoriCore

/// Structured logs on standard error: one line per event, as text for people or JSON for collectors.
public struct MamoriLogHandler: LogHandler {
  public enum Format: String, Sendable, CaseIterable {
    case text
    case json
  }

  public var metadata: Logger.Metadata = [:]
  public var logLevel: Logger.Level
  public var metadataProvider: Logger.MetadataProvider?
  let label: String
  let format: Format
  let write: @Sendable (String) -> Void

  public init(
    label: String, level: Logger.Level, format: Format,
    write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
  ) {
    self.label = label
    self.logLevel = level
    self.format = format
    self.write = write
  }

  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  public func log(event: LogEvent) {
    var merged = metadata
    if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
    if let extra = event.metadata { merged.merge(extra) { $1 } }
    let line = Self.render(
      format: format, time: Date(), level: event.level, label: label, message: "\(event.message)", metadata: merged,
      source: event.source)
    write(line)
  }

  /// bcrypt hashes (`$2b$12$` and 53 characters) wherever they appear: Fluent logs queries with their
  /// values at `debug`, and a password hash is a secret at every level.
  static func redact(_ line: String) -> String {
    guard line.contains("$2") else { return line }
    return line.replacing(/\$2[abxy]\$\d{2}\$[.\/A-Za-z0-9]{53}/, with: "[bcrypt hash redacted]")
  }

  /// UTC with milliseconds, built by hand: `ISO8601DateFormatter` is not safe to share across threads.
  static func timestamp(_ date: Date) -> String {
    let milliseconds = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
    let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
    let day = CivilDate(daysSinceEpoch: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    let secondOfDay = seconds - day.daysSinceEpoch * 86_400
    return String(
      format: "%@T%02d:%02d:%02d.%03dZ", day.iso, secondOfDay / 3600, (secondOfDay % 3600) / 60, secondOfDay % 60,
      milliseconds - seconds * 1000)
  }

  static func render(
    format: Format, time: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata,
    source: String
  ) -> String {
    redact(renderUnredacted(format: format, time: time, level: level, label: label, message: message, metadata: metadata, source: source))
  }

  static func renderUnredacted(
    format: Format, time: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata,
    source: String
  ) -> String {
    let timestamp = Self.timestamp(time)
    switch format {
    case .text:
      let fields = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
      return "\(timestamp) \(level) \(label): \(message)\(fields.isEmpty ? "" : " " + fields)"
    case .json:
      var object: [String: Any] = [
        "time": timestamp, "level": "\(level)", "logger": label, "message": message, "source": source,
      ]
      for (key, value) in metadata where object[key] == nil { object[key] = jsonValue(value) }
      guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
      else { return "{\"message\":\"unencodable log event\"}" }
      return String(decoding: data, as: UTF8.self)
    }
  }

  static func jsonValue(_ value: Logger.Metadata.Value) -> Any {
    switch value {
    case .string(let string): return string
    case .stringConvertible(let convertible): return "\(convertible)"
    case .array(let array): return array.map(jsonValue)
    case .dictionary(let dictionary): return dictionary.mapValues(jsonValue)
    }
  }
}
