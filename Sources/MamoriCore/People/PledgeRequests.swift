import Foundation

/// How a pledge came to be in the register: recorded by an officer from paper (with or without its
/// scan), or acknowledged by the person inside Mamori in answer to a request.
public enum PledgeMethod: String, CaseIterable, Sendable, Codable {
  case recorded
  case acknowledged

  public var labelKey: String { "pledge.method.\(rawValue)" }
}

/// A pledge an officer asks a person to acknowledge, as typed into the request form.
public struct PledgeRequestDraft: Sendable, Equatable {
  public static let scopeRule = PledgeDraft.scopeRule
  public static let groupRule = PledgeDraft.groupRule
  /// The wording the person reads and acknowledges: long enough for a one-page pledge. Left empty, the
  /// request takes Mamori's model wording for the kind.
  public static let wordingRule = TextRule(field: "wording", maximum: 4000, required: false)
  /// The latest due day a request may have: a year ahead; a pledge is asked for now, not next year.
  public static let maximumDueDays = 366
  /// The due day a request gets when none is chosen (the form's default, a finding's one-click request).
  public static let defaultDueDays = 14

  public static func defaultDueOn(today: CivilDate) -> CivilDate { today.adding(days: defaultDueDays) }

  public var kind: String
  public var scope: String
  public var assetGroup: String
  public var wording: String
  public var dueOn: String

  public init(kind: String = PledgeKind.joining.rawValue, scope: String = "", assetGroup: String = "", wording: String = "", dueOn: String = "") {
    self.kind = kind
    self.scope = scope
    self.assetGroup = assetGroup
    self.wording = wording
    self.dueOn = dueOn
  }

  public var normalised: PledgeRequestDraft {
    func trim(_ text: String) -> String { text.trimmingWhitespace() }
    return PledgeRequestDraft(
      kind: trim(kind), scope: trim(scope), assetGroup: trim(assetGroup),
      wording: wording.replacingOccurrences(of: "\r\n", with: "\n").trimmingWhitespace(), dueOn: trim(dueOn))
  }

  /// Every rule the draft breaks: a known kind, a due day from today to a year ahead,
  /// the texts within their limits.
  public func validate(today: CivilDate) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if PledgeKind(rawValue: kind) == nil { issues.append(ValidationIssue(field: "kind", key: "validation.choice")) }
    if dueOn.isEmpty {
      issues.append(ValidationIssue(field: "due_on", key: "validation.required"))
    } else if let day = CivilDate(iso: dueOn) {
      if day < today || today.adding(days: Self.maximumDueDays) < day {
        issues.append(ValidationIssue(field: "due_on", key: "validation.pledge_request_due", arguments: ["days": "\(Self.maximumDueDays)"]))
      }
    } else {
      issues.append(ValidationIssue(field: "due_on", key: "validation.date"))
    }
    issues.append(
      contentsOf: [Self.scopeRule.check(scope), Self.groupRule.check(assetGroup), Self.wordingRule.check(wording)].compactMap { $0 })
    return issues
  }

  public var pledgeKind: PledgeKind? { PledgeKind(rawValue: kind) }
  public var dueDay: CivilDate? { CivilDate(iso: dueOn) }
}

/// The state of a pledge request: open until the person acknowledges it (an officer may withdraw an
/// open one, which deletes it; its audit entries keep what it was).
public enum PledgeRequestState: String, Sendable {
  case open
  case overdue
  case acknowledged

  public static func of(dueOn: CivilDate, acknowledged: Bool, today: CivilDate) -> PledgeRequestState {
    acknowledged ? .acknowledged : dueOn < today ? .overdue : .open
  }

  public var labelKey: String { "pledge_request.state.\(rawValue)" }

  /// The badge class the lists share with training's to-dos (due, overdue, done).
  public var badge: String {
    switch self {
    case .open: return "due"
    case .overdue: return "overdue"
    case .acknowledged: return "done"
    }
  }
}

extension Policy {
  /// Whether a user may acknowledge a pledge request addressed to `addressee`: only the person it is
  /// addressed to, through an organisation account linked to that person. An officer cannot
  /// acknowledge on someone's behalf: that would be a signature nobody gave (they record the paper
  /// pledge instead).
  public static func can(_ principal: Principal?, personID: UUID?, acknowledgePledgeOf addressee: UUID) -> Bool {
    guard let principal, Policy.can(principal, .acknowledgeOwnPledges), let personID else { return false }
    return personID == addressee
  }

  /// Whether a user may read a pledge request: the person it is addressed to, and the officers who
  /// request and withdraw them.
  public static func can(_ principal: Principal?, personID: UUID?, seePledgeOf addressee: UUID) -> Bool {
    if can(principal, personID: personID, acknowledgePledgeOf: addressee) { return true }
    return Policy.can(principal, .manageRegister)
  }
}
