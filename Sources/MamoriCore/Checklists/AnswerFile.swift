import Foundation
import Yams

/// Answers read from a file for `mamori checklist score`: CSV (`item_id,answer`), YAML (item id →
/// answer) or an `.xlsx` laid out like METI's sheet. Answers are ○ △ × - (or the catalog's symbols),
/// `yes`/`partial`/`no`/`na` (the answer ids), or the labels (実施している …).
public enum AnswerFile {
  /// Every problem of a file, each with its line (or row), so that all can be fixed at once.
  public struct Problems: Error, CustomStringConvertible, Sendable {
    public var errors: [CatalogError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
  }

  public static func read(url: URL, catalog: Catalog) throws -> [String: String] {
    let name = url.lastPathComponent
    switch url.pathExtension.lowercased() {
    case "csv":
      return try readCSV(data: try Data(contentsOf: url), file: name, catalog: catalog)
    case "yaml", "yml":
      return try readYAML(text: try String(contentsOf: url, encoding: .utf8), file: name, catalog: catalog)
    case "xlsx":
      return try MetiSheet.readAnswers(url: url, catalog: catalog)
    default:
      throw Problems(errors: [CatalogError(file: name, line: nil, reason: "is not .csv, .yaml or .xlsx")])
    }
  }

  /// Checks one answer against the catalog; the reason when it does not fit.
  static func check(_ itemID: String, _ answerText: String, catalog: Catalog) -> (answer: String?, problem: String?) {
    guard let item = catalog.item(itemID) else { return (nil, "names an unknown item \"\(itemID)\"") }
    guard let answer = catalog.answer(matching: answerText) else {
      let allowed = catalog.scale.map { "\($0.symbol) (\($0.id))" }.joined(separator: ", ")
      return (nil, "has an unknown answer \"\(answerText)\" for \(itemID); use \(allowed)")
    }
    if !answer.counts, !item.allowNotApplicable {
      return (nil, "answers \(answer.symbol) for \(itemID), which cannot be not applicable")
    }
    return (answer.id, nil)
  }

  /// An answer file has one row per item: a few hundred rows of short fields.
  public static let maximumCSVBytes = 2 << 20
  public static let maximumCSVRows = 20_000
  /// Bytes in one field (an item id or an answer, or a note in an extra column).
  public static let maximumCSVFieldBytes = 4_096

  public static func readCSV(data: Data, file: String, catalog: Catalog) throws -> [String: String] {
    guard data.count <= maximumCSVBytes else {
      throw Problems(errors: [
        CatalogError(file: file, line: nil, reason: "is larger than \(maximumCSVBytes >> 20) MiB; answer files are refused above that")
      ])
    }
    var errors: [CatalogError] = []
    var answers: [String: String] = [:]
    var lines: [String: Int] = [:]
    let bytes = [UInt8](data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data)
    try bytes.withUnsafeBufferPointer { buffer in
      var fields: [CSVRecords.Field] = []
      var position = 0
      var line = 1
      var header: [String]?
      var columns: (item: Int, answer: Int) = (0, 1)
      var records = 0
      while position < buffer.count {
        var newlines = 0
        let outcome = CSVRecords.read(buffer, from: position, atEnd: true, fields: &fields, newlines: &newlines)
        switch outcome {
        case .emptyLine(let next):
          position = next
        case .record(let next):
          records += 1
          guard records <= maximumCSVRows else {
            throw Problems(errors: errors + [
              CatalogError(file: file, line: line, reason: "has more than \(maximumCSVRows) rows; answer files are refused above that")
            ])
          }
          if fields.contains(where: { $0.end - $0.start > maximumCSVFieldBytes }) {
            errors.append(CatalogError(file: file, line: line, reason: "has a field longer than \(maximumCSVFieldBytes) bytes"))
            position = next
            break
          }
          let values = fields.map { CSVRecords.string(of: $0, in: buffer).trimmingCharacters(in: .whitespaces) }
          if header == nil {
            header = values.map { $0.lowercased() }
            guard let item = header!.firstIndex(of: "item_id"), let answer = header!.firstIndex(of: "answer") else {
              throw Problems(errors: [CatalogError(file: file, line: line, reason: "needs a header with item_id and answer")])
            }
            columns = (item, answer)
          } else if values.count != header!.count {
            errors.append(CatalogError(file: file, line: line, reason: "has \(values.count) fields where the header has \(header!.count)"))
          } else {
            let itemID = values[columns.item]
            let (answer, problem) = check(itemID, values[columns.answer], catalog: catalog)
            if let problem {
              errors.append(CatalogError(file: file, line: line, reason: problem))
            } else if let first = lines[itemID] {
              errors.append(CatalogError(file: file, line: line, reason: "answers \(itemID) again (first on line \(first))"))
            } else if let answer {
              answers[itemID] = answer
              lines[itemID] = line
            }
          }
          position = next
        case .malformed(let next, _):
          errors.append(CatalogError(file: file, line: line, reason: "is not a well-formed CSV row"))
          position = next
        case .incomplete:
          throw Problems(errors: errors + [CatalogError(file: file, line: line, reason: "has an unterminated quoted field")])
        }
        line += newlines
      }
      if header == nil { errors.append(CatalogError(file: file, line: nil, reason: "is empty: it needs a header item_id,answer")) }
    }
    guard errors.isEmpty else { throw Problems(errors: errors) }
    return answers
  }

  public static func readYAML(text: String, file: String, catalog: Catalog) throws -> [String: String] {
    do {
      try YAMLGuard.check(text, file: file)
    } catch let error as CatalogError {
      throw Problems(errors: [error])
    }
    let root: Node?
    do {
      root = try Yams.compose(yaml: text)
    } catch let error as YamlError {
      throw Problems(errors: [CatalogError(file: file, line: error.line, reason: "is not valid YAML")])
    }
    guard let mapping = root?.mapping else {
      throw Problems(errors: [CatalogError(file: file, line: 1, reason: "must map item ids to answers")])
    }
    var errors: [CatalogError] = []
    var answers: [String: String] = [:]
    for (key, value) in mapping {
      let line = key.mark?.line
      guard let itemID = key.string, case .scalar(let scalar) = value else {
        errors.append(CatalogError(file: file, line: line, reason: "must map an item id to one answer"))
        continue
      }
      let (answer, problem) = check(itemID, scalar.string, catalog: catalog)
      if let problem { errors.append(CatalogError(file: file, line: line, reason: problem)) } else { answers[itemID] = answer }
    }
    guard errors.isEmpty else { throw Problems(errors: errors) }
    return answers
  }
}
