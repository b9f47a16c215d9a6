import Foundation
import Yams

/// Reads and checks a catalog file (`docs/catalogs.md`). Every error names the file, the line and the
/// reason; a catalog with an error is never half-used.
public enum CatalogLoader {
  public static func load(url: URL) throws -> Catalog {
    let text: String
    do {
      text = try String(contentsOf: url, encoding: .utf8)
    } catch {
      throw CatalogError(file: url.lastPathComponent, line: nil, reason: "cannot be read as UTF-8 text")
    }
    return try load(yaml: text, file: url.lastPathComponent)
  }

  /// Every `.yaml` catalog of a folder, sorted by id; the first error stops the load.
  public static func loadFolder(_ folder: URL) throws -> [Catalog] {
    try loadFolderWithTexts(folder).catalogs
  }

  /// ``loadFolder(_:)`` with each catalog's YAML text by id, from the same reading (every command
  /// starts by loading them: parsing them twice was a tenth of a command's start).
  public static func loadFolderWithTexts(_ folder: URL) throws -> (catalogs: [Catalog], texts: [String: String]) {
    let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
      .filter { $0.pathExtension == "yaml" || $0.pathExtension == "yml" }
      .sorted { $0.lastPathComponent < $1.lastPathComponent }
    var catalogs: [Catalog] = []
    var texts: [String: String] = [:]
    for file in files {
      let text: String
      do {
        text = try String(contentsOf: file, encoding: .utf8)
      } catch {
        throw CatalogError(file: file.lastPathComponent, line: nil, reason: "cannot be read as UTF-8 text")
      }
      let catalog = try load(yaml: text, file: file.lastPathComponent)
      if catalogs.contains(where: { $0.id == catalog.id }) {
        throw CatalogError(file: file.lastPathComponent, line: nil, reason: "repeats the catalog id \(catalog.id)")
      }
      catalogs.append(catalog)
      texts[catalog.id] = text
    }
    return (catalogs.sorted { $0.id < $1.id }, texts)
  }

  /// Also the path of uploaded catalogs: ``YAMLGuard`` refuses anchors, aliases and excess before Yams
  /// composes anything.
  public static func load(yaml: String, file: String) throws -> Catalog {
    try YAMLGuard.check(yaml, file: file)
    let root: Node?
    do {
      root = try Yams.compose(yaml: yaml)
    } catch let error as YamlError {
      throw CatalogError(file: file, line: error.line, reason: "is not valid YAML (\(Self.summary(error)))")
    }
    guard let root else { throw CatalogError(file: file, line: 1, reason: "is empty") }
    var reader = Reader(file: file)
    return try reader.catalog(root)
  }

  static func summary(_ error: YamlError) -> String {
    let text = "\(error)"
    return text.split(separator: "\n").first.map(String.init) ?? text
  }

  /// Lower-case ASCII letters and digits, then also `-`, `_` and `.`: safe in URLs, files and CSV.
  static func isID(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first, (97...122).contains(first.value) || (48...57).contains(first.value) else {
      return false
    }
    return text.unicodeScalars.allSatisfy { (97...122).contains($0.value) || (48...57).contains($0.value) || "-_.".unicodeScalars.contains($0) }
  }

  struct Reader {
    let file: String
    var nodeIDs: [String: Int] = [:]

    init(file: String) { self.file = file }

    func fail(_ node: Node?, _ reason: String) -> CatalogError {
      CatalogError(file: file, line: node?.mark?.line, reason: reason)
    }

