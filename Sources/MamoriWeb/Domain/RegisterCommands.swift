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
