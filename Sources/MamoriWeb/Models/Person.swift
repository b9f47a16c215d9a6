import Fluent
import Foundation
import MamoriCore

/// Someone who touches the organisation's information, with or without a login: employees, dispatched
/// workers, contractors, executives. Dates are stored as `YYYY-MM-DD` text (see ``CivilDate``), the
/// employment type as its text value.
///
/// Two dates end a person's time: the last working day (最終出社日, column `exit_date`, the detection
/// contract's `exit_date`: accounts and grants close by it, any activity after it is post-exit activity)
/// and the leaving date (退職日, `leaving_date`: obligations run to it; leave is often taken between them).
public final class Person: Model, @unchecked Sendable {
  public static let schema = "people"

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
  @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

  // reference fields
  @OptionalParent(key: "department_id") public var department: Department?
  @Parent(key: "organisation_id") public var organisation: Organisation

  // data fields
  /// The staff number (社員番号).
  @Field(key: "code") public var code: String
  @OptionalField(key: "email") public var email: String?
  @Enum(key: "employment_type") public var employmentType: EmploymentType
  /// The last working day (最終出社日).
  @OptionalField(key: "exit_date") public var exitDate: CivilDate?
  @Field(key: "family_name") public var familyName: String
  @Field(key: "full_name") public var fullName: String
  @Field(key: "given_name") public var givenName: String
  @OptionalField(key: "hire_date") public var hireDate: CivilDate?
  /// Someone whose leaving would take a whole process with them (the seed's Case 3), as the officer
  /// judges; the `key-person` finding computes the same risk from grants.
  @Field(key: "key_person") public var isKeyPerson: Bool
  /// The leaving date (退職日): employment and obligations end here.
  @OptionalField(key: "leaving_date") public var leavingDate: CivilDate?
  @Field(key: "job_title") public var jobTitle: String
  /// The account name this person has in access logs (`user_id` of the detection engine).
  @Field(key: "login_name") public var loginName: String
  @OptionalField(key: "notice_date") public var noticeDate: CivilDate?
  @Field(key: "notes") public var notes: String
  /// The language in which the person is trained (and pledges are explained).
  @Enum(key: "training_language") public var trainingLanguage: Language

  public init() {}

  public init(
    id: UUID? = nil, organisationID: UUID, departmentID: UUID?, code: String, loginName: String,
    familyName: String, givenName: String, fullName: String, email: String?, employmentType: EmploymentType,
    jobTitle: String, hireDate: CivilDate?, noticeDate: CivilDate? = nil, exitDate: CivilDate? = nil,
    leavingDate: CivilDate? = nil, trainingLanguage: Language = .ja, isKeyPerson: Bool = false, notes: String = ""
  ) {
    self.id = id
    self.$organisation.id = organisationID
    self.$department.id = departmentID
    self.code = code
    self.loginName = loginName
    self.familyName = familyName
    self.givenName = givenName
    self.fullName = fullName
    self.email = email
    self.employmentType = employmentType
    self.jobTitle = jobTitle
    self.hireDate = hireDate
    self.noticeDate = noticeDate
    self.exitDate = exitDate
    self.leavingDate = leavingDate
    self.trainingLanguage = trainingLanguage
    self.isKeyPerson = isKeyPerson
    self.notes = notes
  }
}

extension Person {
  public var employment: EmploymentType { employmentType }
  public var hireDay: CivilDate? { hireDate }
  public var noticeDay: CivilDate? { noticeDate }
  /// The last working day.
  public var exitDay: CivilDate? { exitDate }

  public func status(on today: CivilDate) -> PersonStatus {
    PersonStatus.on(today, noticeDate: noticeDay, exitDate: exitDay)
  }
}
