import Foundation

/// A text in both interface languages.
public struct LocalizedText: Sendable, Equatable, Hashable, Codable {
  public var ja: String
  public var en: String

  public init(ja: String, en: String) {
    self.ja = ja
    self.en = en
  }

  public func text(_ language: Language) -> String { language == .ja ? ja : en }
}

/// Where a text comes from: quoted exactly, restated, or written by Mamori. Shown with every item so
/// that no wording of ours passes for METI's.
public enum Provenance: String, Sendable, Codable, CaseIterable {
  case verbatim
  case paraphrase
  case ours

  public var labelKey: String { "provenance.\(rawValue)" }
}

/// A framework to assess against, loaded from a YAML file (see `docs/catalogs.md`).
public struct Catalog: Sendable, Equatable {
  public struct Source: Sendable, Equatable, Codable {
    /// A primary source is the publisher's own text; a secondary one reports it (a newspaper article).
    public enum Kind: String, Sendable, Codable { case primary, secondary }

    public var id: String
    public var publisher: String
    public var title: String
    public var date: String
    /// Where to read it; nil when the source has no address of its own (a briefing handed out).
    public var url: String?
    public var kind: Kind = .primary
    /// What a reader should know about the source (which edition it describes, what it lacks).
    public var note: LocalizedText?
    /// Mamori's English for a Japanese publisher and title, cited beside the original in English.
    public var publisherEnglish: String? = nil
    public var titleEnglish: String? = nil

    /// 経済産業省 …「経済安全保障の観点からの技術流出対策について」（2025年11月） /
    /// 経済産業省 …, “経済安全保障の観点からの技術流出対策について” (November 2025).
    public func citation(_ language: Language) -> String {
      let date = DateDisplay.partialDate(date, language)
      switch language {
      case .ja: return "\(publisher)「\(title)」（\(date)）"
      case .en:
        // The original title stays beside ours, which is marked as a translation: it is how the source is found.
        guard let publisherEnglish, let titleEnglish else { return "\(publisher), “\(title)” (\(date))" }
        return "\(publisherEnglish), “\(titleEnglish)” (「\(title)」, title translated by Mamori) (\(date))"
      }
    }
  }

  /// How to choose an answer, quoted with its source beside the choices: a definition per answer id
  /// and notes on the terms they use (what 守るべき情報 means).
  public struct AnswerGuide: Sendable, Equatable {
    public struct Definition: Sendable, Equatable {
      public var answerID: String
      public var text: LocalizedText
    }

    public var provenance: Provenance
    public var source: String?
    /// A definition per answer, in the order of the scale.
    public var definitions: [Definition]
    public var notes: [LocalizedText]

    public func definition(_ answerID: String) -> LocalizedText? { definitions.first { $0.answerID == answerID }?.text }
  }

  public struct Answer: Sendable, Equatable, Codable {
    public var id: String
    public var symbol: String
    public var label: LocalizedText
    public var points: Double
    /// false for "not applicable": no points, not counted.
    public var counts: Bool
  }

  public struct Field: Sendable, Equatable, Codable {
    public var id: String
    public var name: LocalizedText
    public var provenance: Provenance
    public var source: String?
    /// What a reader should know about where the name comes from (a label completed by Mamori).
    public var note: LocalizedText?
    /// What the field covers, quoted from `definitionSource` (the matrix's column definitions).
    public var definition: LocalizedText?
    public var definitionSource: String?
  }

  public struct Section: Sendable, Equatable, Codable {
    public var id: String
    public var title: LocalizedText
    public var depth: Int
    /// The ids of the items directly or indirectly under this section, in order.
    public var itemIDs: [String]
  }

  public struct Item: Sendable, Equatable, Codable {
    public var id: String
    public var number: String?
    public var text: LocalizedText
    public var fields: [String]
    public var allowNotApplicable: Bool
    public var provenance: Provenance
    public var source: String?
    public var guidance: LocalizedText?
    /// The nearest enclosing section, whose heading would head the item in METI's layout.
    public var sectionID: String?
  }

  public var id: String
  public var version: Int
  public var name: LocalizedText
  public var description: LocalizedText?
  public var notice: LocalizedText?
  public var provenance: Provenance
  public var sources: [Source]
  /// The official sheet this edition corresponds to (METI's workbook), linked from the catalogs page.
  public var officialURL: String?
  public var scale: [Answer]
  public var answerGuide: AnswerGuide?
  public var fields: [Field]
  /// Sections in document order (outer before inner).
  public var sections: [Section]
  /// Every item, flat, in catalog order.
  public var items: [Item]

  public func item(_ id: String) -> Item? { itemIndex[id].map { items[$0] } }
  public func section(_ id: String) -> Section? { sections.first { $0.id == id } }
  public func source(_ id: String?) -> Source? { id.flatMap { id in sources.first { $0.id == id } } }
  public func field(_ id: String) -> Field? { fields.first { $0.id == id } }

  /// The answer a file or form gives: its id (`yes`), its symbol (`○`) or its label in either language.
  public func answer(matching text: String) -> Answer? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    return scale.first { $0.id == trimmed || $0.symbol == trimmed || $0.label.ja == trimmed || $0.label.en == trimmed }
  }

  /// The highest points an answer can earn: a field's score is its points over this times its items.
  public var maximumPoints: Double { scale.filter(\.counts).map(\.points).max() ?? 0 }

  var itemIndex: [String: Int] = [:]

  public static func == (lhs: Catalog, rhs: Catalog) -> Bool {
    lhs.id == rhs.id && lhs.version == rhs.version && lhs.items == rhs.items && lhs.fields == rhs.fields
      && lhs.scale == rhs.scale && lhs.sections == rhs.sections
  }
}
