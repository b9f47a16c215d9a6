import Foundation

/// Workbooks laid out like METI's 自己チェックリスト: a header row holding 内容 and チェック欄, section
/// rows such as 「I 共通項目」, and numbered item rows with the answer in the チェック欄 column.
/// Mamori's own export uses the same layout, so that an exported assessment can be read back.
public enum MetiSheet {
  /// What a person filled in for one item, beside the answer.
  /// One answered row of an imported workbook; nil where the workbook has no such column.
  public struct ImportedAnswer: Sendable, Equatable, Codable {
    public var answer: String
    public var note: String?
    public var owner: String?
    public var due: String?

    public init(answer: String, note: String? = nil, owner: String? = nil, due: String? = nil) {
      self.answer = answer
      self.note = note
      self.owner = owner
      self.due = due
    }
  }

  public struct Entry: Sendable, Equatable {
    public var answerID: String?
    public var note: String
    public var owner: String
    /// yyyy-mm-dd
    public var due: String?
    /// Copied from the previous round and not yet confirmed.
    public var carriedOver: Bool

    public init(answerID: String?, note: String = "", owner: String = "", due: String? = nil, carriedOver: Bool = false) {
      self.answerID = answerID
      self.note = note
      self.owner = owner
      self.due = due
      self.carriedOver = carriedOver
    }
  }

  /// What the export says about the assessment, in the reader's language.
  public struct Header: Sendable {
    public var title: String
    public var organisation: String
    public var status: String
    public var started: String
    public var completed: String?
    /// The texts around the table, from the locale catalog; nil leaves them out.
    public var labels: Labels?
    /// The previous completed round of the same catalog: its scores join the scores sheet as a column
    /// and its polygon joins the radar chart, so the workbook compares the two rounds as the
    /// comparison page does.
    public var previous: Previous?

    public init(
      title: String, organisation: String, status: String, started: String, completed: String?, labels: Labels? = nil,
      previous: Previous? = nil
    ) {
      self.title = title
      self.organisation = organisation
      self.status = status
      self.started = started
      self.completed = completed
      self.labels = labels
      self.previous = previous
    }
  }

  /// An earlier round shown beside this one: its title (the series' and column's name) and its entries.
  public struct Previous: Sendable {
    public var title: String
    public var entries: [String: Entry]

    public init(title: String, entries: [String: Entry]) {
      self.title = title
      self.entries = entries
    }
  }

  /// The texts the export prints around the checklist, already translated (the locale catalog's
  /// `checklist.*` keys): a title row, a line naming the assessment, and the headings of the answer guide
  /// and of the field sources.
  public struct Labels: Sendable {
    /// 技術情報管理 自己チェック（Mamori版）（第2版）
    public var title: String
    /// 2025年9月 自己チェック｜青葉精密｜回答中
    public var assessment: String
    /// 回答の基準
    public var guideHeading: String
    /// 出典：…（原文引用。…）
    public var guideSource: String?
    /// 分野の名前の出典
    public var fieldSources: String
    /// Provenance words, one per provenance, and the word for a secondary source.
    public var provenance: [Provenance: String]
    public var secondary: String

    public init(
      title: String, assessment: String, guideHeading: String, guideSource: String?, fieldSources: String,
      provenance: [Provenance: String], secondary: String
    ) {
      self.title = title
      self.assessment = assessment
      self.guideHeading = guideHeading
      self.guideSource = guideSource
      self.fieldSources = fieldSources
      self.provenance = provenance
      self.secondary = secondary
    }
  }

  /// The widths of the items sheet's columns, chosen so that the table prints on A4 landscape at a
  /// readable scale: 番号 | 内容 | チェック欄 | 回答 | メモ | 担当者 | 期限 | 分野 | 出典の扱い | ID.
  public static let itemColumnWidths: [Double] = [5, 56, 7, 12, 28, 12, 11, 18, 10, 15]

  /// The words of the sheet in one language. The Japanese ones are those of METI's sheet.
  public struct Words: Sendable {
    public var number, text, answer, answerLabel, note, owner, due, fields, provenance: String
    public var field, score, counted, items, overall, completeness, itemsSheet, scoresSheet, aboutSheet: String
    public var catalog, version, source, scoring, scoringRule, organisation, assessment, status, started, completed: String
    public var provenanceNames: [Provenance: String]

