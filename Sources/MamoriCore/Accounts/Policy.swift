/// What a user may do, as one pure function: `Policy.can(principal, action)`.
///
/// Route guards ask it (every route names the action it performs), the navigation is built from it,
/// and operations ask the per-record form (`can(_:manage:)`) for rules that depend on the record.
/// Widening any of these is a change here, and the route × role table test shows it.
public enum Action: String, CaseIterable, Sendable, Codable {
  /// Sign in, sign out, follow a one-time link, choose a language.
  case visit
  /// One's own account, home page and API tokens.
  case useOwnAccount
  /// Read and change the register (people, departments) and run self-checks.
  case manageRegister
  /// Read the organisation's profile and its list of accounts.
  case readOrganisation
  /// Change the organisation's profile and accounts, and grant audit access.
  case administerOrganisation
  /// Read and export the organisation's audit trail.
  case readAuditTrail
  /// Read an organisation during an audit it granted (certification bodies' auditors).
  case audit
  /// Register organisations and certification bodies, invite their first accounts.
  case operatePlatform
  /// Review the grants to the assets one owns in access review campaigns (every organisation role).
  case reviewOwnAssets
  /// Probes for load balancers and Prometheus (the metrics have a token of their own).
  case probe
  /// Read one's organisation's courses and take their quizzes (every account of an organisation).
  case takeTraining
  /// Read and acknowledge the pledges requested of one's own person (every account of an organisation;
  /// per record, only the person addressed: ``Policy/can(_:personID:acknowledgePledgeOf:)``).
  case acknowledgeOwnPledges
}

public enum Policy {
  public static func can(_ principal: Principal?, _ action: Action) -> Bool {
    switch action {
    case .visit, .probe:
      return true
    case .useOwnAccount:
      return principal != nil
    case .manageRegister, .readOrganisation, .readAuditTrail:
      return principal?.role == .admin || principal?.role == .officer
    case .reviewOwnAssets:
      return principal?.role.map { Role.organisationRoles.contains($0) } ?? false
    case .administerOrganisation:
      return principal?.role == .admin
    case .audit:
      return principal?.role == .auditor
    case .operatePlatform:
      return principal?.isOperator == true
    case .takeTraining, .acknowledgeOwnPledges:
      return principal?.role?.tenant == .organisation
    }
  }

  /// Whether `actor` may change the role or status of `target`'s account or issue its password link
  /// (``AccountPolicy``).
  public static func can(_ actor: Principal, manage target: Principal) -> Bool {
    AccountPolicy.mayManage(actor: actor, target: target)
  }
}
