/// The kinds of pledge (誓約書) an SME collects, the seed's 「秘密保持誓約書」 at each point where a person
/// comes to know, or stops working with, the organisation's information.
public enum PledgeKind: String, CaseIterable, Sendable, Codable {
  /// On joining (入社時): the employee's or executive's general confidentiality pledge.
  case joining
  /// On leaving (退職時): what the person takes on for the time after leaving.
  case leaving
  /// On joining a project (プロジェクト参加時), usually scoped to a group of assets.
  case project
  /// For dispatched or contracted staff (派遣・委託時), signed in place of the joining pledge.
  case external

  public var labelKey: String { "pledge.kind.\(rawValue)" }

  /// The pledge a person must have signed while they work here: dispatched workers and contractors
  /// sign the external one, everybody else the joining one.
  public static func required(for employment: EmploymentType) -> PledgeKind {
    employment == .dispatched || employment == .contractor ? .external : .joining
  }
}

/// A pledge as typed into the person page's form, before it is saved.
public struct PledgeDraft: Sendable, Equatable {
  public static let scopeRule = TextRule(field: "scope", maximum: 500, required: false)
  public static let groupRule = TextRule(field: "asset_group", maximum: 100, required: false)

  public var kind: String
  public var signedOn: String
  public var scope: String
  /// The group of assets (product or process line) a project pledge covers; empty for the whole organisation.
  public var assetGroup: String

  public init(kind: String = PledgeKind.joining.rawValue, signedOn: String = "", scope: String = "", assetGroup: String = "") {
    self.kind = kind
    self.signedOn = signedOn
    self.scope = scope
    self.assetGroup = assetGroup
  }

  public var normalised: PledgeDraft {
    func trim(_ text: String) -> String { text.trimmingWhitespace() }
    return PledgeDraft(kind: trim(kind), signedOn: trim(signedOn), scope: trim(scope), assetGroup: trim(assetGroup))
  }

  /// Every rule the draft breaks: a known kind, a signed day that is a real day and not in the future
  /// (a pledge is recorded once it is signed), the texts within their limits.
  public func validate(today: CivilDate) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if PledgeKind(rawValue: kind) == nil { issues.append(ValidationIssue(field: "kind", key: "validation.choice")) }
    if signedOn.isEmpty {
      issues.append(ValidationIssue(field: "signed_on", key: "validation.required"))
    } else if let day = CivilDate(iso: signedOn) {
      if today < day { issues.append(ValidationIssue(field: "signed_on", key: "validation.pledge_future")) }
    } else {
      issues.append(ValidationIssue(field: "signed_on", key: "validation.date"))
    }
    issues.append(contentsOf: [Self.scopeRule.check(scope), Self.groupRule.check(assetGroup)].compactMap { $0 })
    return issues
  }

  public var pledgeKind: PledgeKind? { PledgeKind(rawValue: kind) }
  public var signedDay: CivilDate? { CivilDate(iso: signedOn) }
}
