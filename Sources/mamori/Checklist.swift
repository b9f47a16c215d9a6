import ArgumentParser
import Foundation
import MamoriCore
import MamoriWeb

extension Mamori {
  struct Checklist: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List, show and score the checklists (catalogs) of docs/catalogs.md.",
      discussion: """
        The built-in catalogs are the YAML files of Resources/Catalogs; --catalogs-dir adds a folder of \
        your own. Errors name the file and line; a mistake in the answers exits with status 2.
        """,
      subcommands: [List.self, Show.self, Score.self, Export.self])

    struct CatalogOptions: ParsableArguments {
      @Option(name: .customLong("catalogs-dir"), help: "Another folder of catalog YAML files, besides the built-in ones.")
      var catalogsDirectory: String?

      @Option(help: "Language of names and texts: ja or en. (default: from LC_ALL, LC_MESSAGES or LANG; Japanese otherwise)")
      var lang: String?

      @Option(name: .customLong("resources-dir"), help: "Folder of Mamori's resources, holding Catalogs/. (MAMORI_RESOURCES_DIR)")
      var resourcesDirectory: String?

      @Option(help: "table (for people) or json (a contract for scripts).")
      var format: String = "table"

      func validate() throws {
        guard ["table", "json"].contains(format) else { throw ValidationError("--format must be table or json (got \(format))") }
        if let lang, Language(rawValue: lang) == nil { throw ValidationError("--lang must be ja or en (got \(lang))") }
      }

      var language: Language { CommandLanguage.resolve(lang) }

      func resources() throws -> String {
        do {
          return try AppSettings.locateResources(
            explicit: resourcesDirectory ?? ProcessInfo.processInfo.environment["MAMORI_RESOURCES_DIR"])
        } catch {
          throw UsageError("\(error)")
        }
      }

      func texts() throws -> LocaleCatalog {
        do {
          return try LocaleCatalog.load(directory: URL(fileURLWithPath: try resources()).appendingPathComponent("Locales"))
        } catch let error as UsageError {
          throw error
        } catch {
          throw UsageError("\(error)")
        }
      }

      func catalogs() throws -> [Catalog] {
        let resources = try resources()
        do {
          var catalogs = try CatalogLoader.loadFolder(URL(fileURLWithPath: resources).appendingPathComponent("Catalogs"))
          if let catalogsDirectory {
            for extra in try CatalogLoader.loadFolder(URL(fileURLWithPath: catalogsDirectory)) {
              guard !catalogs.contains(where: { $0.id == extra.id }) else {
                throw UsageError("\(catalogsDirectory): the catalog id \(extra.id) is already a built-in catalog")
              }
              catalogs.append(extra)
            }
          }
          return catalogs
        } catch let error as CatalogError {
          throw UsageError(error.description)
        } catch let error as CocoaError {
          throw UsageError("cannot read the catalogs folder: \(error.localizedDescription)")
        }
      }

      func catalog(_ id: String) throws -> Catalog {
        let all = try catalogs()
        guard let catalog = all.first(where: { $0.id == id }) else {
          throw UsageError("no catalog \"\(id)\"; the catalogs are \(all.map(\.id).joined(separator: ", "))")
        }
        return catalog
      }
    }

    struct List: ParsableCommand {
      static let configuration = CommandConfiguration(abstract: "List the catalogs: id, name, version and number of items.")

      @OptionGroup var options: CatalogOptions

      func run() throws {
        let catalogs = try options.catalogs()
        let language = options.language
        if options.format == "json" {
          let objects = catalogs.map { catalog in
            JSONText.object([
              ("id", JSONText.string(catalog.id)), ("name", JSONText.string(catalog.name.text(language))),
              ("version", String(catalog.version)), ("items", String(catalog.items.count)),
              ("fields", String(catalog.fields.count)), ("provenance", JSONText.string(catalog.provenance.rawValue)),
            ])
          }
          print("[" + objects.joined(separator: ",") + "]")
        } else {
          print(TextColumns.render(
            header: ["ID", "VERSION", "ITEMS", "NAME"],
            rows: catalogs.map { [$0.id, String($0.version), String($0.items.count), $0.name.text(language)] }))
        }
      }
    }

    struct Show: ParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "Show a catalog's fields and items, flat in catalog order, with the section heading each item is under.")

      @Argument(help: "The catalog's id, as `mamori checklist list` prints it.")
      var catalog: String

      @OptionGroup var options: CatalogOptions

      func run() throws {
        let catalog = try options.catalog(self.catalog)
        let language = options.language
        func section(_ item: Catalog.Item) -> String {
          item.sectionID.flatMap { catalog.section($0) }?.title.text(language) ?? ""
        }
        if options.format == "json" {
          let fields = catalog.fields.map {
            JSONText.object([
              ("id", JSONText.string($0.id)), ("name", JSONText.string($0.name.text(language))),
              ("provenance", JSONText.string($0.provenance.rawValue)),
            ])
          }
          let items = catalog.items.map { item in
            JSONText.object([
              ("id", JSONText.string(item.id)), ("section", JSONText.string(section(item))),
              ("number", item.number.map(JSONText.string) ?? "null"), ("text", JSONText.string(item.text.text(language))),
              ("fields", "[" + item.fields.map(JSONText.string).joined(separator: ",") + "]"),
              ("allow_na", item.allowNotApplicable ? "true" : "false"),
              ("provenance", JSONText.string(item.provenance.rawValue)),
              ("source", item.source.map(JSONText.string) ?? "null"),
            ])
          }
          var guide = "null"
          if let answerGuide = catalog.answerGuide {
            guide = JSONText.object([
              ("provenance", JSONText.string(answerGuide.provenance.rawValue)),
              ("source", answerGuide.source.map(JSONText.string) ?? "null"),
              ("answers", JSONText.object(answerGuide.definitions.map { ($0.answerID, JSONText.string($0.text.text(language))) })),
              ("notes", "[" + answerGuide.notes.map { JSONText.string($0.text(language)) }.joined(separator: ",") + "]"),
            ])
          }
          print(JSONText.object([
            ("id", JSONText.string(catalog.id)), ("name", JSONText.string(catalog.name.text(language))),
            ("version", String(catalog.version)),
            ("fields", "[" + fields.joined(separator: ",") + "]"), ("items", "[" + items.joined(separator: ",") + "]"),
            ("answer_guide", guide),
          ]))
        } else {
          var lines = ["\(catalog.name.text(language)) (\(catalog.id), v\(catalog.version))"]
          if let notice = catalog.notice { lines.append(notice.text(language)) }
          lines.append("")
          // How to answer, quoted with its source: without it two officers' answers are not comparable.
          if let guide = catalog.answerGuide {
            let texts = try options.texts()
            lines.append(texts.text("checklist.answer_guide", language))
            for definition in guide.definitions {
              guard let answer = catalog.scale.first(where: { $0.id == definition.answerID }) else { continue }
              lines.append("  " + MetiSheet.labelled("\(answer.symbol) \(answer.label.text(language))", definition.text.text(language), language))
            }
            for note in guide.notes { lines.append("  " + note.text(language)) }
            if let source = catalog.source(guide.source) {
              let secondary = source.kind == .secondary ? MetiSheet.parenthesised(texts.text("checklist.secondary", language), language) : ""
              lines.append("  " + texts.text(
                "checklist.answer_guide_source", language,
                ["source": source.citation(language) + secondary, "provenance": texts.text(guide.provenance.labelKey, language)]))
            }
            lines.append("")
          }
          lines.append(TextColumns.render(
            header: ["FIELD", "NAME"], rows: catalog.fields.map { [$0.id, $0.name.text(language)] }))
          lines.append("")
          var last: String?
          for item in catalog.items {
            let heading = section(item)
            if heading != last {
              lines.append(heading)
              last = heading
            }
            let na = item.allowNotApplicable ? " [-]" : ""
            lines.append("  \(item.number ?? "·") \(item.text.text(language)) (\(item.id); \(item.fields.joined(separator: ", "))\(na))")
          }
          print(lines.joined(separator: "\n"))
        }
      }
    }

    struct Score: ParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "Score answers against a catalog: per field and overall, with completeness (docs/catalogs.md).")

      @Argument(help: "The catalog's id, as `mamori checklist list` prints it.")
      var catalog: String

      @Option(help: "Answers: CSV (item_id,answer), YAML (item id: answer) or .xlsx laid out like METI's sheet. Answers are ○ △ × - or yes/partial/no/na.")
      var answers: String

      @Option(help: "Also write the radar chart to this SVG file.")
      var svg: String?

      @OptionGroup var options: CatalogOptions

      func run() throws {
        let catalog = try options.catalog(self.catalog)
        let language = options.language
        let answers: [String: String]
        do {
          answers = try AnswerFile.read(url: URL(fileURLWithPath: self.answers), catalog: catalog)
        } catch let problems as AnswerFile.Problems {
          throw UsageError(problems.errors.map(\.description).joined(separator: "\nmamori: "))
        } catch {
          throw UsageError("cannot read \(self.answers): \(error.localizedDescription)")
        }
        let report = Scoring.score(catalog, answers: answers)
        let texts = try options.texts()
        if let svg {
          let chart = RadarChart.svg(
            axes: catalog.fields.map { $0.name.text(language) },
            series: [.init(name: catalog.name.text(language), values: report.fields.map(\.score), cssClass: "current")],
            title: catalog.name.text(language),
            description: RadarChart.describe(
              report.fields.map { ($0.name.text(language), $0.score) }, noScore: texts.text("checklist.no_score", language, [:])),
            caption: [
              texts.text(
                "checklist.chart_caption", language,
                ["catalog": catalog.name.text(language), "title": (self.answers as NSString).lastPathComponent,
                 "date": DateDisplay.date(CivilDate(Date(), in: .current), language)]),
              texts.text("checklist.chart_caption_notice", language),
            ])
          do {
            try Data(chart.utf8).write(to: URL(fileURLWithPath: svg))
          } catch {
            throw UsageError("cannot write \(svg): \(error.localizedDescription)")
          }
        }
        if options.format == "json" {
          func number(_ value: Double?) -> String { value.map { Scoring.format($0) } ?? "null" }
          let fields = report.fields.map {
            JSONText.object([
              ("id", JSONText.string($0.id)), ("name", JSONText.string($0.name.text(language))),
              ("score", number($0.score)), ("counted", String($0.counted)), ("items", String($0.items)),
            ])
          }
          print(JSONText.object([
            ("catalog", JSONText.string(catalog.id)), ("overall", number(report.overall)),
            ("completeness", number(report.completeness)), ("answered", String(report.answered)),
            ("items", String(report.total)), ("fields", "[" + fields.joined(separator: ",") + "]"),
          ]))
        } else {
          let rows = report.fields.map { [$0.name.text(language), Scoring.format($0.score), "\($0.counted)/\($0.items)"] }
          let overall = texts.text("checklist.overall", language, [:])
          let completeness = texts.text("checklist.completeness", language, [:])
          print(TextColumns.render(header: ["FIELD", "SCORE %", "COUNTED"], rows: rows + [[overall, Scoring.format(report.overall), "\(report.counted)/\(report.total)"]]))
          print("\(completeness): \(Scoring.format(report.completeness))% (\(report.answered)/\(report.total))")
        }
      }
    }
  }
}

