import Foundation

/// How a register file is written: CSV (UTF-8 with BOM, CRLF) or an `.xlsx` workbook.
public enum RegisterFormat: String, CaseIterable, Sendable {
  case csv
  case xlsx
}

/// The register's people, assets and grants as `.xlsx` workbooks: the same columns as the CSV files
/// (``RegisterCSV``), on the first sheet, the header in the first row that has a value. Reading goes
/// through ``XLSXReader`` and its limits (archive, inflation, XML elements, cells), which bound what
/// any workbook can cost.
public enum RegisterSheet {
  /// The columns whose values are days: a whole number in them is Excel's day number (what a date
  /// cell holds, and what the export writes).
  static let dateColumns: Set<String> = ["hire_date", "notice_date", "exit_date", "leaving_date", "granted_on", "expires_on"]

  /// Whether the bytes are a workbook rather than CSV: by the name's extension, or by the zip
  /// signature every `.xlsx` starts with (a workbook renamed `.csv` is still read as one).
  public static func isWorkbook(_ data: Data, fileName: String) -> Bool {
    fileName.lowercased().hasSuffix(".xlsx") || data.starts(with: [0x50, 0x4B, 0x03, 0x04])
  }

  /// The file as a table, whatever its format: a workbook by ``isWorkbook(_:fileName:)``, else CSV in
  /// `encoding`.
  public static func table(_ data: Data, fileName: String, file: RegisterFile, encoding: TextEncodingChoice) throws(ImportFailure)
    -> CSVTable
  {
    if isWorkbook(data, fileName: fileName) { return try table(xlsx: data, file: file) }
    return try RegisterCSV.parse(try RegisterCSV.decode(data, as: encoding))
  }

  /// The first sheet of a workbook as a table whose lines are the sheet's row numbers. Day numbers in
  /// the date columns become `YYYY-MM-DD`; a value right of the last header is a problem of its row.
  public static func table(xlsx data: Data, file: RegisterFile) throws(ImportFailure) -> CSVTable {
    guard data.count <= RegisterCSV.maximumBytes else { throw ImportFailure([ImportProblem(line: 0, key: "register_import.too_large")]) }
    let workbook: XLSXReader
    do {
      workbook = try XLSXReader(data: data)
    } catch let error as XLSXError {
      throw ImportFailure([ImportProblem(line: 0, key: "register_import.xlsx", arguments: ["reason": error.reason])])
    } catch {
      throw ImportFailure([ImportProblem(line: 0, key: "register_import.xlsx", arguments: ["reason": "\(error)"])])
    }
    guard let sheet = workbook.sheets.first else { throw ImportFailure([ImportProblem(line: 1, key: "register_import.empty")]) }
    let numbers = sheet.rowNumbers
    guard let headerLine = numbers.first, let headerCells = sheet.rows[headerLine] else {
      throw ImportFailure([ImportProblem(line: 1, key: "register_import.empty")])
    }
    guard numbers.count - 1 <= RegisterCSV.maximumRows else {
      throw ImportFailure([ImportProblem(line: numbers[RegisterCSV.maximumRows + 1], key: "register_import.too_many_rows")])
    }
    let width = (headerCells.keys.max() ?? 0) + 1
    let header = (0..<width).map { (headerCells[$0] ?? "").trimmingCharacters(in: .whitespaces) }
    var canonical: [String: String] = [:]
    for (name, aliases) in RegisterCSV.columns(file) {
      for alias in [name] + aliases { canonical[alias.lowercased()] = name }
    }
    let dateIndexes = Set(header.indices.filter { canonical[header[$0].lowercased()].map(dateColumns.contains) ?? false })
    var rows: [(line: Int, fields: [String])] = []
    var problems: [ImportProblem] = []
    for number in numbers.dropFirst() {
      let cells = sheet.rows[number] ?? [:]
      if let outside = cells.keys.filter({ $0 >= width }).min() {
        problems.append(
          ImportProblem(line: number, key: "register_import.outside_header", arguments: ["cell": "\(XLSXWriter.column(outside))\(number)"]))
        continue
      }
      rows.append(
        (number, (0..<width).map { index in
          let value = cells[index] ?? ""
          return dateIndexes.contains(index) ? day(value) : value
        }))
    }
    guard problems.isEmpty else { throw ImportFailure(problems) }
    return CSVTable(header: header, rows: rows, headerLine: headerLine)
  }

  /// A date cell's day number as `YYYY-MM-DD`; anything else as it is, for the date check to judge.
  static func day(_ value: String) -> String {
    // Day 25569 of Excel's 1900 system is 1970-01-01; before 1901 or after 9999 is no register date.
    guard !value.isEmpty, value.allSatisfy({ $0.isASCII && $0.isNumber }), let serial = Int(value), (367...2_958_465).contains(serial)
    else { return value }
    return CivilDate(daysSinceEpoch: serial - 25569).iso
  }

  /// A workbook of one sheet named after the file: the header row (frozen, filterable) and the rows;
  /// values of the date columns as date cells, everything else as text (so that staff numbers such
  /// as 0012 keep their zeros).
  public static func workbook(_ file: RegisterFile, header: [String], rows: [[String]]) throws -> Data {
    let dates = Set(header.indices.filter { dateColumns.contains(header[$0]) })
    var cells: [[XLSXCell]] = [header.map { .text($0, .header) }]
    cells.reserveCapacity(rows.count + 1)
    for row in rows {
      cells.append(
        row.enumerated().map { index, value in
          if value.isEmpty { return .empty }
          if dates.contains(index), let day = CivilDate(iso: value) {
            return .date(year: day.year, month: day.month, day: day.day)
          }
          return .text(value)
        })
    }
    let widths = header.map { name in name.hasSuffix("_date") || name.hasSuffix("_on") ? 12.0 : max(12, Double(name.count) + 4) }
    let last = XLSXWriter.column(max(header.count - 1, 0))
    return try XLSXWriter.data(
      XLSXWorkbook(
        sheets: [
          XLSXSheet(
            name: file.rawValue, columnWidths: widths, rows: cells, frozenRows: 1, autoFilter: "A1:\(last)\(rows.count + 1)")
        ], title: file.rawValue))
  }
}
