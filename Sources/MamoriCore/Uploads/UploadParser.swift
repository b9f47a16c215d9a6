import Foundation

/// What an upload is meant to be.
public enum UploadKind: String, Codable, Sendable, CaseIterable {
  case answers
  case catalog
  /// People, assets or grants for the register (``UploadRequest/registerFile`` says which).
  case register
}

/// One upload to parse, as the server hands it to the sandboxed child (`mamori sandbox-parse`).
public struct UploadRequest: Codable, Sendable, Equatable {
  public var kind: UploadKind
  /// The user's file name, used in messages and to pick the format (.xlsx/.csv/.yaml/.yml for answers;
  /// .yaml/.yml for catalogs).
  public var fileName: String
  /// For `.answers`: the (trusted, already vetted) catalog to match answers against.
  public var catalogYAML: String?
  /// For `.register`: which of the register's files it is.
  public var registerFile: RegisterFile?

  public init(kind: UploadKind, fileName: String, catalogYAML: String? = nil, registerFile: RegisterFile? = nil) {
    self.kind = kind
    self.fileName = fileName
    self.catalogYAML = catalogYAML
    self.registerFile = registerFile
  }
}

/// What came of parsing an upload.
public enum UploadOutcome: Codable, Sendable, Equatable {
  /// Item id → answer id, as `MetiSheet.readAnswers` and `AnswerFile` return them.
  case answers([String: String])
  /// Item id → answer with note, owner and due date, from a workbook.
  case entries([String: MetiSheet.ImportedAnswer])
  case catalog(id: String, version: Int)
  /// At most ``UploadParser/maximumLines`` lines `FILE:LINE: reason` (or `FILE: reason`), and how many
  /// problems there were in all.
  case refused(lines: [String], total: Int)
  /// An extension the kind does not accept.
  case unsupported
  /// A register file read and its columns found; the rows are checked against the register by the
  /// server (`RegisterImport.apply`), which also reports `problems` (rows with a wrong number of fields).
  case registerRows(RegisterUpload)
  /// A register file that cannot be read as a whole (encoding, quotes, missing columns, a workbook
  /// refused), with every problem found, for the server to say in the user's language.
  case registerRefused([ImportProblem])
}

/// The rows of a register file as the sandbox hands them to the server: ``RegisterCSV/Rows`` in a form
/// that crosses the process boundary as compact JSON (the column names once, then each row's values in
/// their order), so that the answer stays within a few times the file's size.
public struct RegisterUpload: Codable, Sendable, Equatable {
  public struct Row: Codable, Sendable, Equatable {
    public var line: Int
    public var fields: [String]
  }

  /// Canonical column names, the order of every row's fields.
  public var columns: [String]
  public var rows: [Row]
  public var unknownColumns: [String]
  public var problems: [ImportProblem]

  public init(_ rows: RegisterCSV.Rows) {
    // Every row has the same columns: those the header named.
    let columns = rows.rows.first.map { $0.values.keys.sorted() } ?? []
    self.columns = columns
    self.rows = rows.rows.map { row in Row(line: row.line, fields: columns.map { row.values[$0] ?? "" }) }
    self.unknownColumns = rows.unknownColumns
    self.problems = rows.problems
  }

  /// Back to rows of named values; a row whose field count differs from the columns' (which only a
  /// forged answer could have) keeps the columns it has.
  public var registerRows: RegisterCSV.Rows {
    RegisterCSV.Rows(
      rows: rows.map { row in
        (row.line, Dictionary(zip(columns, row.fields).map { ($0, $1) }, uniquingKeysWith: { first, _ in first }))
      },
      unknownColumns: unknownColumns, problems: problems)
  }
}

/// The one entry point of every upload parser, run in a short-lived child process under CPU-time,
/// memory and wall-clock limits (`mamori sandbox-parse`), so that a trap, hang or bomb in a parser
/// costs one refused upload and never the server. It never throws and, for the bytes it refuses up
/// front, never hands them to a parser; everything a parser throws becomes `.refused`.
public enum UploadParser {
  /// The upload limit: 10 MiB.
  public static let maximumBytes = 10 << 20
  /// Problems listed in a refusal; the total says how many there were.
  public static let maximumLines = 50

  public static func parse(_ request: UploadRequest, data: Data) -> UploadOutcome {
    let file = displayName(request.fileName)
    func refuse(_ reason: String) -> UploadOutcome { .refused(lines: ["\(file): \(reason)"], total: 1) }
    let format = fileExtension(request.fileName)
    let accepted: Set<String> =
      switch request.kind {
      case .answers: ["xlsx", "csv", "yaml", "yml"]
      case .catalog: ["yaml", "yml"]
      case .register: ["xlsx", "csv", "txt"]
      }
    guard accepted.contains(format) else { return .unsupported }
    guard data.count <= maximumBytes else {
      return refuse("is larger than the upload limit of \(maximumBytes >> 20) MiB")
    }
    do {
      switch request.kind {
      case .register:
        guard let registerFile = request.registerFile else { return refuse("cannot be read: no register file kind was given") }
        do throws(ImportFailure) {
          let table = try RegisterSheet.table(data, fileName: request.fileName, file: registerFile, encoding: .auto)
          return .registerRows(RegisterUpload(try RegisterCSV.rows(table, file: registerFile)))
        } catch {
          return .registerRefused(error.problems)
        }
      case .catalog:
        guard let text = String(validating: data, as: UTF8.self) else { return refuse("is not UTF-8 text") }
        let catalog = try CatalogLoader.load(yaml: text, file: file)
        return .catalog(id: catalog.id, version: catalog.version)
      case .answers:
        guard let catalogYAML = request.catalogYAML else {
          return refuse("cannot be read: no checklist was given to match the answers against")
        }
        let catalog = try CatalogLoader.load(yaml: catalogYAML, file: "catalog")
        switch format {
        case "xlsx":
          return .entries(try MetiSheet.readEntries(data: data, file: file, catalog: catalog))
        case "csv":
          return .answers(try AnswerFile.readCSV(data: data, file: file, catalog: catalog))
        default:
          guard let text = String(validating: data, as: UTF8.self) else { return refuse("is not UTF-8 text") }
          return .answers(try AnswerFile.readYAML(text: text, file: file, catalog: catalog))
        }
      }
    } catch let problems as AnswerFile.Problems {
      return refused(problems.errors.map(\.description))
    } catch let error as CatalogError {
      return refused([error.description])
    } catch let error as XLSXError {
      return refuse(error.reason)
    } catch {
      return refuse("cannot be read")
    }
  }

  static func refused(_ lines: [String]) -> UploadOutcome {
    .refused(lines: Array(lines.prefix(maximumLines)), total: max(lines.count, 1))
  }

  /// The lower-cased extension of the last path component ("" without one).
  static func fileExtension(_ name: String) -> String {
    let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? name
    guard let dot = last.lastIndex(of: "."), dot != last.startIndex else { return "" }
    return last[last.index(after: dot)...].lowercased()
  }

  /// The file name as messages show it: its last path component, control characters replaced, at most
  /// 100 characters (the name comes from the uploader's browser).
  static func displayName(_ name: String) -> String {
    let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
    let cleaned = ZipReader.printable(last)
    return cleaned.isEmpty ? "upload" : cleaned
  }
}
