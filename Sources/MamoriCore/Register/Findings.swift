/// The register's problems, computed from its data whenever they are asked for and never stored, so
/// that they are always current: fixing the data is what closes a finding.
public enum FindingKind: String, CaseIterable, Sendable, Codable {
  case leaverHoldsGrant = "leaver-holds-grant"
  case externalWorkerSecretGrant = "external-worker-secret-grant"
  case grantExpired = "grant-expired"
  case grantNotReviewed = "grant-not-reviewed"
  case assetWithoutOwner = "asset-without-owner"
  case keyPerson = "key-person"
  case trainingOverdue = "training-overdue"
  case pledgeMissing = "pledge-missing"

  /// The kind's name in locale keys (which use underscores).
  public var key: String { String(rawValue.map { $0 == "-" ? "_" : $0 }) }
  public var labelKey: String { "finding.kind.\(key)" }
  public var actionKey: String { "finding.action.\(key)" }
}

public enum FindingSeverity: String, CaseIterable, Sendable, Codable, Comparable {
  case critical
  case high
  case medium
  case low

  public var labelKey: String { "finding.severity.\(rawValue)" }
  var rank: Int { Self.allCases.firstIndex(of: self)! }
  public static func < (lhs: FindingSeverity, rhs: FindingSeverity) -> Bool { lhs.rank < rhs.rank }
}

/// One problem with the records involved. `personID` is the person's login name and `assetID` the
/// asset's id, as in the detection contract and in `mamori findings`' JSON.
public struct Finding: Sendable, Equatable {
  public var kind: FindingKind
  public var severity: FindingSeverity
  public var personID: String?
  public var assetID: String?
  /// The group of a `key-person` finding.
  public var group: String?
  /// The day that makes it a finding: the last working day of a leaver, the expiry of a grant.
  public var date: CivilDate?
  /// For `key-person`: the assets of the group the person holds grants to, and the group's size.
  public var held: Int?
  public var total: Int?
  /// For `training-overdue`: the course's title.
  public var course: String?
  /// For `grant-not-reviewed`: the name of the overdue access review campaign.
  public var campaign: String?
  /// For `pledge-missing`: the kind of pledge missing (or outdated), and whether one exists but is outdated.
  public var pledge: PledgeKind?
  public var outdated = false

  public init(
    kind: FindingKind, severity: FindingSeverity, personID: String? = nil, assetID: String? = nil, group: String? = nil,
    date: CivilDate? = nil, held: Int? = nil, total: Int? = nil, course: String? = nil, campaign: String? = nil,
    pledge: PledgeKind? = nil, outdated: Bool = false
  ) {
    self.pledge = pledge
    self.outdated = outdated
    self.kind = kind
    self.severity = severity
    self.personID = personID
    self.assetID = assetID
    self.group = group
    self.date = date
    self.held = held
    self.total = total
    self.course = course
    self.campaign = campaign
  }

  /// A short English description for the command line's `detail`; pages say it in the user's
  /// language from the fields above.
  public var detail: String {
    switch kind {
    case .leaverHoldsGrant:
      return "grant still held after the last working day \(date?.iso ?? "")"
    case .externalWorkerSecretGrant:
      return "dispatched or contracted worker holds a grant to a secret asset"
    case .grantExpired:
      return "grant expired on \(date?.iso ?? "") and was not revoked"
    case .grantNotReviewed:
      return "access review \(campaign ?? "") was due \(date?.iso ?? "") and this grant has no decision"
    case .assetWithoutOwner:
      return personID == nil ? "asset has no owner" : "owner left after \(date?.iso ?? "")"
    case .keyPerson:
      return "group \(group ?? ""): grants to \(held ?? 0) of \(total ?? 0) assets"
    case .trainingOverdue:
      return "course \(course ?? "") was due on \(date?.iso ?? "")"
    case .pledgeMissing:
      switch (pledge, outdated) {
      case (.leaving?, _): return "no leaving pledge after the last working day \(date?.iso ?? "")"
      case (.external?, false): return "no pledge for dispatched or contracted staff"
      case (let kind?, true): return "\(kind.rawValue) pledge signed \(date?.iso ?? "") belongs to an earlier engagement"
      default: return "no joining pledge"
      }
    }
  }
}

