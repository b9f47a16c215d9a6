/// What a signed-in user may do inside their tenant.
///
/// Organisation users are `admin`, `officer` (情報管理責任者) or `member`; certification-body users are
/// `auditor`. Running the platform is not a tenant role: it is the separate `isOperator` flag of an
/// account (see ``Principal``), so that the person who installs Mamori for their company can be both the
/// organisation's administrator and the instance's operator.
public enum Role: String, CaseIterable, Sendable, Codable {
  case admin
  case officer
  case member
  case auditor

  public enum Tenant: String, Sendable, Codable {
    case organisation
    case body
  }

  public var tenant: Tenant {
    switch self {
    case .admin, .officer, .member: return .organisation
    case .auditor: return .body
    }
  }

  public static let organisationRoles: [Role] = [.admin, .officer, .member]

  /// The locale-catalog key of the role's name.
  public var labelKey: String { "role.\(rawValue)" }
}

/// The signed-in user as the access rules see them.
public struct Principal: Sendable, Equatable {
  public var role: Role?
  public var isOperator: Bool

  public init(role: Role?, isOperator: Bool) {
    self.role = role
    self.isOperator = isOperator
  }
}

/// Who may use a route: the ``Action`` it performs, decided by ``Policy``. Every route declares one; a
/// test walks the route table and fails on any route without it, and another compares every route ×
/// role with a table written out as data.
public enum AccessRule: Sendable, Equatable, CustomStringConvertible {
  case can(Action)

  public func allows(_ principal: Principal?) -> Bool {
    switch self {
    case .can(let action): return Policy.can(principal, action)
    }
  }

  public var action: Action {
    switch self {
    case .can(let action): return action
    }
  }

  public var requiresSignIn: Bool { !Policy.can(nil, action) }

  public var description: String { action.rawValue }

  // The route table's words for them.
  public static let everyone = AccessRule.can(.visit)
  public static let signedIn = AccessRule.can(.useOwnAccount)
  public static let admins = AccessRule.can(.administerOrganisation)
  public static let managers = AccessRule.can(.manageRegister)
  public static let auditors = AccessRule.can(.audit)
  public static let platformOperator = AccessRule.can(.operatePlatform)
}
