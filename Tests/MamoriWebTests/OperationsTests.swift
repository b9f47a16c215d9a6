import Fluent
import MamoriCore
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

@Suite("Health, metrics and the database", .timeLimit(.minutes(5)))
struct OperationsTests {
  @Test("/healthz checks the database")
  func health() async throws {
    try await withApp { app, _ in
      let response = try await app.send(.GET, "/healthz")
      #expect(response.status == .ok)
      let body = try #require(try response.json() as? [String: String])
      #expect(body["status"] == "ok")
      #expect(body["database"] == "ok")
    }
  }

  @Test("/metrics speaks Prometheus: requests, latency histogram and the database pool")
  func metrics() async throws {
    try await withApp(TestOptions(configure: { $0.metricsToken = "scrape-secret" })) { app, _ in
      _ = try await app.send(.GET, "/login")
      _ = try await app.send(.GET, "/healthz")
      var headers = HTTPHeaders()
      headers.bearerAuthorization = BearerAuthorization(token: "scrape-secret")
      let response = try await app.send(.GET, "/metrics", headers: headers)
      #expect(response.status == .ok)
      #expect(response.headers.contentType?.description.hasPrefix("text/plain") == true)
      let text = response.text
      #expect(text.contains("# TYPE http_requests_total counter"))
      #expect(text.contains("http_request_duration_seconds_bucket"))
      #expect(text.contains("path=\"/login\""))
      #expect(text.contains("mamori_db_pool_connections_max"))
      #expect(text.contains("mamori_db_pool_operations_in_flight"))
      #expect(text.contains("mamori_db_operation_duration_seconds_bucket"))
    }
  }

  @Test("/metrics is off without a configured token, and answers only to that token")
  func metricsToken() async throws {
    try await withApp { app, _ in
      let off = try await app.send(.GET, "/metrics")
      #expect(off.status == .notFound)
    }
    var options = TestOptions()
    options.configure = { settings in settings.metricsToken = "scrape-secret" }
    try await withApp(options) { app, _ in
      let refused = try await app.send(.GET, "/metrics")
      #expect(refused.status == .unauthorized)
      var headers = HTTPHeaders()
      headers.bearerAuthorization = BearerAuthorization(token: "scrape-secret")
      let allowed = try await app.send(.GET, "/metrics", headers: headers)
      #expect(allowed.status == .ok)
    }
  }

  @Test("every migration reverts, leaving an empty database")
  func migrationsRevert() async throws {
    try await withApp { app, _ in
      try await app.autoRevert()
      let sql = app.db as! any SQLDatabase
      let tables: [String]
      if TestDatabase.postgresURL != nil {
        tables = try await sql.raw("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'").all()
          .map { try $0.decode(column: "name", as: String.self) }
      } else {
        tables = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all()
          .map { try $0.decode(column: "name", as: String.self) }
      }
      #expect(tables.filter { $0 != "_fluent_migrations" } == [])
      try await app.autoMigrate()
      #expect(try await User.query(on: app.db).count() == 0)
    }
  }

