import Fluent
import Foundation
import MamoriCore
import Vapor

/// `mamori findings`: the register's findings read from the same database as `serve`.
public enum RegisterCommands {
  public enum Failure: Error, Equatable {
    case unknownOrganisation(String)
  }

  /// The findings of the organisation `slug` on its today.
  public static func findings(organisationSlug slug: String, on app: Application) async throws -> [Finding] {
    guard let organisation = try await Organisation.query(on: app.db).filter(\.$slug == slug).first() else {
      throw Failure.unknownOrganisation(slug)
    }
    let today = Organisations.today(organisation, now: app.mamori.clock.now())
    return try await AssetRegister.findings(organisationID: try organisation.requireID(), today: today, on: app.db).findings
  }
}

extension RegisterCommands {
  /// `mamori detect --org`: the organisation's people, assets and grants as detection reads them.
  public static func detectionRegister(organisationSlug slug: String, on app: Application) async throws -> DetectionRegister {
    let organisation = try await organisation(slug, on: app)
    return try await AssetRegister.detectionRegister(organisationID: try organisation.requireID(), on: app.db)
  }
}

extension RegisterCommands {
  public enum ImportOutcome: Sendable, Equatable {
    /// What was written, as lines for the operator.
    case imported([String])
    /// `FILE:LINE: reason` lines; nothing was written.
    case refused([String])
  }

  static func organisation(_ slug: String, on app: Application) async throws -> Organisation {
    guard let organisation = try await Organisation.query(on: app.db).filter(\.$slug == slug).first() else {
      throw Failure.unknownOrganisation(slug)
    }
    return organisation
  }

  /// `mamori import`: the same operation as the page's import, audited with the actor `cli`. The file is
  /// CSV or an `.xlsx` workbook (by the extension of `fileName`, or by its content).
  public static func importFile(
    organisationSlug slug: String, file: RegisterFile, data: Data, fileName: String, encoding: TextEncodingChoice,
    on app: Application
  ) async throws -> ImportOutcome {
    let organisation = try await organisation(slug, on: app)
    let now = app.mamori.clock.now()
    let catalog = app.mamori.catalog
    do {
      let report = try await RegisterImport.run(
        file, data: data, fileName: fileName, encoding: encoding, organisationID: try organisation.requireID(),
        today: Organisations.today(organisation, now: now), actor: .commandLine, now: now, on: app.db)
      var lines = ["\(fileName): \(report.created) created, \(report.updated) updated, \(report.unchanged) unchanged"]
      if !report.createdDepartments.isEmpty {
        lines.append("\(fileName): departments created: \(report.createdDepartments.joined(separator: ", "))")
      }
      if !report.unknownColumns.isEmpty {
        lines.append("\(fileName): columns ignored: \(report.unknownColumns.joined(separator: ", "))")
      }
      return .imported(lines)
    } catch let failure as ImportFailure {
      return .refused(failure.problems.map { problem(fileName, $0, catalog: catalog, language: .en) })
    }
  }

  /// `FILE:LINE: column: reason`, the reason in `language`; `FILE: reason` for the whole file.
  static func problem(_ fileName: String, _ problem: ImportProblem, catalog: LocaleCatalog, language: Language) -> String {
    let reason = catalog.text(problem.key, language, problem.arguments)
    let place = problem.line > 0 ? "\(fileName):\(problem.line): " : "\(fileName): "
    return place + (problem.column.map { "\($0): " } ?? "") + reason
  }

  /// `mamori export`: CSV or a workbook that `mamori import` reads back unchanged.
  public static func exportFile(
    organisationSlug slug: String, file: RegisterFile, format: RegisterFormat = .csv, on app: Application
  ) async throws -> Data {
    let organisation = try await organisation(slug, on: app)
    return try await RegisterImport.export(file, format: format, organisationID: try organisation.requireID(), on: app.db)
  }
}

extension RegisterCommands {
  /// `mamori leavers list`: the organisation's leaver cases on its today, open ones only unless `all`,
  /// by last working day.
  public static func leavers(organisationSlug slug: String, all: Bool, on app: Application) async throws -> [LeaverSummary] {
    let organisation = try await organisation(slug, on: app)
    let organisationID = try organisation.requireID()
    let today = Organisations.today(organisation, now: app.mamori.clock.now())
    var query = LeaverCase.query(in: organisationID, on: app.db)
    if !all { query = query.filter(\.$status == .open) }
    let cases = try await query.all()
    let people = try await Person.query(in: organisationID, on: app.db).filter(\.$id ~~ cases.map(\.$person.id)).all()
    let personByID = Dictionary(people.compactMap { person in person.id.map { ($0, person) } }, uniquingKeysWith: { first, _ in first })
    let tasks = try await LeaverTask.query(in: organisationID, on: app.db).filter(\.$leaverCase.$id ~~ cases.compactMap(\.id)).all()
    let tasksByCase = Dictionary(grouping: tasks, by: { $0.$leaverCase.id })
    let order = Dictionary(uniqueKeysWithValues: LeaverTaskKind.allCases.enumerated().map { ($1, $0) })
    return cases.compactMap { leaverCase -> LeaverSummary? in
      guard let id = leaverCase.id, let person = personByID[leaverCase.$person.id] else { return nil }
      let items = (tasksByCase[id] ?? []).sorted { order[$0.kind]! < order[$1.kind]! }
      return LeaverSummary(
        personID: person.loginName, name: person.fullName, employment: person.employment, noticeDate: person.noticeDate,
        exitDate: person.exitDate, leavingDate: person.leavingDate, status: leaverCase.status.rawValue,
        done: items.filter(\.isDone).count, total: items.count, overdue: items.filter { $0.isOverdue(on: today) }.map(\.kind),
        nextDue: items.filter { !$0.isDone }.compactMap(\.dueOn).min())
    }.sorted { a, b in
      // By last working day (or leaving date), undated last, then by login name.
      switch (a.exitDate ?? a.leavingDate, b.exitDate ?? b.leavingDate) {
      case let (x?, y?) where x != y: return x < y
      case (_?, nil): return true
      case (nil, _?): return false
      default: return a.personID < b.personID
      }
    }
  }
}
