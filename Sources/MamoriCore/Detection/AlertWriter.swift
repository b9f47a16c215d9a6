import Foundation

/// Writes alerts as JSON lines (the default), CSV or a table for people.
public enum AlertFormat: String, Sendable, CaseIterable {
  case jsonl
  case csv
  case table
}

public enum AlertWriter {
  /// One alert as a JSON object, keys in the contract's order.
  public static func jsonLine(_ alert: Alert) -> String {
    var bytes: [UInt8] = []
    appendJSON(alert, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends one alert as a JSON object (no line break). Built as bytes: tens of thousands of alerts are
  /// written in milliseconds.
  public static func appendJSON(_ alert: Alert, to out: inout [UInt8]) {
    func raw(_ text: StaticString) {
      text.withUTF8Buffer { out.append(contentsOf: $0) }
    }
    raw("{\"rule\":\"")
    out.append(contentsOf: alert.rule.rawValue.utf8)
    raw("\",\"severity\":\"")
    out.append(contentsOf: alert.severity.rawValue.utf8)
    raw("\",\"user_id\":")
    appendJSONString(alert.userID, to: &out)
    raw(",\"asset_id\":")
    if let asset = alert.assetID { appendJSONString(asset, to: &out) } else { raw("null") }
    raw(",\"date\":\"")
    out.append(contentsOf: alert.date.iso.utf8)
    raw("\",\"hour\":")
    if let hour = alert.hour { out.append(contentsOf: String(hour).utf8) } else { raw("null") }
    raw(",\"events\":")
    out.append(contentsOf: String(alert.events).utf8)
    raw(",\"bytes\":")
    out.append(contentsOf: number(alert.bytes).utf8)
    raw(",\"first\":")
    appendJSONString(alert.first, to: &out)
    raw(",\"last\":")
    appendJSONString(alert.last, to: &out)
    raw("}")
  }

  static func number(_ value: UInt128) -> String {
    value <= UInt128(UInt64.max) ? String(UInt64(value)) : String(value)
  }

  public static func jsonString(_ text: String) -> String {
    var bytes: [UInt8] = []
    appendJSONString(text, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// A JSON string: quotes, backslashes and control characters escaped; everything else as UTF-8.
  static func appendJSONString(_ text: String, to out: inout [UInt8]) {
    out.append(34)
    for byte in text.utf8 {
      switch byte {
      case 34: out.append(contentsOf: [92, 34])
      case 92: out.append(contentsOf: [92, 92])
      case 10: out.append(contentsOf: [92, 110])
      case 13: out.append(contentsOf: [92, 114])
      case 9: out.append(contentsOf: [92, 116])
      case 0..<32, 127:
        let hex = Array("0123456789abcdef".utf8)
        out.append(contentsOf: [92, 117, 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
      default: out.append(byte)
      }
    }
    out.append(34)
  }

  public static let csvHeader = "rule,severity,user_id,asset_id,date,hour,events,bytes,first,last"

  public static func csvLine(_ alert: Alert) -> String {
    [
      alert.rule.rawValue, alert.severity.rawValue, csvField(alert.userID), alert.assetID.map(csvField) ?? "",
      alert.date.iso, alert.hour.map { "\($0)" } ?? "", "\(alert.events)", number(alert.bytes), csvField(alert.first),
      csvField(alert.last),
    ].joined(separator: ",")
  }

  /// A CSV cell. A value that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed
  /// with `'`, so that a spreadsheet program shows it as text instead of running it as a formula (a
  /// user id of `=HYPERLINK(…)` in a log must not become a link); then quoted when needed.
  public static func csvField(_ text: String) -> String {
    var text = text
    if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
    guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// A table for a terminal, in the reader's language; `text` looks up the locale catalog.
  public static func table(_ alerts: [Alert], events: Int, language: Language, text: (String, [String: String]) -> String)
    -> String
  {
    let header = ["date", "user", "rule", "severity", "asset", "hour", "events", "bytes", "first", "last"]
      .map { text("detect.column.\($0)", [:]) }
    let rows = alerts.map { alert in
      [
        DateDisplay.date(alert.date, language), alert.userID, text("detect.rule.\(alert.rule.rawValue)", [:]),
        text("detect.severity.\(alert.severity.rawValue)", [:]), alert.assetID ?? "—",
        alert.hour.map { String(format: "%02d", $0) } ?? "—", "\(alert.events)", readableBytes(alert.bytes),
        alert.first, alert.last,
      ]
    }
    let summary = text("detect.summary", ["alerts": "\(alerts.count)", "events": "\(events)"])
    guard !rows.isEmpty else { return summary + "\n" }
    return TextColumns.render(header: header, rows: rows) + "\n\n" + summary + "\n"
  }

  /// 52428800 → 50.0 MiB; exact counts stay in the JSON and CSV formats.
  public static func readableBytes(_ bytes: UInt128) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024, unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
  }
}

/// Aligned columns for terminals; East Asian wide characters count as two columns.
public enum TextColumns {
  public static func width(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { total, scalar in
      let value = scalar.value
      let wide =
        (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value) || (0xAC00...0xD7A3).contains(value)
        || (0xF900...0xFAFF).contains(value) || (0xFE30...0xFE4F).contains(value) || (0xFF00...0xFF60).contains(value)
        || (0xFFE0...0xFFE6).contains(value) || (0x1F300...0x1FAFF).contains(value)
      return total + (wide ? 2 : 1)
    }
  }

  public static func render(header: [String], rows: [[String]]) -> String {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { width($0[column]) }.max() ?? 0 }
    return all.map { row in
      row.enumerated().map { index, cell in
        index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - width(cell))
      }.joined(separator: "  ")
    }.joined(separator: "\n")
  }
}
