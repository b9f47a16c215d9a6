import Foundation

/// Reading and writing the register's CSV files: people, assets and grants, with the detection
/// contract's column names (docs/detection.md) plus the register's own, or the Japanese headers an
/// office's Excel sheet has; UTF-8 (with or without BOM) or CP932 (Excel's "CSV" in Japanese Windows).
public enum RegisterFile: String, CaseIterable, Codable, Sendable {
  case people
  case assets
  case grants
}

public enum TextEncodingChoice: String, CaseIterable, Sendable {
  /// UTF-8 when the bytes are valid UTF-8 (a BOM settles it), CP932 otherwise.
  case auto
  case utf8
  case cp932
}

/// One problem of an import, with the physical line its record starts on (the header is line 1; 0
/// for the whole file) and a locale key, so that the page and the command line say it in their language.
public struct ImportProblem: Codable, Sendable, Equatable {
  public var line: Int
  /// The column the problem is in, when it is in one.
  public var column: String?
  public var key: String
  public var arguments: [String: String]

  public init(line: Int, column: String? = nil, key: String, arguments: [String: String] = [:]) {
    self.line = line
    self.column = column
    self.key = key
    self.arguments = arguments
  }
}

public struct CSVTable: Sendable, Equatable {
  /// Header names as written (trimmed).
  public var header: [String]
  /// Each record with the line it starts on.
  public var rows: [(line: Int, fields: [String])]
  /// The header's line: 1 in a CSV file; in a workbook, the first row with a value.
  public var headerLine = 1

  public init(header: [String], rows: [(line: Int, fields: [String])], headerLine: Int = 1) {
    self.header = header
    self.rows = rows
    self.headerLine = headerLine
  }

  public static func == (lhs: CSVTable, rhs: CSVTable) -> Bool {
    lhs.header == rhs.header && lhs.headerLine == rhs.headerLine && lhs.rows.map(\.line) == rhs.rows.map(\.line)
      && lhs.rows.map(\.fields) == rhs.rows.map(\.fields)
  }
}

public enum RegisterCSV {
  /// The largest file read (the upload limit of the pages).
  public static let maximumBytes = 10 * 1024 * 1024
  public static let maximumRows = 300_000

  /// Bytes to text. CP932 is decoded by Foundation's Shift_JIS converter, which on Linux and macOS
  /// is Windows code page 932 (NEC and IBM extensions: ①, ㈱, 髙).
  public static func decode(_ data: Data, as choice: TextEncodingChoice = .auto) throws(ImportFailure) -> String {
    guard data.count <= maximumBytes else { throw ImportFailure([ImportProblem(line: 0, key: "register_import.too_large")]) }
    var bytes = data
    let hasBOM = bytes.starts(with: [0xEF, 0xBB, 0xBF])
    if hasBOM { bytes = bytes.dropFirst(3) }
    if choice != .cp932, let text = String(validating: bytes, as: UTF8.self) { return text }
    if choice == .utf8 || hasBOM { throw ImportFailure([ImportProblem(line: 0, key: "register_import.not_utf8")]) }
    guard let text = String(data: bytes, encoding: .shiftJIS) else {
      throw ImportFailure([ImportProblem(line: 0, key: choice == .cp932 ? "register_import.not_cp932" : "register_import.unknown_encoding")])
    }
    return text
  }

  /// RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks; CRLF or LF;
  /// completely empty lines are skipped.
  public static func parse(_ text: String) throws(ImportFailure) -> CSVTable {
    var text = text
    // Over the UTF-8 bytes: the characters that matter (comma, quote, CR, LF) are ASCII and never part
    // of another character's bytes, and a field is made into a string once (decision 165).
    let parsed = text.withUTF8 { bytes in Result { () throws(ImportFailure) in try parse(bytes) } }
    return try parsed.get()
  }

