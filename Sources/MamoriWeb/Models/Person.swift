import Fluent
import Foundation
import MamoriCore

/// Someone who touches the organisation's information, with or without a login: employees, dispatched
/// workers, contractors, executives. Dates are stored as `YYYY-MM-DD` text (see ``CivilDate``).
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
  @Field(key: "employment_type") public var employmentType: String
  @OptionalField(key: "exit_date") public var exitDate: String?
  @Field(key: "family_name") public var familyName: String
  @Field(key: "full_name") public var fullName: String
  @Field(key: "given_name") public var givenName: String
  @OptionalField(key: "hire_date") public var hireDate: String?
  @Field(key: "job_title") public var jobTitle: String
  /// The account name this person has in access logs (`user_id` of the detection engine).
  @Field(key: "login_name") public var loginName: String
  @OptionalField(key: "notice_date") public var noticeDate: String?
  @Field(key: "notes") public var notes: String

  public init() {}

  public init(
    id: UUID? = nil, organisationID: UUID, departmentID: UUID?, code: String, loginName: String,
    familyName: String, givenName: String, fullName: String, email: String?, employmentType: EmploymentType,
    jobTitle: String, hireDate: CivilDate?, noticeDate: CivilDate? = nil, exitDate: CivilDate? = nil,
    notes: String = ""
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
    self.employmentType = employmentType.rawValue
    self.jobTitle = jobTitle
    self.hireDate = hireDate?.iso
    self.noticeDate = noticeDate?.iso
    self.exitDate = exitDate?.iso
    self.notes = notes
  }
}

extension Person {
  public var employment: EmploymentType { EmploymentType(rawValue: employmentType) ?? .other }
  public var hireDay: CivilDate? { hireDate.flatMap { CivilDate(iso: $0) } }
  public var noticeDay: CivilDate? { noticeDate.flatMap { CivilDate(iso: $0) } }
  public var exitDay: CivilDate? { exitDate.flatMap { CivilDate(iso: $0) } }

  public func status(on today: CivilDate) -> PersonStatus {
    PersonStatus.on(today, noticeDate: noticeDay, exitDate: exitDay)
  }
}