extension Mamori.Checklist {
  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write a catalog as an .xlsx sheet laid out like METI's, blank or with answers, with a sheet of scores.",
      discussion: "Fill in the チェック欄 column in Excel or LibreOffice and read it back with `mamori checklist score --answers`.")

    @Argument(help: "The catalog's id, as `mamori checklist list` prints it.")
    var catalog: String

    @Option(help: "Answers to fill in: CSV, YAML or .xlsx, as for `score`. (default: a blank sheet)")
    var answers: String?

    @Option(help: "The .xlsx file to write.")
    var output: String

    @Option(help: "Title of the sheet. (default: the catalog's name)")
    var title: String?

    @Option(
      help: "Answers of an earlier round, as for --answers: their scores join the scores sheet and the radar chart as a second series.")
    var previousAnswers: String?

    @Option(help: "Name of the earlier round's column and series. (default: the file's name without its extension)")
    var previousTitle: String?

    @OptionGroup var options: Mamori.Checklist.CatalogOptions

    func read(_ path: String, catalog: Catalog) throws -> [String: String] {
      do {
        return try AnswerFile.read(url: URL(fileURLWithPath: path), catalog: catalog)
      } catch let problems as AnswerFile.Problems {
        throw UsageError(problems.errors.map(\.description).joined(separator: "\nmamori: "))
      } catch {
        throw UsageError("cannot read \(path): \(error.localizedDescription)")
      }
    }

    func run() throws {
      let catalog = try options.catalog(self.catalog)
      let language = options.language
      let answers = try self.answers.map { try read($0, catalog: catalog) } ?? [:]
      if previousTitle != nil, previousAnswers == nil { throw UsageError("--previous-title needs --previous-answers") }
      let previous = try previousAnswers.map { path in
        MetiSheet.Previous(
          title: previousTitle ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent,
          entries: try read(path, catalog: catalog).mapValues { MetiSheet.Entry(answerID: $0) })
      }
      let texts = try options.texts()
      let status = texts.text(answers.count == catalog.items.count ? "checklist.complete" : "checklist.in_progress", language, [:])
      let sheetTitle = title ?? catalog.name.text(language)
      let guideSource = catalog.answerGuide.flatMap { guide in
        catalog.source(guide.source).map { source in
          texts.text(
            "checklist.answer_guide_source", language,
            ["source": source.citation(language), "provenance": texts.text(guide.provenance.labelKey, language)])
        }
      }
      let labels = MetiSheet.Labels(
        title: texts.text("checklist.sheet_title", language, ["catalog": catalog.name.text(language), "version": String(catalog.version)]),
        assessment: [sheetTitle, status].joined(separator: language == .ja ? "｜" : " | "),
        guideHeading: texts.text("checklist.answer_guide", language), guideSource: guideSource,
        fieldSources: texts.text("assessments.fields_provenance", language),
        provenance: Dictionary(uniqueKeysWithValues: Provenance.allCases.map { ($0, texts.text($0.labelKey, language)) }),
        secondary: texts.text("checklist.secondary", language))
      let header = MetiSheet.Header(
        title: sheetTitle, organisation: "", status: status, started: "", completed: nil, labels: labels, previous: previous)
      let workbook = MetiSheet.workbook(
        catalog: catalog, entries: answers.mapValues { MetiSheet.Entry(answerID: $0) }, header: header, language: language)
      do {
        try XLSXWriter.data(workbook).write(to: URL(fileURLWithPath: output))
      } catch {
        throw UsageError("cannot write \(output): \(error.localizedDescription)")
      }
    }
  }
}

/// JSON written by hand so that numbers keep the contract's one decimal (66.7, 100.0), which
/// JSONSerialization would not.
enum JSONText {
  static func string(_ text: String) -> String { AlertWriter.jsonString(text) }

  static func object(_ pairs: [(String, String)]) -> String {
    "{" + pairs.map { "\(string($0.0)):\($0.1)" }.joined(separator: ",") + "}"
  }
}

/// The language of a command's output: --lang, then the locale variables, then Japanese.
enum CommandLanguage {
  static func resolve(_ lang: String?) -> Language {
    if let lang, let language = Language(rawValue: lang) { return language }
    let environment = ProcessInfo.processInfo.environment
    for variable in ["LC_ALL", "LC_MESSAGES", "LANG"] {
      guard let value = environment[variable], !value.isEmpty else { continue }
      if value.lowercased().hasPrefix("en") { return .en }
      if value.lowercased().hasPrefix("ja") { return .ja }
      break
    }
    return .ja
  }
}