  private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(ImportFailure) -> CSVTable {
    let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
    var records: [(line: Int, fields: [String])] = []
    var fields: [String] = []
    var field: [UInt8] = []
    field.reserveCapacity(256)
    var inQuotes = false
    var afterQuote = false
    var line = 1
    var recordLine = 1
    var recordHasContent = false
    let count = bytes.count
    var index = 0
    func endField() {
      fields.append(String(decoding: field, as: UTF8.self))
      field.removeAll(keepingCapacity: true)
      afterQuote = false
    }
    func endRecord() {
      endField()
      if recordHasContent || fields.count > 1 || fields.first?.isEmpty == false { records.append((recordLine, fields)) }
      fields = []
      fields.reserveCapacity(16)
      recordHasContent = false
    }
    while index < count {
      let byte = bytes[index]
      index += 1
      if inQuotes {
        if byte == quote {
          if index < count, bytes[index] == quote {
            field.append(quote)
            index += 1
          } else {
            inQuotes = false
            afterQuote = true
          }
        } else {
          if byte == lf { line += 1 }
          field.append(byte)
        }
        continue
      }
      switch byte {
      case comma:
        recordHasContent = true
        endField()
      case cr, lf:
        if byte == cr, index < count, bytes[index] == lf { index += 1 }
        endRecord()
        line += 1
        recordLine = line
        if records.count > maximumRows { throw ImportFailure([ImportProblem(line: line, key: "register_import.too_many_rows")]) }
      case quote where field.isEmpty && !afterQuote:
        inQuotes = true
        recordHasContent = true
      default:
        if afterQuote { throw ImportFailure([ImportProblem(line: recordLine, key: "register_import.bad_quote")]) }
        // Bytes up to the next special one go in at once.
        var end = index
        while end < count {
          let next = bytes[end]
          if next == comma || next == quote || next == cr || next == lf { break }
          end += 1
        }
        field.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(index - 1)..<end]))
        index = end
        recordHasContent = true
      }
    }
    if inQuotes { throw ImportFailure([ImportProblem(line: recordLine, key: "register_import.unterminated_quote")]) }
    if !field.isEmpty || !fields.isEmpty || recordHasContent { endRecord() }
    guard let first = records.first else { throw ImportFailure([ImportProblem(line: 1, key: "register_import.empty")]) }
    return CSVTable(header: first.fields.map { trimmed($0) }, rows: Array(records.dropFirst()))
  }

  /// `text` without the spaces (`CharacterSet.whitespaces`) at its ends; most values have none, and
  /// are returned without Foundation's scan.
  public static func trimmed(_ text: String) -> String {
    guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return text }
    let spaces = CharacterSet.whitespaces
    guard spaces.contains(first) || spaces.contains(last) else { return text }
    return text.trimmingSpaces()
  }

  /// The columns of each file: the canonical (exported) name first, then the names accepted on import,
  /// compared case-insensitively after trimming.
  public static func columns(_ file: RegisterFile) -> [(name: String, aliases: [String])] {
    switch file {
    case .people:
      return [
        ("user_id", ["ユーザーID", "ログインID", "login_name"]), ("code", ["社員番号", "staff_number"]), ("name", ["氏名", "full_name"]),
        ("family_name", ["姓"]), ("given_name", ["名"]), ("department", ["部署"]), ("employment_type", ["雇用区分"]),
        ("job_title", ["役職", "役職・担当"]), ("hire_date", ["入社日"]), ("notice_date", ["退職申出日"]), ("exit_date", ["最終出社日"]),
        ("leaving_date", ["退職日"]), ("email", ["メール", "メールアドレス"]), ("training_language", ["教育言語"]),
        ("key_person", ["キーパーソン"]),
      ]
    case .assets:
      return [
        ("asset_id", ["資産ID"]), ("name", ["名称"]), ("location", ["所在"]), ("level", ["区分"]), ("owner", ["管理者"]),
        ("group", ["グループ"]), ("form", ["形態"]), ("description", ["説明"]), ("retention", ["保管期間"]), ("disposal", ["廃棄方法"]),
      ]
    case .grants:
      return [
        ("user_id", ["ユーザーID", "ログインID"]), ("asset_id", ["資産ID"]), ("granted_on", ["付与日"]), ("expires_on", ["期限"]),
        ("reason", ["理由"]),
      ]
    }
  }

  public static func required(_ file: RegisterFile) -> [String] {
    switch file {
    case .people: return ["user_id"]
    case .assets: return ["asset_id", "name", "location", "level"]
    case .grants: return ["user_id", "asset_id"]
    }
  }

  /// Rows as dictionaries of canonical column name → value, with the columns nobody knows.
  public struct Rows: Sendable {
    public var rows: [(line: Int, values: [String: String])]
    public var unknownColumns: [String]
    /// Rows that could not be read (a wrong number of fields), reported with the rows' own problems.
    public var problems: [ImportProblem]
  }

  public static func rows(_ table: CSVTable, file: RegisterFile) throws(ImportFailure) -> Rows {
    var lookup: [String: String] = [:]
    for (name, aliases) in columns(file) {
      for alias in [name] + aliases { lookup[alias.lowercased()] = name }
    }
    var position: [String: Int] = [:]
    var unknown: [String] = []
    for (index, name) in table.header.enumerated() {
      if let canonical = lookup[name.lowercased()] {
        // The first column of a name wins, as in the detection contract.
        if position[canonical] == nil { position[canonical] = index }
      } else if !name.isEmpty {
        unknown.append(name)
      }
    }
    let missing = required(file).filter { position[$0] == nil }
    if !missing.isEmpty {
      throw ImportFailure(missing.map { ImportProblem(line: table.headerLine, key: "register_import.missing_column", arguments: ["column": $0]) })
    }
    var problems: [ImportProblem] = []
    var rows: [(line: Int, values: [String: String])] = []
    for row in table.rows {
      guard row.fields.count == table.header.count else {
        problems.append(
          ImportProblem(
            line: row.line, key: "register_import.field_count", arguments: ["found": "\(row.fields.count)", "expected": "\(table.header.count)"]))
        continue
      }
      var values: [String: String] = [:]
      values.reserveCapacity(position.count)
      for (name, index) in position { values[name] = trimmed(row.fields[index]) }
      rows.append((row.line, values))
    }
    return Rows(rows: rows, unknownColumns: unknown, problems: problems)
  }

  /// `2026-03-31` or `2026/3/31`; empty is nil.
  public static func date(_ text: String) -> CivilDate?? {
    if text.isEmpty { return .some(nil) }
    if let date = CivilDate(iso: text) { return date }
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
      parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
      let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
    else { return nil }
    return CivilDate(year: year, month: month, day: day).map { .some($0) }
  }

  /// The employment types by their contract values or their Japanese names.
  public static func employment(_ text: String) -> EmploymentType? {
    if let type = EmploymentType(rawValue: text) { return type }
    switch text {
    case "正社員", "社員": return .employee
    case "派遣社員", "派遣": return .dispatched
    case "業務委託", "委託": return .contractor
    case "役員": return .executive
    case "その他", "パート", "アルバイト": return .other
    default: return nil
    }
  }

  public static func level(_ text: String) -> AssetLevel? {
    if let level = AssetLevel(rawValue: text) { return level }
    switch text {
    case "極秘": return .secret
    case "秘": return .confidential
    case "社外秘": return .internal
    default: return nil
    }
  }

  public static func form(_ text: String) -> AssetForm? {
    if text.isEmpty { return .electronic }
    if let form = AssetForm(rawValue: text) { return form }
    switch text {
    case "電子データ", "電子": return .electronic
    case "紙": return .paper
    case "試作品", "サンプル", "試作品・サンプル": return .prototype
    case "設備", "金型", "設備・金型": return .equipment
    case "ノウハウ": return .knowhow
    default: return nil
    }
  }

  public static func flag(_ text: String) -> Bool? {
    switch text.lowercased() {
    case "", "false", "0", "no", "いいえ": return false
    case "true", "1", "yes", "はい", "○", "◯": return true
    default: return nil
    }
  }

  /// One CSV line: fields quoted when they hold a comma, a quote, a line break or outer spaces.
  public static func line(_ fields: [String]) -> String {
    fields.map { field in
      let needsQuotes = field.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        || field.first == " " || field.last == " "
      return needsQuotes ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }.joined(separator: ",") + "\r\n"
  }

  /// A whole file: UTF-8 with a BOM (so that Excel opens it as UTF-8) and CRLF line ends.
  public static func file(header: [String], rows: [[String]]) -> Data {
    var text = "\u{FEFF}" + line(header)
    for row in rows { text += line(row) }
    return Data(text.utf8)
  }
}

/// An import that stops: every problem found, nothing saved.
public struct ImportFailure: Error, Sendable, Equatable {
  public var problems: [ImportProblem]
  public init(_ problems: [ImportProblem]) { self.problems = problems }
}