    public static let ja = Words(
      number: "番号", text: "内容", answer: "チェック欄", answerLabel: "回答", note: "メモ", owner: "担当者", due: "期限",
      fields: "分野", provenance: "出典の扱い", field: "分野", score: "得点（%）", counted: "採点した項目", items: "項目数",
      overall: "総合", completeness: "回答率（%）", itemsSheet: "チェックリスト", scoresSheet: "得点", aboutSheet: "この評価について",
      catalog: "チェックリスト", version: "版", source: "出典", scoring: "採点方法",
      scoringRule: "○ = 2点、△ = 1点、× = 0点。「-」と未回答は数えない。分野の得点 = 点数の合計 ÷（2 × 数えた項目数）。項目は属するすべての分野で数える。",
      organisation: "組織", assessment: "評価", status: "状態", started: "開始日", completed: "完了日",
      provenanceNames: [.verbatim: "原文引用", .paraphrase: "要約", .ours: "Mamori作成"])

    public static let en = Words(
      number: "No.", text: "Text", answer: "Answer", answerLabel: "Answer (words)", note: "Note", owner: "Owner", due: "Due",
      fields: "Fields", provenance: "Provenance", field: "Field", score: "Score (%)", counted: "Items scored", items: "Items",
      overall: "Overall", completeness: "Answered (%)", itemsSheet: "Checklist", scoresSheet: "Scores", aboutSheet: "About",
      catalog: "Checklist", version: "Version", source: "Source", scoring: "Scoring",
      scoringRule: "○ = 2 points, △ = 1, × = 0. \"-\" and unanswered items do not count. A field's score = its points ÷ (2 × its counted items). An item counts in every field it belongs to.",
      organisation: "Organisation", assessment: "Assessment", status: "Status", started: "Started", completed: "Completed",
      provenanceNames: [.verbatim: "Quoted", .paraphrase: "Paraphrased", .ours: "Written by Mamori"])

    public static func of(_ language: Language) -> Words { language == .ja ? .ja : .en }
  }

  // MARK: Export