/// The register as findings need it: plain values, no database.
public enum RegisterSnapshot {
  public struct Person: Sendable, Equatable {
    public var loginName: String
    public var employment: EmploymentType
    /// The last working day (最終出社日), the detection contract's `exit_date`.
    public var lastWorkingDay: CivilDate?
    public var isKeyPerson: Bool
    /// The day the current engagement began (入社日); a pledge signed long before it is outdated.
    public var hireDate: CivilDate?

    public init(
      loginName: String, employment: EmploymentType, lastWorkingDay: CivilDate? = nil, isKeyPerson: Bool = false,
      hireDate: CivilDate? = nil
    ) {
      self.loginName = loginName
      self.employment = employment
      self.lastWorkingDay = lastWorkingDay
      self.isKeyPerson = isKeyPerson
      self.hireDate = hireDate
    }
  }

  /// A signed pledge (誓約書).
  public struct Pledge: Sendable, Equatable {
    public var loginName: String
    public var kind: PledgeKind
    public var signedOn: CivilDate

    public init(loginName: String, kind: PledgeKind, signedOn: CivilDate) {
      self.loginName = loginName
      self.kind = kind
      self.signedOn = signedOn
    }
  }

  public struct Asset: Sendable, Equatable {
    public var code: String
    public var level: AssetLevel
    public var group: String
    /// The owner's login name, nil when the asset has none.
    public var owner: String?

    public init(code: String, level: AssetLevel, group: String = "", owner: String? = nil) {
      self.code = code
      self.level = level
      self.group = group
      self.owner = owner
    }
  }

  /// A course a person has not completed by its due day (``TrainingSchedule``, state overdue).
  public struct TrainingOverdue: Sendable, Equatable {
    public var loginName: String
    public var course: String
    public var dueOn: CivilDate

    public init(loginName: String, course: String, dueOn: CivilDate) {
      self.loginName = loginName
      self.course = course
      self.dueOn = dueOn
    }
  }

  /// A grant not revoked (revoked grants are history, not access).
  public struct Grant: Sendable, Equatable {
    public var loginName: String
    public var assetCode: String
    public var expiresOn: CivilDate?

    public init(loginName: String, assetCode: String, expiresOn: CivilDate? = nil) {
      self.loginName = loginName
      self.assetCode = assetCode
      self.expiresOn = expiresOn
    }
  }
}

public enum Findings {
  /// The default share of a group's assets at which one person is a key person (Case 3 of the seed).
  public static let defaultKeyPersonPercent = 80
  /// The values an organisation may choose: below half, "key person" would mean little.
  public static let keyPersonPercentRange = 50...100
  /// Groups smaller than this have no key person: with two assets, everyone who holds both would be one.
  public static let minimumGroupSize = 3
  /// A joining (or dispatched/contracted) pledge signed more than this many days before the person's
  /// hire date belongs to an earlier engagement (a rehire, a contractor taken on again): outdated.
  public static let earlierEngagementDays = 365
  /// How long after the last working day a missing leaving pledge is still reported; older leavers are
  /// history the officer can no longer act on.
  public static let leavingPledgeDays = 365

