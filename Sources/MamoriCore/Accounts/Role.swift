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

/// Who may use a route. Every route declares one; a test walks the route table and fails on any route
/// without it.
public enum AccessRule: Sendable, Equatable, CustomStringConvertible {
  /// Anyone, signed in or not (login page, health check, static files, setup and invitation links).
  case everyone
  /// Any signed-in user (dashboard, own account).
  case signedIn
  /// Signed-in users holding one of these tenant roles.
  case roles(Set<Role>)
  /// The platform operator.
  case platformOperator

  public func allows(_ principal: Principal?) -> Bool {
    switch self {
    case .everyone:
      return true
    case .signedIn:
      return principal != nil
    case .roles(let roles):
      guard let role = principal?.role else { return false }
      return roles.contains(role)
    case .platformOperator:
      return principal?.isOperator == true
    }
  }

  public var requiresSignIn: Bool { self != .everyone }

  public var description: String {
    switch self {
    case .everyone: return "everyone"
    case .signedIn: return "signed-in"
    case .roles(let roles): return roles.map(\.rawValue).sorted().joined(separator: ",")
    case .platformOperator: return "operator"
    }
  }

  // Shorthands used by the route table.
  public static let admins = AccessRule.roles([.admin])
  public static let managers = AccessRule.roles([.admin, .officer])
  public static let organisationUsers = AccessRule.roles([.admin, .officer, .member])
  public static let auditors = AccessRule.roles([.auditor])
}
