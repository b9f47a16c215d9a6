import Foundation

/// The demo company's self-checks: two completed a few months apart, showing progress, and one in
/// progress. Answers follow a fixed pattern per item so that every start shows the same charts.
public enum DemoAssessments {
  public struct Plan: Sendable {
    public var title: String
    public var startedOn: CivilDate
    /// nil while in progress.
    public var completedOn: CivilDate?
    /// item id → (answer id, note, owner, due date)
    public var answers: [(itemID: String, answerID: String, note: String, owner: String, due: CivilDate?)]
  }

  static let owners = ["総務部 中村", "情報システム課 小林", "品質保証部 山本", "製造部 加藤", "設計部 吉田"]

  public static func plans(for catalog: Catalog, today: CivilDate) -> [Plan] {
    let first = today.adding(days: -210)
    let second = today.adding(days: -45)
    let third = today.adding(days: -3)
    func answer(_ index: Int, _ item: Catalog.Item, round: Int) -> String {
      // A weak start that improves: round 0 has many × and △, round 1 fewer, round 2 fewer still.
      let value = (index * 7 + item.fields.count * 3) % 10
      if item.allowNotApplicable, value == 9 { return "na" }
      switch round {
      case 0: return value < 3 ? "no" : (value < 6 ? "partial" : "yes")
      case 1: return value < 1 ? "no" : (value < 4 ? "partial" : "yes")
      default: return value < 2 ? "partial" : "yes"
      }
    }
    func plan(_ title: String, _ started: CivilDate, _ completed: CivilDate?, round: Int, share: Int) -> Plan {
      var answers: [(String, String, String, String, CivilDate?)] = []
      for (index, item) in catalog.items.enumerated() where index * 100 < catalog.items.count * share {
        let id = answer(index, item, round: round)
        let needsAction = id == "no" || id == "partial"
        answers.append(
          (item.id, id, index % 5 == 0 ? "規程・記録を確認（デモ）" : "", needsAction ? owners[index % owners.count] : "",
           needsAction ? started.adding(days: 60 + (index % 4) * 30) : nil))
      }
      return Plan(title: title, startedOn: started, completedOn: completed, answers: answers)
    }
    return [
      plan("\(first.year)年\(first.month)月 自己チェック", first, first.adding(days: 14), round: 0, share: 100),
      plan("\(second.year)年\(second.month)月 自己チェック", second, second.adding(days: 10), round: 1, share: 100),
      plan("\(third.year)年\(third.month)月 自己チェック（回答中）", third, nil, round: 2, share: 60),
    ]
  }
}
