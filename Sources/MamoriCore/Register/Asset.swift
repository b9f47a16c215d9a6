import Foundation

/// The three levels of information to protect, the detection contract's `level` values.
public enum AssetLevel: String, CaseIterable, Sendable, Codable, Comparable {
  /// 極秘
  case secret
  /// 秘
  case confidential
  /// 社外秘
  case `internal`

  public var labelKey: String { "asset_level.\(rawValue)" }

  /// Highest first: secret sorts before confidential.
  public var rank: Int {
    switch self {
    case .secret: return 0
    case .confidential: return 1
    case .internal: return 2
    }
  }

  public static func < (lhs: AssetLevel, rhs: AssetLevel) -> Bool { lhs.rank < rhs.rank }
}

/// The form in which the information exists; it decides how it can be marked, stored and taken out.
public enum AssetForm: String, CaseIterable, Sendable, Codable {
  case electronic
  case paper
  case prototype
  case equipment
  case knowhow

  public var labelKey: String { "asset_form.\(rawValue)" }
}

/// An asset as typed into the form or read from an import: raw text in, issues out. Uniqueness of the
/// asset id and the owner's existence are checked by the caller, which knows the register.
public struct AssetDraft: Sendable, Equatable {
  public static let maximumCode = 40
  public static let maximumName = 200
  public static let maximumDescription = 2000
  public static let maximumLocation = 500
  public static let maximumGroup = 100
  public static let maximumRetention = 200
  public static let maximumDisposal = 500
  public static let maximumCoreAnswer = 2000

  public var code: String
  public var name: String
  public var description: String
  public var form: String
  public var location: String
  public var level: String
  public var group: String
  public var retention: String
  public var disposal: String
  public var isCore: Bool
  /// The seed's three questions for core technology (コア技術の特定 ①②③).
  public var coreSource: String
  public var coreSuperiority: String
  public var coreExistence: String
  /// One of the 19 designated technologies (``DesignatedTechnology``), or empty.
  public var designatedTechnology: String

  public init(
    code: String = "", name: String = "", description: String = "", form: String = AssetForm.electronic.rawValue,
    location: String = "", level: String = AssetLevel.internal.rawValue, group: String = "", retention: String = "",
    disposal: String = "", isCore: Bool = false, coreSource: String = "", coreSuperiority: String = "",
    coreExistence: String = "", designatedTechnology: String = ""
  ) {
    self.code = code
    self.name = name
    self.description = description
    self.form = form
    self.location = location
    self.level = level
    self.group = group
    self.retention = retention
    self.disposal = disposal
    self.isCore = isCore
    self.coreSource = coreSource
    self.coreSuperiority = coreSuperiority
    self.coreExistence = coreExistence
    self.designatedTechnology = designatedTechnology
  }

  public var normalised: AssetDraft {
    func trim(_ text: String) -> String { text.trimmingWhitespace() }
    var draft = self
    draft.code = trim(code)
    draft.name = trim(name)
    draft.description = trim(description)
    draft.form = trim(form)
    // A location is matched byte for byte by detection; only line breaks and outer spaces go.
    draft.location = trim(location)
    draft.level = trim(level)
    draft.group = trim(group)
    draft.retention = trim(retention)
    draft.disposal = trim(disposal)
    draft.coreSource = trim(coreSource)
    draft.coreSuperiority = trim(coreSuperiority)
    draft.coreExistence = trim(coreExistence)
    draft.designatedTechnology = trim(designatedTechnology)
    if !draft.isCore {
      draft.coreSource = ""
      draft.coreSuperiority = ""
      draft.coreExistence = ""
      draft.designatedTechnology = ""
    }
    return draft
  }

  public func validate() -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    func add(_ issue: ValidationIssue?) {
      if let issue, !issues.contains(where: { $0.field == issue.field }) { issues.append(issue) }
    }
    func optional(_ text: String, _ field: String, _ maximum: Int) {
      if text.count > maximum {
        add(ValidationIssue(field: field, key: "validation.too_long", arguments: ["max": "\(maximum)"]))
      }
    }
    add(TextField.check(code, field: "code", maximum: Self.maximumCode))
    if code.contains(where: { $0.isWhitespace || $0 == "," }) {
      add(ValidationIssue(field: "code", key: "validation.asset_code"))
    }
    add(TextField.check(name, field: "name", maximum: Self.maximumName))
    add(TextField.check(location, field: "location", maximum: Self.maximumLocation))
    optional(description, "description", Self.maximumDescription)
    optional(group, "group", Self.maximumGroup)
    optional(retention, "retention", Self.maximumRetention)
    optional(disposal, "disposal", Self.maximumDisposal)
    if AssetForm(rawValue: form) == nil { add(ValidationIssue(field: "form", key: "validation.choice")) }
    if AssetLevel(rawValue: level) == nil { add(ValidationIssue(field: "level", key: "validation.choice")) }
    if isCore {
      // The point of marking an asset core is having answered why; an unanswered question is the gap.
      add(TextField.check(coreSource, field: "core_source", maximum: Self.maximumCoreAnswer))
      add(TextField.check(coreSuperiority, field: "core_superiority", maximum: Self.maximumCoreAnswer))
      add(TextField.check(coreExistence, field: "core_existence", maximum: Self.maximumCoreAnswer))
      if !designatedTechnology.isEmpty, DesignatedTechnology(rawValue: designatedTechnology) == nil {
        add(ValidationIssue(field: "designated_technology", key: "validation.choice"))
      }
    }
    return issues
  }

  public var assetForm: AssetForm? { AssetForm(rawValue: form) }
  public var assetLevel: AssetLevel? { AssetLevel(rawValue: level) }
}

/// A grant of access to an asset as typed or imported.
public struct GrantDraft: Sendable, Equatable {
  public static let maximumReason = 500

  public var reason: String
  public var grantedOn: String
  public var expiresOn: String

  public init(reason: String = "", grantedOn: String = "", expiresOn: String = "") {
    self.reason = reason
    self.grantedOn = grantedOn
    self.expiresOn = expiresOn
  }

  public var normalised: GrantDraft {
    GrantDraft(
      reason: reason.trimmingWhitespace(),
      grantedOn: grantedOn.trimmingSpaces(),
      expiresOn: expiresOn.trimmingSpaces())
  }

  public func validate() -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if reason.count > Self.maximumReason {
      issues.append(ValidationIssue(field: "reason", key: "validation.too_long", arguments: ["max": "\(Self.maximumReason)"]))
    }
    let granted = CivilDate(iso: grantedOn)
    if granted == nil { issues.append(ValidationIssue(field: "granted_on", key: "validation.date")) }
    if !expiresOn.isEmpty {
      if let expires = CivilDate(iso: expiresOn) {
        if let granted, expires < granted {
          issues.append(ValidationIssue(field: "expires_on", key: "validation.expiry_before_grant"))
        }
      } else {
        issues.append(ValidationIssue(field: "expires_on", key: "validation.date"))
      }
    }
    return issues
  }

  public var grantedDay: CivilDate? { CivilDate(iso: grantedOn) }
  public var expiresDay: CivilDate? { CivilDate(iso: expiresOn) }
}