  /// Answers and evidence written before issue 12 get their assessment's organisation, and the △ and ×
  /// of each organisation's latest round become open actions.
  @Test("the self-check migrations backfill organisations and actions from existing rows")
  func selfCheckBackfill() async throws {
    try await withApp(TestOptions(migrate: false)) { app, _ in
      let all = MamoriMigrations.all
      let first = try #require(all.firstIndex { $0.name == "MamoriWeb.UpdateAssessmentAnswerAddOrganisation" })
      for migration in all[..<first] { try await migration.prepare(on: app.db).get() }
      let sql = app.db as! any SQLDatabase
      let organisation = Organisation(slug: "old", name: "旧データ株式会社")
      try await organisation.create(on: app.db)
      let organisationID = try organisation.requireID()
      // Two rounds written as the earlier schema had them: the latest one's △ and × become actions.
      let older = UUID(), latest = UUID()
      for (id, started) in [(older, "2026-01-10"), (latest, "2026-06-10")] {
        try await sql.insert(into: "assessments")
          .columns("id", "organisation_id", "catalog_id", "catalog_version", "title", "status", "started_on")
          .values(SQLBind(id), SQLBind(organisationID), SQLBind("tics-selfcheck-mamori"), SQLBind(1), SQLBind(started), SQLBind("complete"), SQLBind(started))
          .run()
      }
      for (round, item, answer, owner, due) in [
        (older, "common-1", "no", "古い担当", "2026-02-01"), (latest, "common-1", "yes", "", nil),
        (latest, "common-2", "partial", "総務部 佐藤", "2026-12-31"), (latest, "common-3", "no", "", nil),
      ] as [(UUID, String, String, String, String?)] {
        try await sql.insert(into: "assessment_answers")
          .columns("id", "assessment_id", "item_id", "answer", "note", "owner", "due_on")
          .values(SQLBind(UUID()), SQLBind(round), SQLBind(item), SQLBind(answer), SQLBind(""), SQLBind(owner), SQLBind(due))
          .run()
      }
      try await sql.insert(into: "assessment_evidence")
        .columns("id", "assessment_id", "item_id", "file_name", "content_type", "size", "sha256", "storage_key")
        .values(SQLBind(UUID()), SQLBind(latest), SQLBind("common-1"), SQLBind("a.pdf"), SQLBind("application/pdf"), SQLBind(1), SQLBind("x"), SQLBind("k"))
        .run()
      for migration in all[first...] { try await migration.prepare(on: app.db).get() }

      #expect(try await AssessmentAnswer.query(on: app.db).all().allSatisfy { $0.$organisation.id == organisationID && !$0.carriedOver })
      #expect(try await AssessmentEvidence.query(on: app.db).first()?.$organisation.id == organisationID)
      let actions = try await AssessmentAction.query(on: app.db).sort(\.$itemID).all()
      #expect(actions.map(\.itemID) == ["common-2", "common-3"])
      #expect(actions.allSatisfy { $0.$assessment.id == latest && $0.status == .open && $0.$organisation.id == organisationID })
      #expect(actions.first?.owner == "総務部 佐藤")
      #expect(actions.first?.dueOn == CivilDate(iso: "2026-12-31"))
    }
  }

  @Test("every foreign key has an index that leads with it")
  func foreignKeysIndexed() async throws {
    try await withApp { app, _ in
      let sql = app.db as! any SQLDatabase
      var missing: [String] = []
      if TestDatabase.postgresURL != nil {
        let rows = try await sql.raw(
          """
          SELECT c.conrelid::regclass::text AS "table", a.attname AS "column"
          FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
          WHERE c.contype = 'f' AND NOT EXISTS (
            SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1])
          """
        ).all()
        missing = try rows.map { "\(try $0.decode(column: "table", as: String.self)).\(try $0.decode(column: "column", as: String.self))" }
      } else {
        let tables = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all()
          .map { try $0.decode(column: "name", as: String.self) }
        for table in tables {
          let keys = try await sql.raw("SELECT \"from\" AS col FROM pragma_foreign_key_list(\(bind: table))").all()
            .map { try $0.decode(column: "col", as: String.self) }
          let indexes = try await sql.raw("SELECT name FROM pragma_index_list(\(bind: table))").all()
            .map { try $0.decode(column: "name", as: String.self) }
          var leading: Set<String> = []
          for index in indexes {
            if let first = try await sql.raw("SELECT name FROM pragma_index_info(\(bind: index)) WHERE seqno = 0").first() {
              leading.insert(try first.decode(column: "name", as: String.self))
            }
          }
          missing += keys.filter { !leading.contains($0) }.map { "\(table).\($0)" }
        }
      }
      #expect(missing == [], "foreign keys without an index: \(missing)")
    }
  }

  @Test("migrations name themselves and their tables with literals, not with live model code")
  func migrationsAreLiteral() throws {
    let folder = Repository.root.appendingPathComponent("Sources/MamoriWeb/Migrations")
    for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file != "Migrations.swift" {
      let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
      #expect(!text.contains(".schema)") && !text.contains(".schema,"), "\(file) names a table through a model")
      #expect(text.contains("var name: String { \"MamoriWeb."), "\(file) has no literal migration name")
      #expect(text.contains("func revert"), "\(file) has no revert")
    }
    let names = MamoriMigrations.all.map(\.name)
    #expect(Set(names).count == names.count)
  }