  public static func workbook(
    catalog: Catalog, entries: [String: Entry], header: Header, language: Language
  ) -> XLSXWorkbook {
    let words = Words.of(language)
    let labels = header.labels
    let scale = Dictionary(uniqueKeysWithValues: catalog.scale.map { ($0.id, $0) })
    let widths = itemColumnWidths
    let columns = widths.count
    let lastColumn = XLSXWriter.column(columns - 1)
    let tableWidth = widths.reduce(0, +)
    var rows: [[XLSXCell]] = []
    var heights: [Int: Double] = [:]
    var merges: [String] = []
    /// A row of one text across the table (or from column B), wrapped to fit.
    func banner(_ text: String, _ style: XLSXStyle, fromB: Bool = false, height: Double? = nil) {
      let row = rows.count + 1
      rows.append(fromB ? [.empty, .text(text, style)] : [.text(text, style)])
      merges.append("\(fromB ? "B" : "A")\(row):\(lastColumn)\(row)")
      heights[row - 1] = height ?? XLSXSheet.fittingHeight([(text, fromB ? tableWidth - widths[0] : tableWidth)])
    }
    // The title, the assessment and the notice: a printout says what it is and that it is Mamori's.
    banner(labels?.title ?? catalog.name.text(language), .title, height: 24)
    if let labels { banner(labels.assessment, .note) }
    if let notice = catalog.notice { banner(notice.text(language), .note) }
    let headerRow = rows.count + 1
    rows.append(
      [words.number, words.text, words.answer, words.answerLabel, words.note, words.owner, words.due, words.fields, words.provenance, "ID"]
        .map { .text($0, .header) })
    heights[headerRow - 1] = 20
    var lastSection: String?
    for item in catalog.items {
      if item.sectionID != lastSection, let sectionID = item.sectionID, let section = catalog.section(sectionID) {
        let row = rows.count + 1
        rows.append([.text(section.title.text(language), .section)] + Array(repeating: .text("", .section), count: columns - 1))
        merges.append("A\(row):\(lastColumn)\(row)")
        heights[row - 1] = XLSXSheet.fittingHeight([(section.title.text(language), tableWidth)])
        lastSection = sectionID
      }
      let entry = entries[item.id]
      let answer = entry?.answerID.flatMap { scale[$0] }
      let due: XLSXCell = entry?.due.flatMap(Self.day).map { XLSXCell.date(year: $0.0, month: $0.1, day: $0.2) } ?? .text("", .wrap)
      let texts: [String] = [
        item.number ?? "", item.text.text(language), answer?.symbol ?? "", answer?.label.text(language) ?? "", entry?.note ?? "",
        entry?.owner ?? "", "", item.fields.compactMap { catalog.field($0)?.name.text(language) }.joined(separator: ", "),
        labels?.provenance[item.provenance] ?? words.provenanceNames[item.provenance] ?? item.provenance.rawValue, item.id,
      ]
      heights[rows.count] = XLSXSheet.fittingHeight(Array(zip(texts, widths)))
      var row: [XLSXCell] = texts.map { .text($0, .wrap) }
      row[6] = due
      rows.append(row)
    }
    let lastItemRow = rows.count
    // The answer guide below the table, quoted with its source, as METI's sheet prints it beside the items.
    if let guide = catalog.answerGuide {
      rows.append([])
      if let labels { banner(labels.guideHeading, .section, fromB: true) }
      for definition in guide.definitions {
        guard let answer = scale[definition.answerID] else { continue }
        banner(Self.labelled("\(answer.symbol) \(answer.label.text(language))", definition.text.text(language), language), .note, fromB: true)
      }
      for note in guide.notes { banner(note.text(language), .note, fromB: true) }
      if let source = labels?.guideSource { banner(source, .note, fromB: true) }
    }
    let items = XLSXSheet(
      name: words.itemsSheet, columnWidths: widths, rows: rows, frozenRows: headerRow, rowHeights: heights, merges: merges,
      autoFilter: "A\(headerRow):\(lastColumn)\(lastItemRow)", printTitleRows: headerRow...headerRow)

    let report = Scoring.score(catalog, answers: entries.compactMapValues(\.answerID))
    let previous = header.previous.map { ($0.title, Scoring.score(catalog, answers: $0.entries.compactMapValues(\.answerID))) }
    func score(_ value: Double?, _ style: XLSXStyle) -> XLSXCell { value.map { .number(Self.tenth($0), .decimal) } ?? .text("—", style) }
    var scoreRows: [[XLSXCell]] = [
      [.text(words.field, .header), .text(words.score, .header), .text(words.counted, .header), .text(words.items, .header)]
        + (previous.map { previous -> [XLSXCell] in [.text(previous.0, .header)] } ?? [])
    ]
    for (index, field) in report.fields.enumerated() {
      scoreRows.append(
        [
          .text(field.name.text(language), .wrap), score(field.score, .wrap),
          .number(Double(field.counted), .wrap), .number(Double(field.items), .wrap),
        ] + (previous.map { previous -> [XLSXCell] in [score(previous.1.fields[index].score, .wrap)] } ?? []))
    }
    scoreRows.append(
      [
        .text(words.overall, .section), score(report.overall, .section),
        .number(Double(report.counted), .wrap),
        .number(Double(report.total), .wrap),
      ] + (previous.map { previous -> [XLSXCell] in [score(previous.1.overall, .section)] } ?? []))
    scoreRows.append(
      [.text(words.completeness, .wrap), .number(Self.tenth(report.completeness), .decimal)]
        + (previous.map { previous -> [XLSXCell] in [.empty, .empty, .number(Self.tenth(previous.1.completeness), .decimal)] } ?? []))
    var scores = XLSXSheet(
      name: words.scoresSheet, columnWidths: [28, 12, 14, 10] + (previous == nil ? [] : [24]), rows: scoreRows, frozenRows: 1,
      printTitleRows: 1...1, page: .init(landscape: false))
    // The radar chart as a native chart of the field scores, so it stays true when the sheet is edited;
    // with a previous round, its column is a second series named by its title.
    if !report.fields.isEmpty {
      scores.radarChart = .init(
        title: "\(header.title) — \(words.score)", seriesName: header.title, labelColumn: 1, valueColumn: 2,
        rows: 2...(1 + report.fields.count), from: (column: scoreRows[0].count + 1, row: 0), to: (column: scoreRows[0].count + 9, row: 22),
        otherSeries: previous.map { previous -> [XLSXSheet.RadarChart.Series] in [.init(name: previous.0, valueColumn: 5)] } ?? [])
    }

    var about: [[XLSXCell]] = [
      [.text(words.assessment, .header), .text(header.title, .wrap)],
      [.text(words.organisation, .header), .text(header.organisation, .wrap)],
      [.text(words.catalog, .header), .text(catalog.name.text(language), .wrap)],
      [.text(words.version, .header), .number(Double(catalog.version), .wrap)],
      [.text(words.status, .header), .text(header.status, .wrap)],
      [.text(words.started, .header), .text(header.started, .wrap)],
      [.text(words.completed, .header), .text(header.completed ?? "", .wrap)],
      [.text(words.scoring, .header), .text(words.scoringRule, .wrap)],
    ]
    if let notice = catalog.notice { about.append([.text("", .header), .text(notice.text(language), .wrap)]) }
    if let guide = catalog.answerGuide, let labels {
      var lines = guide.definitions.compactMap { definition in
        scale[definition.answerID].map { Self.labelled("\($0.symbol) \($0.label.text(language))", definition.text.text(language), language) }
      }
      lines += guide.notes.map { $0.text(language) }
      if let source = labels.guideSource { lines.append(source) }
      about.append([.text(labels.guideHeading, .header), .text(lines.joined(separator: "\n"), .wrap)])
    }
    if let labels {
      let lines = catalog.fields.map { field in
        Self.fieldProvenance(field, catalog: catalog, language: language, labels: labels)
      }
      about.append([.text(labels.fieldSources, .header), .text(lines.joined(separator: "\n"), .wrap)])
    }
    for source in catalog.sources {
      let secondary = source.kind == .secondary ? (labels.map { Self.parenthesised($0.secondary, language) } ?? "") : ""
      about.append([.text(words.source, .header), .text(source.citation(language) + secondary + (source.url.map { " " + $0 } ?? ""), .wrap)])
    }
    var aboutHeights: [Int: Double] = [:]
    for (index, row) in about.enumerated() {
      if case .text(let text, _) = row[1] { aboutHeights[index] = XLSXSheet.fittingHeight([(text, 100)]) }
    }
    let aboutSheet = XLSXSheet(name: words.aboutSheet, columnWidths: [18, 100], rows: about, rowHeights: aboutHeights)
    return XLSXWorkbook(sheets: [items, scores, aboutSheet], title: header.title)
  }