  /// Every finding of the register on `today`, most severe first, then by kind, person and asset.
  ///
  /// - A grant is valid through its expiry day: expiring today is not yet `grant-expired`.
  /// - A leaver holds a grant wrongly from the day after the last working day.
  /// - `key-person` compares in integers: `held × 100 ≥ percent × total`, so exactly 80 % counts.
  public static func compute(
    people: [RegisterSnapshot.Person], assets: [RegisterSnapshot.Asset], grants: [RegisterSnapshot.Grant], today: CivilDate,
    keyPersonPercent: Int = defaultKeyPersonPercent, trainingOverdue: [RegisterSnapshot.TrainingOverdue] = [],
    reviews: [RegisterSnapshot.ReviewItem] = [], pledges: [RegisterSnapshot.Pledge]? = nil
  ) -> [Finding] {
    var personByLogin: [String: RegisterSnapshot.Person] = [:]
    for person in people { personByLogin[person.loginName] = person }
    var assetByCode: [String: RegisterSnapshot.Asset] = [:]
    for asset in assets { assetByCode[asset.code] = asset }

    var findings: [Finding] = []
    // Duplicate grant rows of one person and asset make one finding.
    var seen: Set<[String]> = []
    for grant in grants {
      guard let asset = assetByCode[grant.assetCode] else { continue }
      let person = personByLogin[grant.loginName]
      func add(_ finding: Finding) {
        if seen.insert([finding.kind.rawValue, grant.loginName, grant.assetCode]).inserted { findings.append(finding) }
      }
      if let exit = person?.lastWorkingDay, exit < today {
        add(
          Finding(
            kind: .leaverHoldsGrant, severity: asset.level == .internal ? .high : .critical, personID: grant.loginName,
            assetID: asset.code, date: exit))
      }
      let expired = grant.expiresOn.map { $0 < today } ?? false
      if expired, let expiry = grant.expiresOn {
        add(
          Finding(
            kind: .grantExpired, severity: asset.level == .secret ? .high : .medium, personID: grant.loginName,
            assetID: asset.code, date: expiry))
      }
      if !expired, asset.level == .secret, let person, person.employment == .dispatched || person.employment == .contractor {
        add(Finding(kind: .externalWorkerSecretGrant, severity: .high, personID: grant.loginName, assetID: asset.code))
      }
    }

    for asset in assets {
      if let owner = asset.owner {
        if let exit = personByLogin[owner]?.lastWorkingDay, exit < today {
          findings.append(
            Finding(
              kind: .assetWithoutOwner, severity: asset.level == .internal ? .medium : .high, personID: owner,
              assetID: asset.code, date: exit))
        }
      } else {
        findings.append(
          Finding(kind: .assetWithoutOwner, severity: asset.level == .internal ? .medium : .high, assetID: asset.code))
      }
    }

    // key-person: distinct assets of a group held by one person, counting valid grants only.
    var groupSize: [String: Int] = [:]
    for asset in assets where !asset.group.isEmpty { groupSize[asset.group, default: 0] += 1 }
    var held: [String: [String: Set<String>]] = [:]  // group → login → asset codes
    for grant in grants {
      guard let asset = assetByCode[grant.assetCode], !asset.group.isEmpty else { continue }
      if let expiry = grant.expiresOn, expiry < today { continue }
      if let exit = personByLogin[grant.loginName]?.lastWorkingDay, exit < today { continue }
      held[asset.group, default: [:]][grant.loginName, default: []].insert(asset.code)
    }
    for (group, holders) in held {
      let total = groupSize[group] ?? 0
      guard total >= minimumGroupSize else { continue }
      for (login, codes) in holders where codes.count * 100 >= keyPersonPercent * total {
        // A key person the officer has already recognised is known and handled; one nobody marked is the
        // Case 3 surprise.
        let known = personByLogin[login]?.isKeyPerson ?? false
        findings.append(
          Finding(
            kind: .keyPerson, severity: known ? .low : .medium, personID: login, group: group, held: codes.count,
            total: total))
      }
    }

    // training-overdue: high for people holding a valid grant to a secret asset, who can leak the most.
    if !trainingOverdue.isEmpty {
      var secretHolders: Set<String> = []
      for grant in grants where assetByCode[grant.assetCode]?.level == .secret {
        if let expiry = grant.expiresOn, expiry < today { continue }
        secretHolders.insert(grant.loginName)
      }
      for overdue in trainingOverdue {
        findings.append(
          Finding(
            kind: .trainingOverdue, severity: secretHolders.contains(overdue.loginName) ? .high : .medium,
            personID: overdue.loginName, date: overdue.dueOn, course: overdue.course))
      }
    }
    findings += grantsNotReviewed(reviews, assetCodes: Set(assetByCode.keys), today: today)
    if let pledges {
      findings += pledgeFindings(people: people, assets: assetByCode, grants: grants, pledges: pledges, today: today)
    }

    let kindOrder = Dictionary(uniqueKeysWithValues: FindingKind.allCases.enumerated().map { ($1, $0) })
    return findings.sorted {
      ($0.severity.rank, kindOrder[$0.kind]!, $0.personID ?? "", $0.assetID ?? "", $0.group ?? $0.course ?? "")
        < ($1.severity.rank, kindOrder[$1.kind]!, $1.personID ?? "", $1.assetID ?? "", $1.group ?? $1.course ?? "")
    }
  }

