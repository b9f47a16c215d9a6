import Fluent

/// The schema's history, in order. A released migration is never edited: a change is a new
/// `UpdateXAddY` migration appended here, and every one runs on SQLite and PostgreSQL in CI.
enum MamoriMigrations {
  static let all: [any Migration] = [
    // 001 - foundation: tenants, people, accounts, sessions and tokens.
    CreateOrganisation(),
    CreateCertificationBody(),
    CreateDepartment(),
    CreatePerson(),
    CreateUser(),
    CreateUserSession(),
    CreateAccountToken(),
    CreateSetupToken(),
    CreateApiToken(),
    CreateLoginFailure(),
    CreateAuditAccess(),
    // 002 - checklists: self-assessments against catalogs.
    CreateAssessment(),
    CreateAssessmentAnswer(),
    CreateOrganisationCatalog(),
    CreateAssessmentEvidence(),
    // 003 - hardening: sign-in attempts reserved before bcrypt, API token scopes.
    UpdateLoginFailureAddInFlight(),
    UpdateApiTokenAddScope(),
    // 004 - architecture: the hash-chained audit trail, indexes on every foreign key.
    CreateAuditEntry(),
    CreateForeignKeyIndexes(),
    // 005 - the register: leaving dates, assets, handling rules, grants.
    UpdatePersonAddLeavingDate(),
    UpdateOrganisationAddKeyPersonPercent(),
    CreateAsset(),
    CreateHandlingRule(),
    CreateGrant(),
    // 006 - the self-check as a working tool: answers and evidence scoped by organisation, rounds
    // carried over from the previous one.
    UpdateAssessmentAnswerAddOrganisation(),
    UpdateAssessmentEvidenceAddOrganisation(),
    UpdateAssessmentAnswerAddCarriedOver(),
    CreateAssessmentAction(),
    // 007 - training: courses, assignments and completions (issue 9).
    CreateTrainingCourse(),
    CreateTrainingAssignment(),
    CreateTrainingCompletion(),
    // 008 - access review campaigns of the register's grants (issue 9).
    CreateAccessReview(),
    CreateAccessReviewItem(),
    // 009 - the register: pledges and leaver checklists (issue 9).
    CreatePledge(),
    CreateLeaverCase(),
    CreateLeaverTask(),
    // 010 - the self-check: evidence files of actions (issue 12).
    CreateAssessmentActionEvidence(),
    // 011 - pledges requested of people and acknowledged in Mamori (issue 9).
    UpdatePledgeAddMethod(),
    CreatePledgeRequest(),
    // 012 - training: courses of the organisation's own (issue 9).
    UpdateTrainingCourseAddOwnCourse(),
  ]
}
