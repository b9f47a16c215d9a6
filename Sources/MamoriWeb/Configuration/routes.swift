import MamoriCore
import Vapor

/// Every route, with who may use it. Registering through `on(_:_:access:use:)` is the only way a route
/// gets an access rule, and a test fails on any route without one.
func routes(_ app: Application) throws {
  do {  // visitors: sign-in, first start, one-time links, language
    app.on(.GET, SiteRoute.login, access: .everyone, use: AuthController.loginPage)
    app.on(.POST, SiteRoute.login, access: .everyone, use: AuthController.login)
    app.on(.POST, SiteRoute.logout, access: .signedIn, use: AuthController.logout)
    app.on(.GET, SiteRoute.setup(nil), access: .everyone, use: SetupController.page)
    app.on(.POST, SiteRoute.setup(nil), access: .everyone, use: SetupController.submit)
    app.on(.GET, SiteRoute.setPassword(nil), access: .everyone, use: AuthController.setPasswordPage)
    app.on(.POST, SiteRoute.setPassword(nil), access: .everyone, use: AuthController.setPassword)
    app.on(.POST, SiteRoute.language, access: .everyone, use: AuthController.setLanguage)
  }

  do {  // every signed-in user: dashboard and own account
    app.on(.GET, SiteRoute.dashboard, access: .signedIn, use: DashboardController.show)
    app.on(.GET, SiteRoute.account, access: .signedIn, use: AccountController.show)
    app.on(.POST, SiteRoute.account, access: .signedIn, use: AccountController.updateProfile)
    app.on(.POST, SiteRoute.accountPassword, access: .signedIn, use: AccountController.changePassword)
    app.on(.POST, SiteRoute.accountTokens, access: .signedIn, use: AccountController.createToken)
    app.on(.POST, SiteRoute.accountTokenRevoke(nil), access: .signedIn, use: AccountController.revokeToken)
  }

  do {  // organisation: profile, accounts, audit access
    app.on(.GET, SiteRoute.organisation, access: .can(.readOrganisation), use: OrganisationController.show)
    app.on(.POST, SiteRoute.organisation, access: .admins, use: OrganisationController.update)
    app.on(.GET, SiteRoute.organisationUsers, access: .can(.readOrganisation), use: OrganisationUsersController.index)
    app.on(.POST, SiteRoute.organisationUsers, access: .admins, use: OrganisationUsersController.invite)
    app.on(.GET, SiteRoute.organisationUser(nil), access: .admins, use: OrganisationUsersController.show)
    app.on(.POST, SiteRoute.organisationUser(nil), access: .admins, use: OrganisationUsersController.update)
    app.on(
      .POST, SiteRoute.organisationUserPasswordLink(nil), access: .admins,
      use: OrganisationUsersController.passwordLink)
    app.on(.GET, SiteRoute.auditAccess, access: .admins, use: AuditAccessController.index)
    app.on(.POST, SiteRoute.auditAccess, access: .admins, use: AuditAccessController.grant)
    app.on(.POST, SiteRoute.auditAccessRevoke(nil), access: .admins, use: AuditAccessController.revoke)
    app.on(.GET, SiteRoute.auditTrail, access: .can(.readAuditTrail), use: AuditTrailController.index)
    app.on(.GET, SiteRoute.auditTrailExport, access: .can(.readAuditTrail), use: AuditTrailController.export)
  }

  do {  // the register: departments and people
    app.on(.GET, SiteRoute.departments, access: .managers, use: DepartmentsController.index)
    app.on(.POST, SiteRoute.departments, access: .managers, use: DepartmentsController.create)
    app.on(.GET, SiteRoute.department(nil), access: .managers, use: DepartmentsController.edit)
    app.on(.POST, SiteRoute.department(nil), access: .managers, use: DepartmentsController.update)
    app.on(.POST, SiteRoute.departmentDelete(nil), access: .managers, use: DepartmentsController.delete)
    app.on(.GET, SiteRoute.people, access: .managers, use: PeopleController.index)
    app.on(.GET, SiteRoute.personNew, access: .managers, use: PeopleController.new)
    app.on(.POST, SiteRoute.people, access: .managers, use: PeopleController.create)
    app.on(.GET, SiteRoute.person(nil), access: .managers, use: PeopleController.show)
    app.on(.GET, SiteRoute.personEdit(nil), access: .managers, use: PeopleController.edit)
    app.on(.POST, SiteRoute.person(nil), access: .managers, use: PeopleController.update)
    app.on(.POST, SiteRoute.personDelete(nil), access: .managers, use: PeopleController.delete)
  }

  do {  // the register of information to protect: assets, grants, handling rules, findings
    app.on(.GET, SiteRoute.assets, access: .can(.manageRegister), use: AssetsController.index)
    app.on(.GET, SiteRoute.assetNew, access: .can(.manageRegister), use: AssetsController.new)
    app.on(.POST, SiteRoute.assets, access: .can(.manageRegister), use: AssetsController.create)
    app.on(.GET, SiteRoute.asset(nil), access: .can(.manageRegister), use: AssetsController.show)
    app.on(.GET, SiteRoute.assetEdit(nil), access: .can(.manageRegister), use: AssetsController.edit)
    app.on(.POST, SiteRoute.asset(nil), access: .can(.manageRegister), use: AssetsController.update)
    app.on(.POST, SiteRoute.assetDelete(nil), access: .can(.manageRegister), use: AssetsController.delete)
    app.on(.POST, SiteRoute.assetGrants(nil), access: .can(.manageRegister), use: AssetsController.grant)
    app.on(.POST, SiteRoute.grantRevoke(nil), access: .can(.manageRegister), use: AssetsController.revoke)
    app.on(.GET, SiteRoute.handlingRules, access: .can(.manageRegister), use: AssetsController.handlingRules)
    app.on(.POST, SiteRoute.handlingRules, access: .can(.manageRegister), use: AssetsController.saveHandlingRule)
    app.on(.GET, SiteRoute.findings, access: .can(.manageRegister), use: AssetsController.findings)
    app.on(.GET, SiteRoute.registerExport, access: .can(.manageRegister), use: AssetsController.export)
    app.on(.GET, SiteRoute.registerImport, access: .can(.manageRegister), use: RegisterImportPage.show)
    app.on(.POST, SiteRoute.registerImport, access: .can(.manageRegister), body: .upload, use: RegisterImportPage.upload)
  }

  do {  // training: the officer's overview and assignments; every account's course pages and quizzes
    app.on(.GET, SiteRoute.training, access: .can(.manageRegister), use: TrainingController.index)
    app.on(.POST, SiteRoute.trainingAssignments, access: .can(.manageRegister), use: TrainingController.assign)
    app.on(.POST, SiteRoute.trainingAssignmentDelete(nil), access: .can(.manageRegister), use: TrainingController.unassign)
    app.on(.GET, SiteRoute.trainingCourse(nil), access: .can(.takeTraining), use: TrainingController.course)
    app.on(.POST, SiteRoute.trainingQuiz(nil), access: .can(.takeTraining), use: TrainingController.quiz)
    // own courses and attendance (issue 9, continued)
    app.on(.GET, SiteRoute.trainingCourseNew, access: .can(.manageRegister), use: TrainingCoursesController.new)
    app.on(.POST, SiteRoute.trainingCourses, access: .can(.manageRegister), use: TrainingCoursesController.create)
    app.on(.GET, SiteRoute.trainingCourseEdit(nil), access: .can(.manageRegister), use: TrainingCoursesController.edit)
    app.on(.POST, SiteRoute.trainingCourseEdit(nil), access: .can(.manageRegister), use: TrainingCoursesController.update)
    app.on(.POST, SiteRoute.trainingCourseRetire(nil), access: .can(.manageRegister), use: TrainingCoursesController.retire)
    app.on(.GET, SiteRoute.trainingAttendance(nil), access: .can(.manageRegister), use: TrainingCoursesController.attendance)
    app.on(.POST, SiteRoute.trainingAttendance(nil), access: .can(.manageRegister), use: TrainingCoursesController.recordAttendance)
    app.on(.POST, SiteRoute.trainingCompletionDelete(nil), access: .can(.manageRegister), use: TrainingCoursesController.removeCompletion)
    app.on(.POST, SiteRoute.trainingCourseDone(nil), access: .can(.takeTraining), use: TrainingCoursesController.declare)
  }

  do {  // access reviews: campaigns for officers, each owner's own assets' grants
    app.on(.GET, SiteRoute.reviews, access: .managers, use: ReviewPages.index)
    app.on(.POST, SiteRoute.reviews, access: .managers, use: ReviewPages.open)
    app.on(.GET, SiteRoute.review(nil), access: .managers, use: ReviewPages.show)
    app.on(.POST, SiteRoute.reviewClose(nil), access: .managers, use: ReviewPages.close)
    app.on(.GET, SiteRoute.myReviews, access: .can(.reviewOwnAssets), use: ReviewPages.mine)
    app.on(.POST, SiteRoute.reviewItemDecision(nil), access: .can(.reviewOwnAssets), use: ReviewPages.decide)
  }

  do {  // the register: pledges and leavers
    app.on(.GET, SiteRoute.pledges, access: .can(.manageRegister), use: PledgesPage.index)
    app.on(.POST, SiteRoute.personPledges(nil), access: .can(.manageRegister), body: .upload, use: PledgesPage.record)
    app.on(.GET, SiteRoute.pledgeFile(nil), access: .can(.manageRegister), use: PledgesPage.download)
    app.on(.POST, SiteRoute.pledgeDelete(nil), access: .can(.manageRegister), use: PledgesPage.delete)
    app.on(.GET, SiteRoute.leavers, access: .can(.manageRegister), use: LeaversPage.index)
    app.on(.GET, SiteRoute.leaver(nil), access: .can(.manageRegister), use: LeaversPage.show)
    app.on(.POST, SiteRoute.leaver(nil), access: .can(.manageRegister), use: LeaversPage.save)
    app.on(.POST, SiteRoute.leaverRevokeAll(nil), access: .can(.manageRegister), use: LeaversPage.revokeAll)
  }

  do {  // pledges requested by officers, read and acknowledged by the person addressed (checked per record)
    app.on(.POST, SiteRoute.personPledgeRequests(nil), access: .can(.manageRegister), use: PledgeRequestPages.requestForPerson)
    app.on(.POST, SiteRoute.pledgeRequests, access: .can(.manageRegister), use: PledgeRequestPages.requestByLogin)
    app.on(.POST, SiteRoute.pledgeRequestWithdraw(nil), access: .can(.manageRegister), use: PledgeRequestPages.withdraw)
    app.on(.GET, SiteRoute.pledgeRequest(nil), access: .can(.acknowledgeOwnPledges), use: PledgeRequestPages.show)
    app.on(.POST, SiteRoute.pledgeRequestAcknowledge(nil), access: .can(.acknowledgeOwnPledges), use: PledgeRequestPages.acknowledge)
  }

  do {  // checklists: self-assessments, their scores, charts, workbooks and the action list
    app.on(.GET, SiteRoute.catalogs, access: .managers, use: CatalogsController.index)
    app.on(.POST, SiteRoute.catalogs, access: .managers, body: .upload, use: CatalogsController.upload)
    app.on(.GET, SiteRoute.assessments, access: .managers, use: AssessmentsController.index)
    app.on(.POST, SiteRoute.assessments, access: .managers, use: AssessmentsController.start)
    app.on(.GET, SiteRoute.assessmentActions, access: .managers, use: AssessmentsController.actions)
    app.on(.GET, SiteRoute.assessmentActionsExport, access: .managers, use: AssessmentsController.exportActions)
    app.on(.GET, SiteRoute.assessmentAction(nil), access: .managers, use: AssessmentsController.action)
    app.on(.POST, SiteRoute.assessmentAction(nil), access: .managers, use: AssessmentsController.updateAction)
    app.on(.POST, SiteRoute.assessmentActionEvidence(nil), access: .managers, body: .upload, use: EvidenceController.uploadForAction)
    app.on(.GET, SiteRoute.assessmentActionEvidenceFile(nil, nil), access: .managers, use: EvidenceController.downloadForAction)
    app.on(.POST, SiteRoute.assessmentActionEvidenceDelete(nil, nil), access: .managers, use: EvidenceController.deleteForAction)
    app.on(.GET, SiteRoute.assessment(nil), access: .managers, use: AssessmentsController.show)
    app.on(.GET, SiteRoute.assessmentSection(nil, nil), access: .managers, use: AssessmentsController.section)
    app.on(.POST, SiteRoute.assessmentSection(nil, nil), access: .managers, body: .largeForm, use: AssessmentsController.saveSection)
    app.on(.POST, SiteRoute.assessmentAutosave(nil), access: .managers, use: AssessmentsController.autosave)
    app.on(.POST, SiteRoute.assessmentComplete(nil), access: .managers, use: AssessmentsController.complete)
    app.on(.POST, SiteRoute.assessmentImport(nil), access: .managers, body: .upload, use: AssessmentsController.importAnswers)
    app.on(.POST, SiteRoute.assessmentEvidence(nil), access: .managers, body: .upload, use: EvidenceController.upload)
    app.on(.GET, SiteRoute.assessmentEvidenceFile(nil, nil), access: .managers, use: EvidenceController.download)
    app.on(.POST, SiteRoute.assessmentEvidenceDelete(nil, nil), access: .managers, use: EvidenceController.delete)
    app.on(.GET, SiteRoute.assessmentRadar(nil), access: .managers, use: AssessmentsController.radar)
    app.on(.GET, SiteRoute.assessmentExport(nil), access: .managers, use: AssessmentsController.export)
    app.on(.GET, SiteRoute.assessmentCompare(nil), access: .managers, use: AssessmentsController.compare)
    app.on(.POST, SiteRoute.assessmentRename(nil), access: .managers, use: AssessmentsController.rename)
    app.on(.POST, SiteRoute.assessmentDelete(nil), access: .managers, use: AssessmentsController.delete)
  }
  do {  // certification bodies: audits the organisations have granted
    app.on(.GET, SiteRoute.audits, access: .auditors, use: AuditsController.index)
    app.on(.GET, SiteRoute.audit(nil), access: .auditors, use: AuditsController.show)
  }

  do {  // platform operator
    app.on(.GET, SiteRoute.adminOrganisations, access: .platformOperator, use: AdminController.organisations)
    app.on(.POST, SiteRoute.adminOrganisations, access: .platformOperator, use: AdminController.createOrganisation)
    app.on(.GET, SiteRoute.adminOrganisation(nil), access: .platformOperator, use: AdminController.organisation)
    app.on(
      .POST, SiteRoute.adminOrganisationInvite(nil), access: .platformOperator,
      use: AdminController.inviteOrganisationUser)
    app.on(.GET, SiteRoute.adminBodies, access: .platformOperator, use: AdminController.bodies)
    app.on(.POST, SiteRoute.adminBodies, access: .platformOperator, use: AdminController.createBody)
    app.on(.GET, SiteRoute.adminBody(nil), access: .platformOperator, use: AdminController.body)
    app.on(.POST, SiteRoute.adminBodyInvite(nil), access: .platformOperator, use: AdminController.inviteAuditor)
  }

  do {  // operations: probes for load balancers and Prometheus
    app.on(.GET, SiteRoute.health, access: .can(.probe), use: OperationsController.health)
    app.on(.GET, SiteRoute.metrics, access: .can(.probe), use: OperationsController.metrics)
  }

  try apiRoutes(app)
}
