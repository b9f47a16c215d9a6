/// The demo's access review campaigns: last half-year's, closed with every grant decided (a few
/// revoked), and this half-year's, past its due day and still open with some grants undecided, so that
/// `grant-not-reviewed` appears and the member account has grants of its own to review.
public enum DemoReviews {
  public struct Campaign: Sendable, Equatable {
    public var name: String
    public var startsOn: CivilDate
    public var dueOn: CivilDate
    public var closedOn: CivilDate?
  }

  public static func campaigns(today: CivilDate) -> [Campaign] {
    [
      Campaign(
        name: "2026年度 上期 アクセス権棚卸し（デモ）", startsOn: today.adding(days: -120), dueOn: today.adding(days: -90),
        closedOn: today.adding(days: -88)),
      Campaign(
        name: "2026年度 下期 アクセス権棚卸し（デモ）", startsOn: today.adding(days: -30), dueOn: today.adding(days: -3), closedOn: nil),
    ]
  }

  /// The decision on one grant, nil while it waits: in the running campaign the member's own assets and
  /// about one grant in twelve wait; in the closed one every grant is decided, about one in thirty revoked.
  public static func decision(assetCode: String, personCode: String, closed: Bool, ownedByMember: Bool) -> ReviewDecision? {
    let roll = (assetCode + "/" + personCode).unicodeScalars.reduce(0) { ($0 * 31 + Int($1.value)) % 1_000_003 }
    if closed { return roll % 30 == 0 ? .revoke : .confirm }
    return ownedByMember || roll % 12 == 0 ? nil : .confirm
  }
}
