import Foundation

/// Every page of the web interface. A case with an id takes nil when the route is registered and the
/// record's id when a link is built.
enum SiteRoute: TypedRoute, Hashable {
  // visitors
  case login
  case logout
  case setup(String?)
  case setPassword(String?)
  case language
  // everyone signed in
  case dashboard
  case account
  case accountPassword
  case accountTokens
  case accountTokenRevoke(UUID?)
  // organisation
  case organisation
  case organisationUsers
  case organisationUser(UUID?)
  case organisationUserPasswordLink(UUID?)
  case auditAccess
  case auditAccessRevoke(UUID?)
  case auditTrail
  case auditTrailExport
  case departments
  case department(UUID?)
  case departmentDelete(UUID?)
  case people
  case personNew
  case person(UUID?)
  case personEdit(UUID?)
  case personDelete(UUID?)
  // the register of information to protect
  case assets
  case assetNew
  case asset(UUID?)
  case assetEdit(UUID?)
  case assetDelete(UUID?)
  case assetGrants(UUID?)
  case grantRevoke(UUID?)
  case handlingRules
  case registerExport
  case registerImport
  case findings
  // training (issue 9)
  case training
  case trainingAssignments
  case trainingAssignmentDelete(UUID?)
  case trainingCourse(UUID?)
  case trainingQuiz(UUID?)
  // training: own courses and attendance (issue 9, continued)
  case trainingCourses
  case trainingCourseNew
  case trainingCourseEdit(UUID?)
  case trainingCourseRetire(UUID?)
  case trainingCourseDone(UUID?)
  case trainingAttendance(UUID?)
  case trainingCompletionDelete(UUID?)
  // access reviews of the grants
  case reviews
  case review(UUID?)
  case reviewClose(UUID?)
  case reviewItemDecision(UUID?)
  case myReviews
  // pledges and leavers (issue 9)
  case pledges
  case personPledges(UUID?)
  case pledgeFile(UUID?)
  case pledgeDelete(UUID?)
  case leavers
  case leaver(UUID?)
  case leaverRevokeAll(UUID?)
  // pledges requested of people and acknowledged in Mamori (issue 9)
  case personPledgeRequests(UUID?)
  case pledgeRequests
  case pledgeRequest(UUID?)
  case pledgeRequestAcknowledge(UUID?)
  case pledgeRequestWithdraw(UUID?)
  // checklists and self-assessments
  case catalogs
  case assessments
  case assessmentActions
  case assessmentActionsExport
  case assessmentAction(UUID?)
  case assessmentActionEvidence(UUID?)
  case assessmentActionEvidenceFile(UUID?, UUID?)
  case assessmentActionEvidenceDelete(UUID?, UUID?)
  case assessment(UUID?)
  case assessmentSection(UUID?, String?)
  case assessmentAutosave(UUID?)
  case assessmentComplete(UUID?)
  case assessmentImport(UUID?)
  case assessmentEvidence(UUID?)
  case assessmentEvidenceFile(UUID?, UUID?)
  case assessmentEvidenceDelete(UUID?, UUID?)
  case assessmentRadar(UUID?)
  case assessmentExport(UUID?)
  case assessmentCompare(UUID?)
  case assessmentRename(UUID?)
  case assessmentDelete(UUID?)
  // certification bodies
  case audits
  case audit(UUID?)
  // platform operator
  case adminOrganisations
  case adminOrganisation(UUID?)
  case adminOrganisationInvite(UUID?)
  case adminBodies
  case adminBody(UUID?)
  case adminBodyInvite(UUID?)
  // operations
  case health
  case metrics