  /// 「ルール作り：要約（二次資料）朝日新聞SMBIZ「…」（2023年）」: a field's name, how it was made, and its source.
  public static func fieldProvenance(_ field: Catalog.Field, catalog: Catalog, language: Language, labels: Labels) -> String {
    var line = labelled(field.name.text(language), labels.provenance[field.provenance] ?? field.provenance.rawValue, language)
    if let source = catalog.source(field.source) {
      line += (source.kind == .secondary ? parenthesised(labels.secondary, language) : "") + " " + source.citation(language)
    }
    if let note = field.note { line += " " + note.text(language) }
    return line
  }

  /// 「○ 実施している：…」 / "○ Done: …".
  public static func labelled(_ label: String, _ text: String, _ language: Language) -> String {
    language == .ja ? "\(label)：\(text)" : "\(label): \(text)"
  }

  /// 「（二次資料）」 / " (secondary source)".
  public static func parenthesised(_ text: String, _ language: Language) -> String {
    language == .ja ? "（\(text)）" : " (\(text))"
  }

  /// Rounded to one decimal, as the interface shows it, so that the sheet and the page agree.
  static func tenth(_ value: Double) -> Double { (value * 10).rounded() / 10 }

  static func day(_ text: String) -> (Int, Int, Int)? {
    let parts = text.split(separator: "-").compactMap { Int($0) }
    guard parts.count == 3 else { return nil }
    return (parts[0], parts[1], parts[2])
  }

  // MARK: Import

