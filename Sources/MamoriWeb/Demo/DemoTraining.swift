import Fluent
import Foundation
import MamoriCore

extension DemoSeeder {
  /// The demo's training: the built-in course assigned to everyone 400 days ago; most people completed
  /// it within the year, one in eight a year and a fortnight ago and one in eleven never (both overdue,
  /// so `training-overdue` shows, high for those holding secret assets), and the member's account is due
  /// to renew within three weeks, so that the member's home page has the course to take.
  static func seedTraining(
    company: DemoCompany, courses: [Course], organisationID: UUID, personIDs: [String: UUID], assignedBy: UUID?, today: CivilDate, now: Date,
    on database: any Database
  ) async throws {
    guard let content = courses.first else { return }
    _ = try await Training.assign(
      .init(
        course: Training.builtInPrefix + content.id, scope: TrainingScope.everyone.rawValue, departmentID: "", employmentType: "",
        assignedOn: today.adding(days: -400).iso),
      builtIn: courses, organisationID: organisationID, assignedBy: assignedBy, today: today, actor: .system, now: now, on: database)
    guard let course = try await TrainingCourse.query(in: organisationID, on: database).filter(\.$catalogID == content.id).first()
    else { return }
    let memberCode = company.accounts.first { $0.role == .member }?.personCode
    for (index, person) in company.people.enumerated() {
      guard let personID = personIDs[person.code] else { continue }
      if let exit = person.exitDate, exit < today { continue }
      let completedOn: CivilDate?
      if person.code == memberCode {
        completedOn = today.adding(days: -345)
      } else if index % 11 == 5 {
        completedOn = nil
      } else if index % 8 == 3 {
        completedOn = today.adding(days: -380)
      } else {
        completedOn = today.adding(days: -(10 + (index * 37) % 300))
      }
      guard let completedOn else { continue }
      _ = try await Training.recordCompletion(
        course: course, personID: personID, completedOn: completedOn, score: 80 + (index * 7) % 21, recordedBy: nil,
        selfRecorded: true, organisationID: organisationID, actor: .system, now: now, on: database)
    }
  }
}
