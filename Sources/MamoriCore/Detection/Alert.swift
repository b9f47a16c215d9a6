/// The seven rules of the leak-detection contract (`docs/detection.md`).
public enum DetectionRule: String, Sendable, CaseIterable, Comparable {
  case unauthorizedAccess = "unauthorized-access"
  case departingTransfer = "departing-transfer"
  case postExitActivity = "post-exit-activity"
  case volumeSpike = "volume-spike"
  case massTransfer = "mass-transfer"
  case offHoursTransfer = "off-hours-transfer"
  case externalChannel = "external-channel"

  public static func < (lhs: DetectionRule, rhs: DetectionRule) -> Bool { lhs.rawValue < rhs.rawValue }

  var code: UInt64 { UInt64(Self.allCases.firstIndex(of: self)!) }
  static func from(code: UInt64) -> DetectionRule { allCases[Int(code)] }
}

public enum AlertSeverity: String, Sendable, CaseIterable {
  case critical
  case high
  case medium
}

/// One alert: a rule and a key (user, asset, date, hour as the rule defines), with the events that
/// make it.
public struct Alert: Sendable, Equatable {
  public var rule: DetectionRule
  public var severity: AlertSeverity
  public var userID: String
  public var assetID: String?
  public var date: CivilDate
  public var hour: Int?
  public var events: Int
  public var bytes: UInt128
  /// The earliest and latest of the events' timestamps, as written in the input.
  public var first: String
  public var last: String

  public init(
    rule: DetectionRule, severity: AlertSeverity, userID: String, assetID: String?, date: CivilDate, hour: Int?,
    events: Int, bytes: UInt128, first: String, last: String
  ) {
    self.rule = rule
    self.severity = severity
    self.userID = userID
    self.assetID = assetID
    self.date = date
    self.hour = hour
    self.events = events
    self.bytes = bytes
    self.first = first
    self.last = last
  }

  /// The output order: date, user, rule, asset (none first), hour (none first); strings by code point.
  public static func precedes(_ a: Alert, _ b: Alert) -> Bool {
    if a.date != b.date { return a.date < b.date }
    if !a.userID.utf8.elementsEqual(b.userID.utf8) { return codePointLess(a.userID, b.userID) }
    if a.rule != b.rule { return a.rule < b.rule }
    switch (a.assetID, b.assetID) {
    case (nil, nil): break
    case (nil, _): return true
    case (_, nil): return false
    case (let x?, let y?): if !x.utf8.elementsEqual(y.utf8) { return codePointLess(x, y) }
    }
    if a.hour != b.hour {
      guard let x = a.hour else { return true }
      guard let y = b.hour else { return false }
      return x < y
    }
    return false
  }

  /// Swift compares strings by Unicode canonical equivalence; the contract wants code points, which
  /// UTF-8 byte order gives.
  static func codePointLess(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
  }
}
