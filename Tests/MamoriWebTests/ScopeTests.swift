import Foundation
import Testing

/// Every record of an organisation is read through its scope (`Model.query(in:on:)`, `req.find`), so
/// that a handler cannot forget the organisation and show another tenant's rows. These tests read the
/// sources: a query of a scoped model that bypasses the scope fails here unless it is listed below with
/// the reason it may.
@Suite("Tenant scope in the sources", .timeLimit(.minutes(5)))
struct ScopeTests {
  /// Unscoped reads that are right, each with its reason. A line matches when it contains `snippet`.
  static let allowed: [(file: String, snippet: String, reason: String)] = [
    ("Controllers/AdminController.swift", "User.query(on: req.db).filter(\\.$body.$id", "operators list a body's users"),
    ("Controllers/AuthController.swift", "User.query(on: req.db).filter(\\.$email == email)", "sign-in finds the account by address before any tenant is known"),
    ("Controllers/AccountController.swift", "User.find(current.id", "a user reads their own account"),
    ("Auth/ApiTokens.swift", "User.find(token.$user.id", "the token's owner, before any tenant is known"),
    ("Views/Dashboard/Dashboard+Model.swift", "User.query(on: req.db).count()", "platform statistics for operators"),
    ("Domain/Audits.swift", "AuditAccess.query(on: database)", "an auditor's grants across organisations, by body"),
    ("Domain/Audits.swift", "AuditAccess.query(on: db)", "an auditor's grant by body and id"),
    ("Domain/SetupLinks.swift", "User.query(on: database).count()", "first-start setup: whether any account exists"),
    ("Domain/AdminCommands.swift", "User.query(on: app.db).filter(\\.$email == address)", "the operator's command line names any account"),
    ("Domain/Accounts.swift", "User.query(on: database).filter(\\.$email == email)", "addresses are unique across the platform"),
    ("Domain/OwnAccount.swift", "User.find(userID, on: database)", "a user changes their own account"),
    ("Domain/AssessmentActions.swift", "AssessmentAction.query(on: database).filter(\\.$status != .done)", "the daily reminder runs over every organisation, then per organisation"),
    ("Domain/Evidence.swift", "Assessment.find(evidence.$assessment.id", "the assessment of evidence already found in the organisation"),
  ]

  static let roots = ["Sources/MamoriWeb", "Sources/mamori"]

  /// The models that carry `organisation_id`, found from their declarations.
  static func scopedModels() throws -> [(name: String, table: String)] {
    let folder = Repository.root.appendingPathComponent("Sources/MamoriWeb/Models")
    var models: [(String, String)] = []
    for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".swift") {
      let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
      guard text.contains("Parent(key: \"organisation_id\")") || text.contains("Field(key: \"organisation_id\")"),
        let name = text.firstMatch(of: /final class (\w+): Model/)?.1,
        let table = text.firstMatch(of: /static let schema = "(\w+)"/)?.1
      else { continue }
      models.append((String(name), String(table)))
    }
    return models
  }

  static func sources() throws -> [(path: String, lines: [Substring])] {
    var files: [(String, [Substring])] = []
    for root in roots {
      let folder = Repository.root.appendingPathComponent(root)
      for file in try FileManager.default.subpathsOfDirectory(atPath: folder.path) where file.hasSuffix(".swift") {
        if file.hasPrefix("Migrations/") { continue }  // schema changes and backfills run over every tenant
        let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
        files.append((root == "Sources/MamoriWeb" ? file : "mamori/" + file, text.split(separator: "\n", omittingEmptySubsequences: false)))
      }
    }
    return files
  }

  static func isAllowed(_ file: String, _ line: Substring) -> Bool {
    allowed.contains { file == $0.file && line.contains($0.snippet) }
  }

  @Test("every model with an organisation_id has a scope, and no query of one bypasses it unless listed with a reason")
  func fluentQueries() throws {
    let models = try Self.scopedModels()
    #expect(models.count >= 6, "\(models)")
    let files = try Self.sources()
    let scopes = files.flatMap { $0.lines }.joined(separator: "\n")
    for model in models {
      #expect(scopes.contains("extension \(model.name): OrganisationScoped"), "\(model.name) has organisation_id but no scope")
    }
    for (file, lines) in files {
      for (number, line) in lines.enumerated() {
        for model in models {
          guard line.contains("\(model.name).query(on:") || line.contains("\(model.name).find(") else { continue }
          // Filtered by the organisation on the same line: the scope itself, or the same condition written out.
          if line.contains(".filter(\\.$organisation.$id == ") { continue }
          if Self.isAllowed(file, line) { continue }
          Issue.record("\(file):\(number + 1) reads \(model.name) without its organisation: use \(model.name).query(in:on:) or req.find")
        }
      }
    }
    // A reason that no longer matches anything is removed, so that the list stays a true one.
    for entry in Self.allowed {
      let used = files.contains { file, lines in file == entry.file && lines.contains { $0.contains(entry.snippet) } }
      #expect(used, "unused exception: \(entry.file) \(entry.snippet)")
    }
  }

  @Test("a hand-written SQL statement over a scoped table names organisation_id")
  func rawStatements() throws {
    let tables = try Self.scopedModels().map(\.table)
    for (file, lines) in try Self.sources() {
      // Statements are written as multi-line literals: check each one as a whole.
      var statement: [Substring] = []
      var start = 0
      var inside = false
      for (number, line) in lines.enumerated() {
        if line.contains("\"\"\"") {
          if inside {
            let text = statement.joined(separator: "\n")
            let named = tables.filter { text.range(of: "(FROM|JOIN) \($0)\\b", options: .regularExpression) != nil }
            if !named.isEmpty, !text.contains("organisation_id"), !statement.contains(where: { Self.isAllowed(file, $0) }) {
              Issue.record("\(file):\(start + 1) reads \(named.joined(separator: ", ")) without organisation_id")
            }
            statement = []
          } else {
            start = number
          }
          inside.toggle()
          continue
        }
        if inside { statement.append(line) }
      }
    }
  }
}

/// Input limits reach the templates from the rules that check them (`FormField`, `partials/field.leaf`),
/// never as numbers copied into a template.
@Suite("Form limits", .timeLimit(.minutes(5)))
struct FormLimitTests {
  @Test("no template writes a maxlength of its own")
  func noLiteralLimits() throws {
    let folder = Repository.resources.appendingPathComponent("Views")
    let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".leaf") }
    for file in files {
      let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
      let literal = text.firstMatch(of: /maxlength="\d/) != nil
      #expect(!literal, "\(file) writes a maxlength literal; take it from the rule through the view model (FormField)")
    }
  }
}
