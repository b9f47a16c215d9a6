/// Who may act on another person's account, beyond the route's role rule.
///
/// The platform operator administers every tenant, so an operator account is worth more than the
/// organisation it belongs to: an organisation administrator who could reset its password, disable it
/// or change it would take over the platform. Only operators (or the command line, which runs with the
/// operator's access to the server) may do that.
public enum AccountPolicy {
  /// Whether `actor` may change the role or status of `target`, or issue a password link for it.
  public static func mayManage(actor: Principal, target: Principal) -> Bool {
    if target.isOperator && !actor.isOperator { return false }
    return true
  }

  /// Whether `actor` may give someone `role` and, with `isOperator`, the operator flag: never a
  /// privilege the actor lacks.
  public static func mayGrant(actor: Principal, role: Role?, isOperator: Bool) -> Bool {
    if isOperator && !actor.isOperator { return false }
    guard let role else { return true }
    if actor.isOperator { return true }
    switch actor.role {
    case .admin?: return role.tenant == .organisation
    default: return false
    }
  }
}
