import Fluent
import Foundation
import MamoriCore
import Vapor

/// What every page shows around its content: title, navigation, the signed-in user, the demo banner,
/// flash messages and the language switch. Built from the request, never from a template.
struct Chrome: Encodable, Sendable {
  struct NavLink: Encodable, Sendable {
    var label: String
    var href: String
    var current: Bool
  }

  struct UserBadge: Encodable, Sendable {
    var name: String
    var role: String
    var tenant: String?
  }

  struct Flash: Encodable, Sendable {
    var kind: String
    var text: String
  }

  struct LanguageOption: Encodable, Sendable {
    var code: String
    var label: String
    var current: Bool
  }

  /// Paths the layout links to, from the route table.
  struct Routes: Encodable, Sendable {
    var home = SiteRoute.dashboard.path
    var login = SiteRoute.login.path
    var logout = SiteRoute.logout.path
    var language = SiteRoute.language.path
  }

  var title: String
  var csrf: String
  var routes = Routes()
  var isDemo: Bool
  var user: UserBadge?
  var nav: [NavLink]
  var flash: Flash?
  var path: String
  var languages: [LanguageOption]
  var assetVersion: String
}

/// The context of every page template: the language at the top (for `#t`), the chrome and the page's
/// own view model.
struct Page<Body: Encodable & Sendable>: Encodable, Sendable {
  var lang: String
  var chrome: Chrome
  var body: Body
}

enum Navigation {
  /// The sections a user sees, in order. Links appear only for what the user's role may open.
  static func links(for user: CurrentUser?, currentPath: String, t: (String) -> String) -> [Chrome.NavLink] {
    guard let user else { return [] }
    // Each section appears when the policy lets this user perform the action its page performs.
    let sections: [(String, SiteRoute, Action)] = [
      ("nav.dashboard", .dashboard, .useOwnAccount),
      ("nav.assessments", .assessments, .manageRegister),
      ("nav.people", .people, .manageRegister),
      ("nav.assets", .assets, .manageRegister),
      ("nav.findings", .findings, .manageRegister),
      ("nav.training", .training, .manageRegister),
      ("nav.reviews", .reviews, .manageRegister),
      ("nav.my_reviews", .myReviews, .reviewOwnAssets),
      ("nav.leavers", .leavers, .manageRegister),
      ("nav.departments", .departments, .manageRegister),
      ("nav.organisation", .organisation, .readOrganisation),
      ("nav.audit_trail", .auditTrail, .readAuditTrail),
      ("nav.audits", .audits, .audit),
      ("nav.admin_organisations", .adminOrganisations, .operatePlatform),
      ("nav.admin_bodies", .adminBodies, .operatePlatform),
      ("nav.account", .account, .useOwnAccount),
    ]
    var items = sections.filter { Policy.can(user.principal, $0.2) }.map { ($0.0, $0.1) }
    // Someone who works in an organisation and also runs the platform (the first administrator) keeps
    // the organisation's menu; the platform's pages are one link at its end, not items among the
    // officer's work.
    let worksInTenant = user.organisationID != nil || user.bodyID != nil
    if worksInTenant, Policy.can(user.principal, .operatePlatform) {
      items.removeAll { $0.1 == .adminOrganisations || $0.1 == .adminBodies }
      items.append(("nav.platform", .adminOrganisations))
    }
    return items.map { key, route in
      let href = route.path
      let current =
        key == "nav.platform"
        ? currentPath.hasPrefix("/admin/")
        : href == "/" ? currentPath == "/" : (currentPath == href || currentPath.hasPrefix(href + "/"))
      return Chrome.NavLink(label: t(key), href: href, current: current)
    }
  }
}

enum Flash {
  static let cookieName = "mamori_flash"
}

