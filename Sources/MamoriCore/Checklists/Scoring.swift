import Foundation

/// Scores of an assessment: per field and overall, as percentages, with completeness beside them.
///
/// An answered item that counts earns its answer's points; a field's score is its points over the scale's
/// highest points times its counted items; an item counts in every field it belongs to; the overall
/// score is the same over all items; "not applicable" and unanswered items do not count (docs/catalogs.md).
public struct ScoreReport: Sendable, Equatable {
  public struct FieldScore: Sendable, Equatable {
    public var id: String
    public var name: LocalizedText
    /// 0–100, or nil when no item of the field counts.
    public var score: Double?
    public var counted: Int
    public var items: Int
  }

  public var overall: Double?
  /// Items answered with an answer that counts.
  public var counted: Int
  /// Answered items over all items, 0–100.
  public var completeness: Double
  public var answered: Int
  public var total: Int
  public var fields: [FieldScore]

  public var isComplete: Bool { answered == total }
}

public enum Scoring {
  /// `answers` maps item ids to answer ids of the catalog's scale; ids that are not items are ignored
  /// here (callers validate them first).
  public static func score(_ catalog: Catalog, answers: [String: String]) -> ScoreReport {
    let maximum = catalog.maximumPoints
    let scale = Dictionary(uniqueKeysWithValues: catalog.scale.map { ($0.id, $0) })
    var fieldPoints: [String: Double] = [:]
    var fieldCounted: [String: Int] = [:]
    var fieldItems: [String: Int] = [:]
    var points = 0.0
    var counted = 0
    var answered = 0
    for item in catalog.items {
      for field in item.fields { fieldItems[field, default: 0] += 1 }
      guard let answerID = answers[item.id], let answer = scale[answerID] else { continue }
      answered += 1
      guard answer.counts else { continue }
      points += answer.points
      counted += 1
      for field in item.fields {
        fieldPoints[field, default: 0] += answer.points
        fieldCounted[field, default: 0] += 1
      }
    }
    func percent(_ points: Double, _ count: Int) -> Double? {
      count == 0 ? nil : points / (maximum * Double(count)) * 100
    }
    return ScoreReport(
      overall: percent(points, counted), counted: counted,
      completeness: catalog.items.isEmpty ? 0 : Double(answered) / Double(catalog.items.count) * 100,
      answered: answered, total: catalog.items.count,
      fields: catalog.fields.map { field in
        .init(
          id: field.id, name: field.name, score: percent(fieldPoints[field.id] ?? 0, fieldCounted[field.id] ?? 0),
          counted: fieldCounted[field.id] ?? 0, items: fieldItems[field.id] ?? 0)
      })
  }

  /// One decimal, as the interface and the CLI show scores: 66.7.
  public static func format(_ value: Double?) -> String {
    guard let value else { return "—" }
    return String(format: "%.1f", (value * 10).rounded() / 10)
  }
}

