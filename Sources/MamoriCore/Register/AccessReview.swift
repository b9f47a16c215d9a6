import Foundation

/// An asset owner's answer for one grant of an access review campaign (アクセス権の棚卸し).
public enum ReviewDecision: String, CaseIterable, Sendable, Codable {
  /// The grant is still needed and stays.
  case confirm
  /// The grant is no longer needed: deciding so revokes it.
  case revoke

  public var labelKey: String { "reviews.decision.\(rawValue)" }
}

/// What opening a campaign asks for, with its rules: a name and a due day. The campaign starts on the
/// day it is opened, because that is the day its grants are taken from the register.
public struct AccessReviewDraft: Sendable, Equatable {
  public static let name = TextRule(field: "name", maximum: 200)
  /// The owner's optional comment on a decision.
  public static let comment = TextRule(field: "comment", maximum: 1000, required: false)
  /// A campaign is due within a year of opening: a review that runs longer is not a review.
  public static let maximumDays = 366

  public var name: String
  public var dueOn: String

  public init(name: String, dueOn: String) {
    self.name = name
    self.dueOn = dueOn
  }

  public var normalised: AccessReviewDraft {
    AccessReviewDraft(name: name.trimmingWhitespace(), dueOn: dueOn.trimmingSpaces())
  }

  public var dueDay: CivilDate? { CivilDate(iso: dueOn) }

  /// Problems of a draft opened on `today`: a name, and a due day from today up to a year ahead.
  public func validate(today: CivilDate) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if let issue = Self.name.check(name) { issues.append(issue) }
    if dueOn.isEmpty {
      issues.append(ValidationIssue(field: "due_on", key: "validation.required"))
    } else if let due = dueDay {
      if due < today {
        issues.append(ValidationIssue(field: "due_on", key: "validation.review_due_past"))
      } else if today.days(until: due) > Self.maximumDays {
        issues.append(ValidationIssue(field: "due_on", key: "validation.period_too_long", arguments: ["days": "\(Self.maximumDays)"]))
      }
    } else {
      issues.append(ValidationIssue(field: "due_on", key: "validation.date"))
    }
    return issues
  }
}

/// How a user may decide one review item (``Policy/can(_:personID:decide:)``).
public enum ReviewRight: String, Sendable, Equatable {
  /// The user is the asset's owner (as linked to their account) and reviews their own asset's grant.
  case owner
  /// An officer or administrator decides for an asset without an owner, or whose owner has no account
  /// to sign in with; the decision records that it was made on the owner's behalf.
  case onBehalf
}

/// The facts of a review item the policy needs: whose asset it is and whether that person can sign in.
public struct ReviewSubject: Sendable, Equatable {
  /// The asset's owner when the campaign was opened (a person of the register), nil when it had none.
  public var ownerPersonID: UUID?
  /// Whether the owner has an account (invited or active) linked to them.
  public var ownerHasAccount: Bool

  public init(ownerPersonID: UUID?, ownerHasAccount: Bool) {
    self.ownerPersonID = ownerPersonID
    self.ownerHasAccount = ownerHasAccount
  }
}

extension Policy {
  /// Who decides a grant of a review: the asset's owner (the issue: "an asset's owner reviews its
  /// grants"), whatever their role. An officer or administrator decides on the owner's behalf only when
  /// nobody else could: the asset has no owner, or its owner has no account. Otherwise nobody, not even
  /// an administrator, so that the owner's review stays the owner's.
  public static func can(_ principal: Principal?, personID: UUID?, decide item: ReviewSubject) -> ReviewRight? {
    guard let principal, Policy.can(principal, .reviewOwnAssets) else { return nil }
    if let personID, let owner = item.ownerPersonID, personID == owner { return .owner }
    if Policy.can(principal, .manageRegister), item.ownerPersonID == nil || !item.ownerHasAccount { return .onBehalf }
    return nil
  }

  /// Whether a user may see a review item: its owner, and those who run the campaigns.
  public static func can(_ principal: Principal?, personID: UUID?, see item: ReviewSubject) -> Bool {
    guard let principal, Policy.can(principal, .reviewOwnAssets) else { return false }
    if let personID, personID == item.ownerPersonID { return true }
    return Policy.can(principal, .manageRegister)
  }
}

extension RegisterSnapshot {
  /// One grant of one campaign, as `grant-not-reviewed` needs it. Only grants not revoked are given.
  public struct ReviewItem: Sendable, Equatable {
    /// The grant row's id: a person may hold two rows of the same asset (an expired one and a new one).
    public var grantID: String
    public var loginName: String
    public var assetCode: String
    public var grantExpiresOn: CivilDate?
    public var campaign: String
    public var startsOn: CivilDate
    public var dueOn: CivilDate
    public var decided: Bool

    public init(
      grantID: String, loginName: String, assetCode: String, grantExpiresOn: CivilDate? = nil, campaign: String,
      startsOn: CivilDate, dueOn: CivilDate, decided: Bool
    ) {
      self.grantID = grantID
      self.loginName = loginName
      self.assetCode = assetCode
      self.grantExpiresOn = grantExpiresOn
      self.campaign = campaign
      self.startsOn = startsOn
      self.dueOn = dueOn
      self.decided = decided
    }
  }
}

extension Findings {
  /// `grant-not-reviewed`: a grant in force (not revoked, not expired) whose latest campaign is past its
  /// due day without a decision. Only the latest campaign counts: a grant confirmed in this quarter's
  /// campaign is reviewed even if last quarter's left it undecided. Due today is not yet overdue.
  /// Closing a campaign does not review its undecided grants.
  public static func grantsNotReviewed(_ items: [RegisterSnapshot.ReviewItem], assetCodes: Set<String>, today: CivilDate) -> [Finding] {
    var latest: [String: RegisterSnapshot.ReviewItem] = [:]
    for item in items {
      if let current = latest[item.grantID], (current.startsOn, current.dueOn) >= (item.startsOn, item.dueOn) { continue }
      latest[item.grantID] = item
    }
    var findings: [Finding] = []
    var seen: Set<[String]> = []
    for item in latest.values.sorted(by: { ($0.loginName, $0.assetCode, $0.grantID) < ($1.loginName, $1.assetCode, $1.grantID) }) {
      guard assetCodes.contains(item.assetCode), !item.decided, item.dueOn < today else { continue }
      if let expiry = item.grantExpiresOn, expiry < today { continue }
      guard seen.insert([item.loginName, item.assetCode]).inserted else { continue }
      findings.append(
        Finding(
          kind: .grantNotReviewed, severity: .high, personID: item.loginName, assetID: item.assetCode, date: item.dueOn,
          campaign: item.campaign))
    }
    return findings
  }
}