  @Test("an SQLite file runs in WAL mode with a busy timeout and foreign keys on")
  func sqlitePragmas() async throws {
    guard TestDatabase.postgresURL == nil else { return }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("mamori.sqlite").path
    try await withApp(TestOptions(configure: { $0.database = .sqlite(path: path) })) { app, _ in
      #expect(FileManager.default.fileExists(atPath: path))
      for loop in app.eventLoopGroup.makeIterator() {
        let sql = app.databases.database(.sqlite, logger: app.logger, on: loop) as! any SQLDatabase
        let journal = try await sql.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self)
        let timeout = try await sql.raw("PRAGMA busy_timeout").first()?.decode(column: "timeout", as: Int.self)
        let keys = try await sql.raw("PRAGMA foreign_keys").first()?.decode(column: "foreign_keys", as: Int.self)
        #expect(journal == "wal")
        #expect(timeout == 5000)
        #expect(keys == 1)
      }
    }
  }

  @Test("the demo seeds a company of about 120 people with two leavers and five accounts that can sign in")
  func demo() async throws {
    try await withApp(TestOptions(configure: { $0.isDemo = true })) { app, _ in
      let logins = try await DemoSeeder.seed(on: app)
      #expect(logins.map(\.role) == ["admin", "officer", "member", "auditor", "operator"])
      let people = try await Person.query(on: app.db).all()
      #expect((110...130).contains(people.count))
      let today = CivilDate(app.mamori.clock.now(), in: Organisations.defaultTimeZone)
      let leavers = people.filter { $0.status(on: today) == .leaving }
      #expect(leavers.count == 2)
      #expect(leavers.allSatisfy { $0.noticeDate != nil && $0.exitDate != nil })
      #expect(Set(people.map(\.employmentType.rawValue)) == ["employee", "dispatched", "contractor", "executive", "other"])
      let departments = try await Department.query(on: app.db).all().map(\.name)
      for name in ["設計部", "製造部", "品質保証部", "営業部", "総務部"] { #expect(departments.contains(name)) }
      let admin = try #require(logins.first)
      // The password printed is the one stored.
      let user = try #require(try await User.query(on: app.db).filter(\.$email == admin.email).first())
      #expect(try Bcrypt.verify(admin.password, created: user.passwordHash!))
      let browser = try await Fixture.signIn(user, on: app)
      let page = try await app.send(.GET, "/", as: browser)
      #expect(page.text.contains("デモ環境です"))
      #expect(page.text.contains("退職予定者"))

      // Pledges and leaver checklists (decision 127): pledge-missing shows, one of them high; three
      // checklists in progress, the adviser's with overdue items.
      let demoOrganisation = try #require(user.$organisation.id)
      let found = try await AssetRegister.findings(organisationID: demoOrganisation, today: today, on: app.db).findings
      #expect(found.contains { $0.kind == .pledgeMissing && $0.severity == .high })
      #expect(found.contains { $0.kind == .pledgeMissing && $0.outdated })
      let cases = try await LeaverCase.query(on: app.db).all()
      #expect(cases.count == 3 && cases.allSatisfy { $0.status == .open })
      let overdue = try await LeaverTask.query(on: app.db).all().filter { $0.isOverdue(on: today) }
      #expect(Set(overdue.map(\.kind)).contains(.revokeAccess))
      #expect(try await LeaverTask.query(on: app.db).filter(\.$doneOn != nil).count() > 0)
      let leaversPage = try await app.send(.GET, "/leavers", as: browser)
      #expect(leaversPage.status == .ok && leaversPage.text.contains("class=\"overdue\""))

      // Two completed self-checks months apart that show progress, and one in progress.
      let assessments = try await Assessment.query(on: app.db).sort(\.$startedOn).all()
      #expect(assessments.map(\.isComplete) == [true, true, false])
      let tics = try #require(app.mamori.checklists.first { $0.id == "tics-selfcheck-mamori" })
      var overall: [Double] = []
      for assessment in assessments {
        let entries = try await Assessments.entries(of: assessment, on: app.db)
        if assessment.isComplete { #expect(entries.count == tics.items.count) } else { #expect(entries.count < tics.items.count) }
        overall.append(try #require(Scoring.score(tics, answers: entries.compactMapValues(\.answerID)).overall))
      }
      #expect(overall[0] < overall[1])
      let first = assessments[0].startedOn
      let second = assessments[1].startedOn
      #expect(first.days(until: second) >= 90)
      let list = try await app.send(.GET, "/assessments", as: browser)
      #expect(list.text.contains("回答中"))
    }
  }
}