  /// `pledge-missing`: someone in employment without the pledge their employment type requires (or
  /// with only an outdated one), and a leaver past the last working day without a leaving pledge.
  /// Medium; high for a dispatched worker or contractor who holds a valid grant to a secret or
  /// confidential asset.
  static func pledgeFindings(
    people: [RegisterSnapshot.Person], assets: [String: RegisterSnapshot.Asset], grants: [RegisterSnapshot.Grant],
    pledges: [RegisterSnapshot.Pledge], today: CivilDate
  ) -> [Finding] {
    var latest: [String: [PledgeKind: CivilDate]] = [:]
    for pledge in pledges {
      let current = latest[pledge.loginName]?[pledge.kind]
      if current.map({ $0 < pledge.signedOn }) ?? true { latest[pledge.loginName, default: [:]][pledge.kind] = pledge.signedOn }
    }
    var sensitive: Set<String> = []
    for grant in grants {
      guard let level = assets[grant.assetCode]?.level, level != .internal else { continue }
      if let expiry = grant.expiresOn, expiry < today { continue }
      sensitive.insert(grant.loginName)
    }
    var findings: [Finding] = []
    for person in people {
      let signed = latest[person.loginName] ?? [:]
      if let exit = person.lastWorkingDay, exit < today {
        if signed[.leaving] == nil, exit.days(until: today) <= leavingPledgeDays {
          findings.append(Finding(kind: .pledgeMissing, severity: .medium, personID: person.loginName, date: exit, pledge: .leaving))
        }
        continue
      }
      // Someone who has not started yet signs on their first day.
      if let hire = person.hireDate, today < hire { continue }
      let required = PledgeKind.required(for: person.employment)
      let external = required == .external
      let severity: FindingSeverity = external && sensitive.contains(person.loginName) ? .high : .medium
      guard let day = signed[required] else {
        findings.append(Finding(kind: .pledgeMissing, severity: severity, personID: person.loginName, pledge: required))
        continue
      }
      if let hire = person.hireDate, day.days(until: hire) > earlierEngagementDays {
        findings.append(
          Finding(kind: .pledgeMissing, severity: severity, personID: person.loginName, date: day, pledge: required, outdated: true))
      }
    }
    return findings
  }

  /// Counts per kind, every kind present (0 where none), in the kinds' order.
  public static func counts(_ findings: [Finding]) -> [(FindingKind, Int)] {
    var counts: [FindingKind: Int] = [:]
    for finding in findings { counts[finding.kind, default: 0] += 1 }
    return FindingKind.allCases.map { ($0, counts[$0] ?? 0) }
  }
}

/// `mamori findings` output: a JSON list in the issue's key order, or a table for people.
public enum FindingsWriter {
  /// `[{"kind":…,"severity":…,"person_id":…|null,"asset_id":…|null,"detail":…}, …]`, one object per line.
  public static func json(_ findings: [Finding]) -> String {
    if findings.isEmpty { return "[]\n" }
    let objects = findings.map { finding in
      "{\"kind\":\"\(finding.kind.rawValue)\",\"severity\":\"\(finding.severity.rawValue)\",\"person_id\":"
        + (finding.personID.map(AlertWriter.jsonString) ?? "null") + ",\"asset_id\":"
        + (finding.assetID.map(AlertWriter.jsonString) ?? "null") + ",\"detail\":" + AlertWriter.jsonString(finding.detail)
        + "}"
    }
    return "[\n" + objects.joined(separator: ",\n") + "\n]\n"
  }

  public static func table(_ findings: [Finding]) -> String {
    let header = ["KIND", "SEVERITY", "PERSON", "ASSET", "DETAIL"]
    let rows = findings.map { [$0.kind.rawValue, $0.severity.rawValue, $0.personID ?? "-", $0.assetID ?? "-", $0.detail] }
    var widths = header.map(\.count)
    for row in rows { for (index, cell) in row.enumerated() where index < 4 { widths[index] = max(widths[index], cell.count) } }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { index, cell in
        index < 4 ? cell + String(repeating: " ", count: widths[index] - cell.count) : cell
      }.joined(separator: "  ")
    }
    var text = line(header) + "\n"
    for row in rows { text += line(row) + "\n" }
    let counts = Findings.counts(findings).filter { $0.1 > 0 }.map { "\($0.0.rawValue): \($0.1)" }
    text += "\(findings.count) finding(s)" + (counts.isEmpty ? "" : " (" + counts.joined(separator: ", ") + ")") + "\n"
    return text
  }
}