    /// The entries of a mapping, after checking that its keys are known and the required ones present.
    func mapping(_ node: Node, _ context: String, required: [String], optional: [String] = []) throws
      -> [String: (key: Node, value: Node)]
    {
      guard let mapping = node.mapping else { throw fail(node, "\(context) must be a map") }
      var entries: [String: (key: Node, value: Node)] = [:]
      let allowed = Set(required + optional)
      for (key, value) in mapping {
        guard let name = key.string else { throw fail(key, "\(context) has a key that is not text") }
        guard allowed.contains(name) else {
          throw fail(key, "\(context) has an unknown key \"\(name)\" (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
        entries[name] = (key, value)
      }
      for name in required where entries[name] == nil {
        throw fail(node, "\(context) lacks \"\(name)\"")
      }
      return entries
    }

    func string(_ node: Node, _ context: String) throws -> String {
      guard case .scalar(let scalar) = node else { throw fail(node, "\(context) must be a text") }
      let text = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !text.isEmpty else { throw fail(node, "\(context) must not be empty") }
      return text
    }

    func localized(_ node: Node, _ context: String) throws -> LocalizedText {
      let entries = try mapping(node, context, required: ["ja", "en"])
      return LocalizedText(
        ja: try string(entries["ja"]!.value, "\(context).ja"), en: try string(entries["en"]!.value, "\(context).en"))
    }

    func identifier(_ node: Node, _ context: String) throws -> String {
      let text = try string(node, context)
      guard CatalogLoader.isID(text), text.count <= 80 else {
        throw fail(node, "\(context) \"\(text)\" must be lower-case letters, digits, \"-\", \"_\" or \".\"")
      }
      return text
    }

    func provenance(_ entries: [String: (key: Node, value: Node)], _ context: String, sources: Set<String>) throws
      -> (Provenance, String?)
    {
      let node = entries["provenance"]!.value
      let text = try string(node, "\(context).provenance")
      guard let provenance = Provenance(rawValue: text) else {
        throw fail(node, "\(context).provenance \"\(text)\" must be verbatim, paraphrase or ours")
      }
      var source: String?
      if let entry = entries["source"] {
        let id = try string(entry.value, "\(context).source")
        guard sources.contains(id) else { throw fail(entry.value, "\(context).source \"\(id)\" is not among the sources") }
        source = id
      }
      if provenance != .ours, source == nil {
        throw fail(node, "\(context) is \(provenance.rawValue), so it must name its source")
      }
      return (provenance, source)
    }

    mutating func catalog(_ root: Node) throws -> Catalog {
      let top = try mapping(
        root, "the catalog", required: ["id", "version", "name", "provenance", "scale", "fields", "nodes"],
        optional: ["description", "notice", "sources", "source", "official_url", "answer_guide"])
      let id = try identifier(top["id"]!.value, "id")
      let versionNode = top["version"]!.value
      guard let version = Int(try string(versionNode, "version")), version >= 1 else {
        throw fail(versionNode, "version must be a positive whole number")
      }
      let name = try localized(top["name"]!.value, "name")
      let description = try top["description"].map { try localized($0.value, "description") }
      let notice = try top["notice"].map { try localized($0.value, "notice") }

      var sources: [Catalog.Source] = []
      if let entry = top["sources"] {
        guard let list = entry.value.sequence else { throw fail(entry.value, "sources must be a list") }
        for node in list {
          let fields = try mapping(
            node, "a source", required: ["id", "publisher", "title", "date"],
            optional: ["url", "kind", "note", "publisher_en", "title_en"])
          let sourceID = try identifier(fields["id"]!.value, "source id")
          if sources.contains(where: { $0.id == sourceID }) { throw fail(node, "repeats the source id \(sourceID)") }
          let date = try string(fields["date"]!.value, "source \(sourceID).date")
          guard date.wholeMatch(of: /^\d{4}(-\d{2}(-\d{2})?)?$/) != nil else {
            throw fail(fields["date"]!.value, "source \(sourceID).date \"\(date)\" must be YYYY, YYYY-MM or YYYY-MM-DD")
          }
          let url = try fields["url"].map { try self.url($0.value, "source \(sourceID).url") }
          var kind = Catalog.Source.Kind.primary
          if let entry = fields["kind"] {
            guard let value = Catalog.Source.Kind(rawValue: try string(entry.value, "source \(sourceID).kind")) else {
              throw fail(entry.value, "source \(sourceID).kind must be primary or secondary")
            }
            kind = value
          }
          sources.append(
            .init(
              id: sourceID, publisher: try string(fields["publisher"]!.value, "source \(sourceID).publisher"),
              title: try string(fields["title"]!.value, "source \(sourceID).title"), date: date, url: url, kind: kind,
              note: try fields["note"].map { try localized($0.value, "source \(sourceID).note") },
              publisherEnglish: try fields["publisher_en"].map { try string($0.value, "source \(sourceID).publisher_en") },
              titleEnglish: try fields["title_en"].map { try string($0.value, "source \(sourceID).title_en") }))
        }
      }
      let sourceIDs = Set(sources.map(\.id))
      let (provenance, _) = try self.provenance(top, "the catalog", sources: sourceIDs)
      let officialURL = try top["official_url"].map { try self.url($0.value, "official_url") }

      // The answer scale.
      guard let scaleList = top["scale"]!.value.sequence else { throw fail(top["scale"]!.value, "scale must be a list") }
      guard (2...6).contains(scaleList.count) else { throw fail(top["scale"]!.value, "scale must have 2 to 6 answers") }
      var scale: [Catalog.Answer] = []
      for node in scaleList {
        let fields = try mapping(node, "an answer", required: ["id", "symbol", "label"], optional: ["points", "counts"])
        let answerID = try identifier(fields["id"]!.value, "answer id")
        let symbol = try string(fields["symbol"]!.value, "answer \(answerID).symbol")
        if scale.contains(where: { $0.id == answerID || $0.symbol == symbol }) {
          throw fail(node, "repeats the answer \(answerID) or its symbol \(symbol)")
        }
        var counts = true
        if let entry = fields["counts"] {
          guard let value = entry.value.bool else { throw fail(entry.value, "answer \(answerID).counts must be true or false") }
          counts = value
        }
        var points = 0.0
        if let entry = fields["points"] {
          guard let value = Double(try string(entry.value, "answer \(answerID).points")), value >= 0 else {
            throw fail(entry.value, "answer \(answerID).points must be a number of 0 or more")
          }
          points = value
          if !counts, value != 0 {
            throw fail(entry.value, "answer \(answerID) does not count, so it cannot have points")
          }
        } else if counts {
          throw fail(node, "answer \(answerID) counts, so it needs points")
        }
        scale.append(
          .init(id: answerID, symbol: symbol, label: try localized(fields["label"]!.value, "answer \(answerID).label"),
                points: points, counts: counts))
      }
      guard scale.contains(where: \.counts), (scale.filter(\.counts).map(\.points).max() ?? 0) > 0 else {
        throw fail(top["scale"]!.value, "scale needs at least one counted answer with points above 0")
      }

      // Fields: the radar chart's axes.
      guard let fieldList = top["fields"]!.value.sequence else { throw fail(top["fields"]!.value, "fields must be a list") }
      guard (3...12).contains(fieldList.count) else {
        throw fail(top["fields"]!.value, "fields must be 3 to 12 (a radar chart needs at least 3 axes), found \(fieldList.count)")
      }
      var fields: [Catalog.Field] = []
      for node in fieldList {
        let entries = try mapping(
          node, "a field", required: ["id", "name", "provenance"], optional: ["source", "note", "definition", "definition_source"])
        let fieldID = try identifier(entries["id"]!.value, "field id")
        if fields.contains(where: { $0.id == fieldID }) { throw fail(node, "repeats the field id \(fieldID)") }
        let (fieldProvenance, source) = try self.provenance(entries, "field \(fieldID)", sources: sourceIDs)
        let definition = try entries["definition"].map { try localized($0.value, "field \(fieldID).definition") }
        var definitionSource: String?
        if let entry = entries["definition_source"] {
          let id = try string(entry.value, "field \(fieldID).definition_source")
          guard sourceIDs.contains(id) else { throw fail(entry.value, "field \(fieldID).definition_source \"\(id)\" is not among the sources") }
          definitionSource = id
        }
        if definition != nil, definitionSource == nil {
          throw fail(entries["definition"]!.value, "field \(fieldID).definition is quoted, so it needs definition_source")
        }
        fields.append(
          .init(id: fieldID, name: try localized(entries["name"]!.value, "field \(fieldID).name"), provenance: fieldProvenance,
                source: source, note: try entries["note"].map { try localized($0.value, "field \(fieldID).note") },
                definition: definition, definitionSource: definitionSource))
      }
      let fieldIDs = Set(fields.map(\.id))
      let answerGuide = try top["answer_guide"].map { try self.answerGuide($0.value, scale: scale, sources: sourceIDs) }
      let hasNotApplicable = scale.contains { !$0.counts }

      // The tree of sections and items.
      var sections: [Catalog.Section] = []
      var items: [Catalog.Item] = []
      func walk(_ list: Node, depth: Int, section: Int?) throws {
        guard let nodes = list.sequence, !nodes.isEmpty else { throw fail(list, "nodes must be a non-empty list") }
        for node in nodes {
          guard let keys = node.mapping?.keys.compactMap(\.string) else { throw fail(node, "a node must be a map") }
          if keys.contains("section") {
            let entries = try mapping(node, "a section", required: ["id", "section", "nodes"])
            let sectionID = try identifier(entries["id"]!.value, "section id")
            try claim(sectionID, entries["id"]!.value)
            sections.append(
              .init(id: sectionID, title: try localized(entries["section"]!.value, "section \(sectionID).section"), depth: depth,
                    itemIDs: []))
            let index = sections.count - 1
            let before = items.count
            try walk(entries["nodes"]!.value, depth: depth + 1, section: index)
            sections[index].itemIDs = items[before...].map(\.id)
          } else {
            let entries = try mapping(
              node, "an item", required: ["id", "text", "fields", "provenance"],
              optional: ["number", "allow_na", "source", "guidance"])
            let itemID = try identifier(entries["id"]!.value, "item id")
            try claim(itemID, entries["id"]!.value)
            guard let fieldList = entries["fields"]!.value.sequence, !fieldList.isEmpty else {
              throw fail(entries["fields"]!.value, "item \(itemID).fields must be a non-empty list of field ids")
            }
            var itemFields: [String] = []
            for fieldNode in fieldList {
              let fieldID = try string(fieldNode, "item \(itemID).fields")
              guard fieldIDs.contains(fieldID) else { throw fail(fieldNode, "item \(itemID) names an unknown field \"\(fieldID)\"") }
              if !itemFields.contains(fieldID) { itemFields.append(fieldID) }
            }
            var allowNA = false
            if let entry = entries["allow_na"] {
              guard let value = entry.value.bool else { throw fail(entry.value, "item \(itemID).allow_na must be true or false") }
              allowNA = value
              if allowNA, !hasNotApplicable {
                throw fail(entry.value, "item \(itemID) allows \"not applicable\", but the scale has no answer with counts: false")
              }
            }
            let (itemProvenance, source) = try self.provenance(entries, "item \(itemID)", sources: sourceIDs)
            items.append(
              .init(
                id: itemID, number: try entries["number"].map { try string($0.value, "item \(itemID).number") },
                text: try localized(entries["text"]!.value, "item \(itemID).text"), fields: itemFields,
                allowNotApplicable: allowNA, provenance: itemProvenance, source: source,
                guidance: try entries["guidance"].map { try localized($0.value, "item \(itemID).guidance") },
                sectionID: section.map { sections[$0].id }))
          }
        }
      }
      try walk(top["nodes"]!.value, depth: 0, section: nil)
      for field in fields where !items.contains(where: { $0.fields.contains(field.id) }) {
        throw fail(top["fields"]!.value, "field \(field.id) has no item")
      }

      var catalog = Catalog(
        id: id, version: version, name: name, description: description, notice: notice, provenance: provenance,
        sources: sources, officialURL: officialURL, scale: scale, answerGuide: answerGuide, fields: fields, sections: sections,
        items: items)
      catalog.itemIndex = Dictionary(uniqueKeysWithValues: items.enumerated().map { ($1.id, $0) })
      return catalog
    }

    func url(_ node: Node, _ context: String) throws -> String {
      let url = try string(node, context)
      guard url.hasPrefix("https://") || url.hasPrefix("http://"), !url.contains(where: \.isWhitespace) else {
        throw fail(node, "\(context) must start with https:// or http://")
      }
      return url
    }

    /// `answer_guide`: a definition for every answer of the scale, and notes, with their provenance.
    func answerGuide(_ node: Node, scale: [Catalog.Answer], sources: Set<String>) throws -> Catalog.AnswerGuide {
      let entries = try mapping(node, "answer_guide", required: ["provenance", "answers"], optional: ["source", "notes"])
      let (provenance, source) = try self.provenance(entries, "answer_guide", sources: sources)
      let answersNode = entries["answers"]!.value
      let answers = try mapping(answersNode, "answer_guide.answers", required: scale.map(\.id))
      var definitions: [Catalog.AnswerGuide.Definition] = []
      for answer in scale {
        definitions.append(.init(answerID: answer.id, text: try localized(answers[answer.id]!.value, "answer_guide.answers.\(answer.id)")))
      }
      var notes: [LocalizedText] = []
      if let entry = entries["notes"] {
        guard let list = entry.value.sequence else { throw fail(entry.value, "answer_guide.notes must be a list") }
        for (index, note) in list.enumerated() { notes.append(try localized(note, "answer_guide.notes[\(index + 1)]")) }
      }
      return .init(provenance: provenance, source: source, definitions: definitions, notes: notes)
    }

    mutating func claim(_ id: String, _ node: Node) throws {
      if let line = nodeIDs[id] { throw fail(node, "repeats the node id \(id) (first on line \(line))") }
      nodeIDs[id] = node.mark?.line ?? 0
    }
  }
}