/// The one-line messages shown after a redirect, one case per locale-catalog key; a test checks that
/// both languages have every one. Only these can be set, so a cookie cannot make a page show any text.
enum FlashMessage: String, CaseIterable, Sendable {
  case evidenceAdded = "flash.evidence_added"
  case evidenceDeleted = "flash.evidence_deleted"
  case errorEvidenceEmpty = "flash.error_evidence_empty"
  case errorEvidenceTooLarge = "flash.error_evidence_too_large"
  case errorEvidenceType = "flash.error_evidence_type"
  case errorEvidenceContent = "flash.error_evidence_content"
  case catalogUploaded = "flash.catalog_uploaded"
  case assessmentStarted = "flash.assessment_started"
  case assessmentCarriedOver = "flash.assessment_carried_over"
  case assessmentRenamed = "flash.assessment_renamed"
  case assessmentDeleted = "flash.assessment_deleted"
  case assessmentCompleted = "flash.assessment_completed"
  case assessmentImported = "flash.assessment_imported"
  case errorAssessmentLocked = "flash.error_assessment_locked"
  case saved = "flash.saved"
  case deleted = "flash.deleted"
  case signedOut = "flash.signed_out"
  case setupDone = "flash.setup_done"
  case passwordSet = "flash.password_set"
  case passwordChanged = "flash.password_changed"
  case tokenRevoked = "flash.token_revoked"
  case auditGranted = "flash.audit_granted"
  case auditRevoked = "flash.audit_revoked"
  case errorDepartmentInUse = "flash.error_department_in_use"
  case grantAdded = "flash.grant_added"
  case grantRevoked = "flash.grant_revoked"
  case reviewOpened = "flash.review_opened"
  case reviewClosed = "flash.review_closed"
  case reviewConfirmed = "flash.review_confirmed"
  case reviewRevoked = "flash.review_revoked"
  case errorReviewClosed = "flash.error_review_closed"
  case errorReviewDecided = "flash.error_review_decided"
  case errorReviewInvalid = "flash.error_review_invalid"
  case pledgeRecorded = "flash.pledge_recorded"
  case grantsRevokedAll = "flash.grants_revoked_all"
  case pledgeRequested = "flash.pledge_requested"
  case pledgeRequestWithdrawn = "flash.pledge_request_withdrawn"
  case pledgeAcknowledged = "flash.pledge_acknowledged"
  case errorPledgeRequestAcknowledged = "flash.error_pledge_request_acknowledged"
  case errorPledgeRequestInvalid = "flash.error_pledge_request_invalid"
  // training: own courses and attendance (issue 9, continued)
  case courseRetired = "flash.course_retired"
  case courseReinstated = "flash.course_reinstated"
  case attendanceRecorded = "flash.attendance_recorded"
  case attendanceUnchanged = "flash.attendance_unchanged"
  case completionRemoved = "flash.completion_removed"
  case declared = "flash.training_declared"

  /// Errors say so by their key, and the chrome shows them as errors.
  var isError: Bool { rawValue.hasPrefix("flash.error_") }

  init(evidenceProblem problem: EvidenceFile.Problem) {
    switch problem {
    case .empty: self = .errorEvidenceEmpty
    case .tooLarge: self = .errorEvidenceTooLarge
    case .type: self = .errorEvidenceType
    case .content: self = .errorEvidenceContent
    }
  }
}

extension Request {
  /// Renders a page template with the chrome around it.
  func renderPage<Body: Encodable & Sendable>(
    _ template: String, title: String, body: Body, status: HTTPResponseStatus = .ok
  ) async throws -> Response {
    let chrome = try await makeChrome(title: title)
    let page = Page(lang: language.rawValue, chrome: chrome, body: body)
    let view = try await view.render(template, page).get()
    let response = try await view.encodeResponse(for: self)
    response.status = status
    if chrome.flash != nil {
      response.cookies[Flash.cookieName] = HTTPCookies.Value(
        string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/", isHTTPOnly: true, sameSite: .lax)
    }
    return response
  }

  func makeChrome(title: String) async throws -> Chrome {
    let user = currentUser
    var badge: Chrome.UserBadge?
    if let user {
      var tenant: String?
      if user.organisationID != nil {
        tenant = try await self.tenant().organisation.name
      } else if let bodyID = user.bodyID {
        tenant = try await CertificationBody.find(bodyID, on: db)?.name
      }
      let roleLabel = user.role.map { t($0.labelKey) } ?? t("role.operator")
      badge = Chrome.UserBadge(name: user.displayName, role: roleLabel, tenant: tenant)
    }
    var flash: Chrome.Flash?
    if let key = cookies[Flash.cookieName]?.string, let message = FlashMessage(rawValue: key) {
      flash = Chrome.Flash(kind: message.isError ? "error" : "success", text: t(message.rawValue))
    }
    let current = language
    return Chrome(
      title: title, csrf: csrfToken, isDemo: mamori.settings.isDemo, user: badge,
      nav: Navigation.links(for: user, currentPath: url.path, t: { t($0) }), flash: flash, path: url.path,
      languages: Language.allCases.map {
        Chrome.LanguageOption(code: $0.rawValue, label: mamori.catalog.text("language.\($0.rawValue)", $0), current: $0 == current)
      },
      assetVersion: MamoriVersion.current)
  }

  /// Redirects after a successful form (post/redirect/get), with a message for the next page.
  func redirect(to route: some TypedRoute, flash message: FlashMessage? = nil) -> Response {
    redirect(to: route.path, flash: message)
  }

  func redirect(to path: String, flash message: FlashMessage?) -> Response {
    let response = redirect(to: path, redirectType: .normal)
    if let message {
      response.cookies[Flash.cookieName] = HTTPCookies.Value(
        string: message.rawValue, maxAge: 60, path: "/", isSecure: isSecureConnection, isHTTPOnly: true, sameSite: .lax)
    }
    return response
  }

  /// Formats a day in this request's language: 2026年3月2日 / 2 March 2026.
  func display(_ date: CivilDate?) -> String? {
    translator.display(date)
  }

  func display(_ instant: Date?, timeZone: TimeZone = Organisations.defaultTimeZone) -> String? {
    instant.map { DateDisplay.dateTime($0, language, timeZone: timeZone) }
  }
}

public enum MamoriVersion {
  public static let current = "0.1.0"
}
