import Foundation
import MamoriCore
import Vapor

/// The signed-in person's own to-dos on the home page, one section per kind of work. The account is
/// tied to its person of the register by `users.person_id` (set on the account's page); an account
/// without a person has no to-dos and is told why.
///
/// Training fills its section now; pledges to sign and access reviews to do each add one loader to
/// `loadToDo` and one section to `toDoSections`, and the template shows every section alike.
extension Dashboard {
  struct ToDo {
    /// Whether the account is linked to a person (only then are there to-dos).
    var linked = false
    var training: [Training.Entry] = []
  }

  struct ToDoItem: Encodable, Sendable {
    var title: String
    var href: String
    var due: String
    var state: String
    var stateCode: String
  }

  struct ToDoSection: Encodable, Sendable {
    var id: String
    var heading: String
    var items: [ToDoItem]?
    var empty: String
  }

  static func loadToDo(into model: inout Model, user: CurrentUser, req: Request) async throws {
    guard let personID = user.personID, let organisationID = user.organisationID else { return }
    model.toDo.linked = true
    let report = try await Training.report(organisationID: organisationID, today: model.today, personID: personID, on: req.db)
    model.toDo.training = report.entries.filter { $0.person.id == personID }
  }

  /// nil for accounts outside an organisation.
  static func toDoSections(_ model: Model, user: CurrentUser, req: Request) -> [ToDoSection]? {
    guard user.organisationID != nil, model.toDo.linked else { return nil }
    let training = model.toDo.training
      .sorted { ($0.status.state == .overdue ? 0 : $0.status.state == .due ? 1 : 2, $0.status.dueOn ?? model.today) < ($1.status.state == .overdue ? 0 : $1.status.state == .due ? 1 : 2, $1.status.dueOn ?? model.today) }
      .map { entry in
        ToDoItem(
          title: TrainingOverview.title(of: entry.course, builtIn: req.mamori.courses, language: req.language),
          href: SiteRoute.trainingCourse(entry.course.id).path,
          due: entry.status.state == .done
            ? req.t("training.my_done", ["date": req.display(entry.status.lastCompleted) ?? "—"])
            : req.t(entry.status.state == .due ? "training.my_due" : "training.my_overdue", ["date": req.display(entry.status.dueOn) ?? "—"]),
          state: req.t(entry.status.state.labelKey), stateCode: entry.status.state.rawValue)
      }
    return [
      ToDoSection(id: "training", heading: req.t("todo.training_heading"), items: training.nonEmpty, empty: req.t("todo.training_none"))
    ]
  }
}