  /// The answers of a METI-layout workbook, matched to the catalog's items by section and number, with
  /// the text checked. Every row that does not match is listed; nothing is returned unless all match.
  public static func readAnswers(url: URL, catalog: Catalog) throws -> [String: String] {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw AnswerFile.Problems(errors: [CatalogError(file: url.lastPathComponent, line: nil, reason: "cannot be read")])
    }
    return try readAnswers(data: data, file: url.lastPathComponent, catalog: catalog)
  }

  public static func readAnswers(data: Data, file: String, catalog: Catalog) throws -> [String: String] {
    try readEntries(data: data, file: file, catalog: catalog).mapValues(\.answer)
  }

  /// Answers with the note, owner and due date of each answered row, where the sheet has those columns
  /// (Mamori's export does, METI's sheet does not: then they are nil and the item keeps its own).
  public static func readEntries(data: Data, file: String, catalog: Catalog) throws -> [String: ImportedAnswer] {
    let workbook: XLSXReader
    do {
      workbook = try XLSXReader(data: data)
    } catch let error as XLSXError {
      throw AnswerFile.Problems(errors: [CatalogError(file: file, line: nil, reason: error.reason)])
    }
    // The first sheet with a header row; METI's workbook has its chart and notes on the same sheet.
    for sheet in workbook.sheets {
      guard let header = headerRow(sheet) else { continue }
      return try read(sheet: sheet, header: header, file: file, catalog: catalog)
    }
    throw AnswerFile.Problems(errors: [
      CatalogError(file: file, line: nil, reason: "has no header row with 内容 and チェック欄 (or Text and Answer) in any sheet")
    ])
  }

  struct HeaderRow {
    var row: Int
    var answerColumn: Int
    var textColumn: Int
    var noteColumn: Int? = nil
    var ownerColumn: Int? = nil
    var dueColumn: Int? = nil
  }

  static func headerRow(_ sheet: XLSXReader.Sheet) -> HeaderRow? {
    for number in sheet.rowNumbers.prefix(50) {
      let cells = sheet.rows[number] ?? [:]
      let normalised = cells.mapValues(compact)
      let answer = normalised.first { $0.value == "チェック欄" || $0.value == "answer" }?.key
      let text = normalised.first { $0.value == "内容" || $0.value == "text" }?.key
      if let answer, let text {
        // Mamori's export, in either language, right of the answer.
        func column(_ names: Set<String>) -> Int? { normalised.first { $0.key > answer && names.contains($0.value) }?.key }
        return HeaderRow(
          row: number, answerColumn: answer, textColumn: text, noteColumn: column(["メモ", "note"]),
          ownerColumn: column(["担当者", "owner"]), dueColumn: column(["期限", "due"]))
      }
    }
    return nil
  }

  /// NFKC, without spaces and final punctuation, lower-cased: how two texts are compared, so that
  /// full-width digits, a trailing 。 or a line break inside a cell do not make a difference.
  static func compact(_ text: String) -> String {
    let folded = text.precomposedStringWithCompatibilityMapping.lowercased()
    var out = String(folded.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) })
    while let last = out.last, "。.．".contains(last) { out.removeLast() }
    return out
  }

  /// The label before the first space of a heading: "I" of 「I 共通項目」.
  static func headingLabel(_ text: String) -> String? {
    let folded = text.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespaces)
    guard let space = folded.firstIndex(where: { $0 == " " || $0 == "\u{3000}" }) else { return nil }
    let label = String(folded[..<space]).trimmingCharacters(in: CharacterSet(charactersIn: ".．、"))
    return label.isEmpty ? nil : label.lowercased()
  }

  static func isRomanHeading(_ text: String) -> Bool {
    guard let label = headingLabel(text) else { return false }
    return label.allSatisfy { "ivxlc".contains($0) } || label.unicodeScalars.allSatisfy { (0x2160...0x217F).contains($0.value) }
  }

  static func read(sheet: XLSXReader.Sheet, header: HeaderRow, file: String, catalog: Catalog) throws -> [String: ImportedAnswer] {
    func problem(_ row: Int, _ reason: String) -> CatalogError {
      CatalogError(file: file, line: row, reason: "(sheet \(sheet.name), row \(row)) \(reason)")
    }
    // Sections that head items, found by their heading in either language or by its label.
    // Compared forms are computed once: a workbook may have many rows (up to XLSXReader.maximumCells).
    let headed = catalog.sections.filter { section in catalog.items.contains { $0.sectionID == section.id } }
      .map { section in
        (section: section, titles: [compact(section.title.ja), compact(section.title.en)],
         labels: [headingLabel(section.title.ja), headingLabel(section.title.en)])
      }
    func section(for text: String) -> Catalog.Section? {
      let key = compact(text)
      if let exact = headed.first(where: { $0.titles.contains(key) }) { return exact.section }
      guard let label = headingLabel(text) else { return nil }
      let matches = headed.filter { $0.labels.contains(label) }
      return matches.count == 1 ? matches[0].section : nil
    }
    // Items by section and compared number; the first of a number wins.
    var numbered: [String: [String: Catalog.Item]] = [:]
    for item in catalog.items {
      guard let sectionID = item.sectionID, let itemNumber = item.number else { continue }
      let key = compact(itemNumber)
      if numbered[sectionID]?[key] == nil { numbered[sectionID, default: [:]][key] = item }
    }
    var errors: [CatalogError] = []
    var answers: [String: ImportedAnswer] = [:]
    var rowOf: [String: Int] = [:]
    var current: Catalog.Section?
    for number in sheet.rowNumbers where number > header.row {
      let cells = (sheet.rows[number] ?? [:]).filter { !$0.value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
      guard !cells.isEmpty else { continue }
      let answerText = cells[header.answerColumn]?.trimmingCharacters(in: .whitespacesAndNewlines)
      // What stands left of the answer: the number, then the text. Columns right of it are notes.
      let before = cells.filter { $0.key < header.answerColumn }.sorted { $0.key < $1.key }
      guard let first = before.first else {
        errors.append(problem(number, "has an answer but no item"))
        continue
      }
      let firstText = first.value.trimmingCharacters(in: .whitespacesAndNewlines)
      let itemNumber = firstText.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: CharacterSet(charactersIn: ".．) "))
      let isNumbered = !itemNumber.isEmpty && itemNumber.count <= 6 && before.count >= 2
        && itemNumber.first?.isNumber == true
      if !isNumbered {
        if let found = section(for: firstText) {
          current = found
          if let answerText, !answerText.isEmpty { errors.append(problem(number, "is a section heading but has an answer")) }
        } else if isRomanHeading(firstText) {
          errors.append(problem(number, "heads a section \"\(firstText)\" that is not in \(catalog.id)"))
          current = nil
        } else if let answerText, !answerText.isEmpty {
          errors.append(problem(number, "has an answer \"\(answerText)\" but no item number"))
        }
        // Other rows (notes, the chart's caption) carry no answer and are not part of the checklist.
        continue
      }
      guard let section = current else {
        errors.append(problem(number, "is item \(itemNumber) outside any known section"))
        continue
      }
      guard let item = numbered[section.id]?[compact(itemNumber)] else {
        errors.append(problem(number, "is item \(itemNumber) of \"\(section.title.ja)\", which \(catalog.id) does not have"))
        continue
      }
      let text = before.dropFirst().map(\.value).max { $0.count < $1.count } ?? ""
      if compact(text) != compact(item.text.ja), compact(text) != compact(item.text.en) {
        errors.append(problem(number, "has a text that differs from item \(item.id) (\"\(shorten(text))\" where the catalog says \"\(shorten(item.text.ja))\")"))
        continue
      }
      if let first = rowOf[item.id] {
        errors.append(problem(number, "repeats item \(item.id) (first on row \(first))"))
        continue
      }
      rowOf[item.id] = number
      guard let answerText, !answerText.isEmpty else { continue }
      let (answer, reason) = AnswerFile.check(item.id, answerText, catalog: catalog)
      if let reason {
        errors.append(problem(number, reason))
        continue
      }
      guard let answer else { continue }
      let all = sheet.rows[number] ?? [:]
      func cell(_ column: Int?) -> String? {
        column.map { all[$0]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }
      }
      var due = cell(header.dueColumn)
      if let written = due, !written.isEmpty {
        guard let day = Self.importedDay(written) else {
          errors.append(problem(number, "has a due date \"\(shorten(written))\" that is not a date (write it as 2027-03-31)"))
          continue
        }
        due = day.iso
      }
      answers[item.id] = ImportedAnswer(answer: answer, note: cell(header.noteColumn), owner: cell(header.ownerColumn), due: due)
    }
    guard errors.isEmpty else { throw AnswerFile.Problems(errors: errors) }
    return answers
  }

  /// A due date as a cell holds it: Excel's day number (what the export writes) or `YYYY-MM-DD`.
  static func importedDay(_ text: String) -> CivilDate? {
    if let day = CivilDate(iso: text) { return day }
    let whole = text.split(separator: ".").first.map(String.init) ?? text
    // Day 25569 of Excel's 1900 system is 1970-01-01; anything before 1901 or after 9999 is not a due date.
    guard let serial = Int(whole), (367...2_958_465).contains(serial) else { return nil }
    return CivilDate(daysSinceEpoch: serial - 25569)
  }

  static func shorten(_ text: String) -> String {
    let flat = text.replacingOccurrences(of: "\n", with: " ")
    return flat.count > 40 ? String(flat.prefix(40)) + "…" : flat
  }
}