  var segments: [PathSegment] {
    switch self {
    case .login: return parts("login")
    case .logout: return parts("logout")
    case .setup(let value): return parts("setup") + [token("setupToken", value)]
    case .setPassword(let value): return parts("set-password") + [token("accountToken", value)]
    case .language: return parts("language")
    case .dashboard: return []
    case .account: return parts("account")
    case .accountPassword: return parts("account/password")
    case .accountTokens: return parts("account/tokens")
    case .accountTokenRevoke(let value): return parts("account/tokens") + [id("tokenID", value), .constant("revoke")]
    case .organisation: return parts("organisation")
    case .organisationUsers: return parts("organisation/users")
    case .organisationUser(let value): return parts("organisation/users") + [id("userID", value)]
    case .organisationUserPasswordLink(let value):
      return parts("organisation/users") + [id("userID", value), .constant("password-link")]
    case .auditAccess: return parts("organisation/audit-access")
    case .auditAccessRevoke(let value):
      return parts("organisation/audit-access") + [id("accessID", value), .constant("revoke")]
    case .auditTrail: return parts("organisation/audit-trail")
    case .auditTrailExport: return parts("organisation/audit-trail/export")
    case .departments: return parts("departments")
    case .department(let value): return parts("departments") + [id("departmentID", value)]
    case .departmentDelete(let value): return parts("departments") + [id("departmentID", value), .constant("delete")]
    case .people: return parts("people")
    case .personNew: return parts("people/new")
    case .person(let value): return parts("people") + [id("personID", value)]
    case .personEdit(let value): return parts("people") + [id("personID", value), .constant("edit")]
    case .personDelete(let value): return parts("people") + [id("personID", value), .constant("delete")]
    case .assets: return parts("assets")
    case .assetNew: return parts("assets/new")
    case .asset(let value): return parts("assets") + [id("assetID", value)]
    case .assetEdit(let value): return parts("assets") + [id("assetID", value), .constant("edit")]
    case .assetDelete(let value): return parts("assets") + [id("assetID", value), .constant("delete")]
    case .assetGrants(let value): return parts("assets") + [id("assetID", value), .constant("grants")]
    case .grantRevoke(let value): return parts("grants") + [id("grantID", value), .constant("revoke")]
    case .handlingRules: return parts("assets/handling-rules")
    case .registerExport: return parts("register/export")
    case .registerImport: return parts("register/import")
    case .findings: return parts("findings")
    case .training: return parts("training")
    case .trainingAssignments: return parts("training/assignments")
    case .trainingAssignmentDelete(let value):
      return parts("training/assignments") + [id("assignmentID", value), .constant("delete")]
    case .trainingCourse(let value): return parts("training/courses") + [id("courseID", value)]
    case .trainingQuiz(let value): return parts("training/courses") + [id("courseID", value), .constant("quiz")]
    case .trainingCourses: return parts("training/courses")
    case .trainingCourseNew: return parts("training/courses/new")
    case .trainingCourseEdit(let value): return parts("training/courses") + [id("courseID", value), .constant("edit")]
    case .trainingCourseRetire(let value): return parts("training/courses") + [id("courseID", value), .constant("retire")]
    case .trainingCourseDone(let value): return parts("training/courses") + [id("courseID", value), .constant("done")]
    case .trainingAttendance(let value): return parts("training/courses") + [id("courseID", value), .constant("attendance")]
    case .trainingCompletionDelete(let value):
      return parts("training/completions") + [id("completionID", value), .constant("delete")]
    case .reviews: return parts("reviews")
    case .review(let value): return parts("reviews") + [id("reviewID", value)]
    case .reviewClose(let value): return parts("reviews") + [id("reviewID", value), .constant("close")]
    case .reviewItemDecision(let value): return parts("review-items") + [id("reviewItemID", value), .constant("decision")]
    case .myReviews: return parts("my-reviews")
    case .pledges: return parts("pledges")
    case .personPledges(let value): return parts("people") + [id("personID", value), .constant("pledges")]
    case .pledgeFile(let value): return parts("pledges") + [id("pledgeID", value), .constant("file")]
    case .pledgeDelete(let value): return parts("pledges") + [id("pledgeID", value), .constant("delete")]
    case .leavers: return parts("leavers")
    case .leaver(let value): return parts("leavers") + [id("caseID", value)]
    case .leaverRevokeAll(let value): return parts("leavers") + [id("caseID", value), .constant("revoke-all")]
    case .personPledgeRequests(let value): return parts("people") + [id("personID", value), .constant("pledge-requests")]
    case .pledgeRequests: return parts("pledge-requests")
    case .pledgeRequest(let value): return parts("pledge-requests") + [id("pledgeRequestID", value)]
    case .pledgeRequestAcknowledge(let value): return parts("pledge-requests") + [id("pledgeRequestID", value), .constant("acknowledge")]
    case .pledgeRequestWithdraw(let value): return parts("pledge-requests") + [id("pledgeRequestID", value), .constant("withdraw")]
    case .catalogs: return parts("assessments/catalogs")
    case .assessments: return parts("assessments")
    case .assessmentActions: return parts("assessments/actions")
    case .assessmentActionsExport: return parts("assessments/actions/export.xlsx")
    case .assessmentAction(let value): return parts("assessments/actions") + [id("actionID", value)]
    case .assessmentActionEvidence(let value): return parts("assessments/actions") + [id("actionID", value), .constant("evidence")]
    case .assessmentActionEvidenceFile(let value, let file):
      return parts("assessments/actions") + [id("actionID", value), .constant("evidence"), id("actionEvidenceID", file)]
    case .assessmentActionEvidenceDelete(let value, let file):
      return parts("assessments/actions") + [id("actionID", value), .constant("evidence"), id("actionEvidenceID", file), .constant("delete")]
    case .assessment(let value): return parts("assessments") + [id("assessmentID", value)]
    case .assessmentSection(let value, let section):
      return parts("assessments") + [id("assessmentID", value), .constant("sections"), token("sectionID", section)]
    case .assessmentAutosave(let value): return parts("assessments") + [id("assessmentID", value), .constant("autosave")]
    case .assessmentComplete(let value): return parts("assessments") + [id("assessmentID", value), .constant("complete")]
    case .assessmentImport(let value): return parts("assessments") + [id("assessmentID", value), .constant("import")]
    case .assessmentEvidence(let value): return parts("assessments") + [id("assessmentID", value), .constant("evidence")]
    case .assessmentEvidenceFile(let value, let file):
      return parts("assessments") + [id("assessmentID", value), .constant("evidence"), id("evidenceID", file)]
    case .assessmentEvidenceDelete(let value, let file):
      return parts("assessments") + [id("assessmentID", value), .constant("evidence"), id("evidenceID", file), .constant("delete")]
    case .assessmentRadar(let value): return parts("assessments") + [id("assessmentID", value), .constant("radar.svg")]
    case .assessmentExport(let value): return parts("assessments") + [id("assessmentID", value), .constant("export.xlsx")]
    case .assessmentCompare(let value): return parts("assessments") + [id("assessmentID", value), .constant("compare")]
    case .assessmentRename(let value): return parts("assessments") + [id("assessmentID", value), .constant("rename")]
    case .assessmentDelete(let value): return parts("assessments") + [id("assessmentID", value), .constant("delete")]
    case .audits: return parts("audits")
    case .audit(let value): return parts("audits") + [id("accessID", value)]
    case .adminOrganisations: return parts("admin/organisations")
    case .adminOrganisation(let value): return parts("admin/organisations") + [id("organisationID", value)]
    case .adminOrganisationInvite(let value):
      return parts("admin/organisations") + [id("organisationID", value), .constant("invite")]
    case .adminBodies: return parts("admin/bodies")
    case .adminBody(let value): return parts("admin/bodies") + [id("bodyID", value)]
    case .adminBodyInvite(let value): return parts("admin/bodies") + [id("bodyID", value), .constant("invite")]
    case .health: return parts("healthz")
    case .metrics: return parts("metrics")
    }
  }
}

