import Fluent
import Foundation
import MamoriCore
import Vapor

/// The signed-in person's own to-dos on the home page, one section per kind of work. The account is
/// tied to its person of the register by `users.person_id` (set on the account's page); an account
/// without a person has no to-dos and is told why.
///
/// Sections: the person's training, the grants to their own assets waiting for their review, and, for
/// officers, the leaver checklist items they own. A kind of work adds one loader to `loadToDo` and one
/// section to `toDoSections`; the template shows every section alike.
extension Dashboard {
  struct ToDo: Sendable {
    /// Whether the account is linked to a person (only then are there to-dos).
    var linked = false
    var training: [Training.Entry] = []
    /// Grants waiting for this owner's decision in running access reviews, and the earliest due day.
    var reviews: (count: Int, due: CivilDate?) = (0, nil)
    /// Leaver checklist items this account owns and has not done (officers).
    var leaverTasks: [(task: LeaverTask, person: String)]?
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

  static func loadToDo(user: CurrentUser, personID: UUID, organisationID: UUID, today: CivilDate, req: Request) async throws -> ToDo {
    var toDo = ToDo(linked: true)
    let report = try await Training.report(organisationID: organisationID, today: today, personID: personID, on: req.db)
    toDo.training = report.entries.filter { $0.person.id == personID }
    if Policy.can(user.principal, .reviewOwnAssets) {
      toDo.reviews = try await ReviewPages.pendingCount(personID: personID, organisationID: organisationID, on: req.db)
    }
    if Policy.can(user.principal, .manageRegister) {
      let ownerID: UUID? = user.id
      let tasks = try await LeaverTask.query(in: organisationID, on: req.db)
        .filter(\LeaverTask.$owner.$id == ownerID)
        .filter(\LeaverTask.$doneOn == nil)
        .with(\.$leaverCase) { $0.with(\.$person) }
        .all()
      toDo.leaverTasks = tasks.filter { $0.leaverCase.status == .open }.map { ($0, $0.leaverCase.person.fullName) }
        .sorted { ($0.task.dueOn ?? .init(daysSinceEpoch: .max / 2)) < ($1.task.dueOn ?? .init(daysSinceEpoch: .max / 2)) }
    }
    return toDo
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
    var sections = [
      ToDoSection(id: "training", heading: req.t("todo.training_heading"), items: training.nonEmpty, empty: req.t("todo.training_none"))
    ]
    if Policy.can(user.principal, .reviewOwnAssets) {
      let pending = model.toDo.reviews
      let items =
        pending.count == 0
        ? []
        : [
          ToDoItem(
            title: req.t("reviews.home_pending", ["count": "\(pending.count)"]), href: SiteRoute.myReviews.path,
            due: pending.due.map { req.t("reviews.home_due", ["date": req.display($0) ?? ""]) } ?? "",
            state: req.t(pending.due.map { $0 < model.today } == true ? "todo.state_overdue" : "todo.state_open"),
            stateCode: pending.due.map { $0 < model.today } == true ? "overdue" : "due")
        ]
      sections.append(
        ToDoSection(id: "reviews", heading: req.t("todo.reviews_heading"), items: items.nonEmpty, empty: req.t("todo.reviews_none")))
    }
    if let tasks = model.toDo.leaverTasks {
      let items = tasks.map { entry in
        let overdue = entry.task.dueOn.map { $0 < model.today } ?? false
        return ToDoItem(
          title: req.t("todo.leaver_task", ["task": req.t(entry.task.kind.labelKey), "person": entry.person]),
          href: SiteRoute.leaver(entry.task.$leaverCase.id).path,
          due: entry.task.dueOn.map { req.t("todo.due", ["date": req.display($0) ?? ""]) } ?? "",
          state: req.t(overdue ? "todo.state_overdue" : "todo.state_open"), stateCode: overdue ? "overdue" : "due")
      }
      sections.append(
        ToDoSection(id: "leavers", heading: req.t("todo.leavers_heading"), items: items.nonEmpty, empty: req.t("todo.leavers_none")))
    }
    return sections
  }
}