/// The JSON API, under `/api/v1`. Its OpenAPI document is kept in step with these by a test.
enum APIRoute: TypedRoute, Hashable {
  case openAPI
  case me
  case organisation
  case users
  case user(UUID?)
  case userPasswordLink(UUID?)
  case departments
  case department(UUID?)
  case people
  case person(UUID?)
  case tokens
  case token(UUID?)
  case auditAccesses
  case auditAccess(UUID?)
  case audits
  case audit(UUID?)
  case auditPeople(UUID?)
  case organisations
  case adminOrganisation(UUID?)
  case adminOrganisationUsers(UUID?)
  case bodies
  case body(UUID?)
  case bodyUsers(UUID?)
  // The register's assets and grants.
  case assets
  case asset(UUID?)
  case assetGrants(UUID?)
  case personGrants(UUID?)
  case grant(UUID?)
  // Pledges and leavers' checklists (issue 9, continued).
  case pledges
  case pledge(UUID?)
  case leavers
  case leaver(UUID?)
  case leaverItem(UUID?, UUID?)

  var segments: [PathSegment] {
    let base: [PathSegment] = parts("api/v1")
    switch self {
    case .openAPI: return base + parts("openapi.yaml")
    case .me: return base + parts("me")
    case .organisation: return base + parts("organisation")
    case .users: return base + parts("users")
    case .user(let value): return base + parts("users") + [id("userID", value)]
    case .userPasswordLink(let value): return base + parts("users") + [id("userID", value), .constant("password-link")]
    case .departments: return base + parts("departments")
    case .department(let value): return base + parts("departments") + [id("departmentID", value)]
    case .people: return base + parts("people")
    case .person(let value): return base + parts("people") + [id("personID", value)]
    case .tokens: return base + parts("tokens")
    case .token(let value): return base + parts("tokens") + [id("tokenID", value)]
    case .auditAccesses: return base + parts("audit-access")
    case .auditAccess(let value): return base + parts("audit-access") + [id("accessID", value)]
    case .audits: return base + parts("audits")
    case .audit(let value): return base + parts("audits") + [id("accessID", value)]
    case .auditPeople(let value): return base + parts("audits") + [id("accessID", value), .constant("people")]
    case .organisations: return base + parts("organisations")
    case .adminOrganisation(let value): return base + parts("organisations") + [id("organisationID", value)]
    case .adminOrganisationUsers(let value):
      return base + parts("organisations") + [id("organisationID", value), .constant("users")]
    case .bodies: return base + parts("bodies")
    case .body(let value): return base + parts("bodies") + [id("bodyID", value)]
    case .bodyUsers(let value): return base + parts("bodies") + [id("bodyID", value), .constant("users")]
    case .assets: return base + parts("assets")
    case .asset(let value): return base + parts("assets") + [id("assetID", value)]
    case .assetGrants(let value): return base + parts("assets") + [id("assetID", value), .constant("grants")]
    case .personGrants(let value): return base + parts("people") + [id("personID", value), .constant("grants")]
    case .grant(let value): return base + parts("grants") + [id("grantID", value)]
    case .pledges: return base + parts("pledges")
    case .pledge(let value): return base + parts("pledges") + [id("pledgeID", value)]
    case .leavers: return base + parts("leavers")
    case .leaver(let value): return base + parts("leavers") + [id("caseID", value)]
    case .leaverItem(let leaver, let item):
      return base + parts("leavers") + [id("caseID", leaver), .constant("items"), id("taskID", item)]
    }
  }
}
