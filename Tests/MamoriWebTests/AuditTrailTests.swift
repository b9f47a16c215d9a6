import Fluent
import Foundation
import MamoriCore
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

@Suite("Audit trail", .timeLimit(.minutes(3)))
struct AuditTrailTests {
  func entries(_ app: Application, _ organisationID: UUID) async throws -> [AuditRecord] {
    try await AuditTrail.entries(chain: AuditEvent.chain(organisationID), on: app.db)
  }

  @Test("changes made by page and API land in the organisation's chain with before and after, and verify")
  func changesAreRecorded() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let created = try await app.send(.POST, "/departments", as: officer, form: ["code": "qa", "name": "品質保証部"])
      #expect(created.status == .seeOther)
      let department = try #require(try await Department.query(on: app.db).filter(\.$code == "qa").first())
      let renamed = try await app.send(
        .POST, "/departments/\(department.id!)", as: officer, form: ["code": "qa", "name": "品質管理部"])
      #expect(renamed.status == .seeOther)
      let token = try await ApiTokens.issue(name: "t", for: try tenant.officer.requireID(), expiresAt: nil, on: app.db, now: Date())
      let deleted = try await app.api(.DELETE, "/api/v1/departments/\(department.id!)", token: token.secret)
      #expect(deleted.status == .noContent)

      let records = try await entries(app, tenant.organisationID)
      #expect(records.map(\.action) == ["department.create", "department.update", "department.delete"])
      #expect(records.allSatisfy { $0.actor == "officer@acme.example" && $0.recordID == department.id!.uuidString.lowercased() })
      #expect(records[0].before == nil && records[0].after?.contains("品質保証部") == true)
      #expect(records[1].before?.contains("品質保証部") == true && records[1].after?.contains("品質管理部") == true)
      #expect(records[2].after == nil)
      #expect(AuditChain.verify(records) == .intact(count: 3))
      let reports = try await AuditCommands.verify(organisationSlug: "acme", on: app)
      #expect(reports == [AuditCommands.ChainReport(name: "acme", verdict: .intact(count: 3))])
    }
  }

  @Test("sign-ins, failures, exports and auditors' reads are entries too; password hashes never are")
  func securityEvents() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let body = try await Fixture.body("jqa", on: app)
      let grant = try await Fixture.grant(body.body, by: tenant, on: app)
      let auditor = try await Fixture.signIn(body.auditor, on: app)
      #expect(try await app.send(.GET, "/audits/\(grant.id!)", as: auditor).status == .ok)
      let page = try await app.send(.GET, "/login")
      let csrf = try #require(page.text.firstMatch(of: /name="_csrf" value="([^"]+)"/)?.1)
      var headers = HTTPHeaders()
      headers.add(name: .cookie, value: "\(CSRFMiddleware.cookieName)=\(page.cookie(CSRFMiddleware.cookieName)!)")
      _ = try await app.send(
        .POST, "/login", form: ["_csrf": String(csrf), "email": "admin@acme.example", "password": "wrong wrong wrong"],
        headers: headers)
      _ = try await app.send(
        .POST, "/login", form: ["_csrf": String(csrf), "email": "admin@acme.example", "password": testPassword], headers: headers)
      let admin = try await Fixture.signIn(tenant.admin, on: app)
      let export = try await app.send(.GET, "/organisation/audit-trail/export?format=csv", as: admin)
      #expect(export.status == .ok)
      #expect(export.text.hasPrefix("\u{FEFF}seq,at,actor,action,record_type,record_id,before,after,prev_hash,hash"))
      let actions = try await entries(app, tenant.organisationID).map(\.action)
      #expect(actions.contains("audit.read"))
      #expect(actions.contains("auth.sign_in_failed"))
      #expect(actions.contains("auth.sign_in"))
      #expect(actions.last == "audit.export")
      let everything = try await AuditEntry.query(on: app.db).all()
      #expect(!everything.contains { ($0.after ?? "").contains("$2") || ($0.before ?? "").contains("$2") }, "no bcrypt hash")
    }
  }

  @Test("the trail page: officers and admins of the organisation only, filtered, never another tenant's entries")
  func page() async throws {
    try await withApp { app, _ in
      let acme = try await Fixture.tenant("acme", on: app)
      let beta = try await Fixture.tenant("beta", on: app)
      let acmeOfficer = try await Fixture.signIn(acme.officer, on: app)
      let betaOfficer = try await Fixture.signIn(beta.officer, on: app)
      _ = try await app.send(.POST, "/departments", as: acmeOfficer, form: ["code": "acme-only", "name": "ACME"])
      _ = try await app.send(.POST, "/departments", as: betaOfficer, form: ["code": "beta-only", "name": "BETA"])
      let page = try await app.send(.GET, "/organisation/audit-trail", as: acmeOfficer)
      #expect(page.status == .ok)
      #expect(page.text.contains("acme-only"))
      #expect(!page.text.contains("beta-only"))
      #expect(page.text.contains("改ざんされていません"))
      let filtered = try await app.send(.GET, "/organisation/audit-trail?kind=person", as: acmeOfficer)
      #expect(!filtered.text.contains("acme-only"))
      // Unfiltered, the count shown is the chain's tail (decision 194); it must be the number of entries.
      let chain = AuditEvent.chain(acme.organisationID)
      let count = try await AuditEntry.query(on: app.db).filter(\.$chain == chain).count()
      #expect(page.text.contains("\(count)件（"))
      let departments = try await AuditEntry.query(on: app.db).filter(\.$chain == chain).filter(\.$action =~ "department.").count()
      let byKind = try await app.send(.GET, "/organisation/audit-trail?kind=department", as: acmeOfficer)
      #expect(byKind.text.contains("\(departments)件（"))
      let member = try await Fixture.signIn(acme.member, on: app)
      #expect(try await app.send(.GET, "/organisation/audit-trail", as: member).status == .forbidden)
      #expect(try await app.send(.GET, "/organisation/audit-trail/export", as: member).status == .forbidden)
      let csv = try await app.send(.GET, "/organisation/audit-trail/export?format=csv", as: betaOfficer)
      #expect(!csv.text.contains("acme-only"))
    }
  }

  @Test("an edited, a deleted and a reordered row are each reported by verify, naming the first bad entry")
  func tampering() async throws {
    for tamper in ["edit", "delete", "swap"] {
      try await withApp { app, _ in
        let tenant = try await Fixture.tenant("acme", on: app)
        let officer = try await Fixture.signIn(tenant.officer, on: app)
        for index in 0..<4 {
          _ = try await app.send(.POST, "/departments", as: officer, form: ["code": "d\(index)", "name": "部署\(index)"])
        }
        let sql = app.db as! any SQLDatabase
        let chain = AuditEvent.chain(tenant.organisationID)
        switch tamper {
        case "edit":
          try await sql.update("audit_entries").set("after", to: #"{"name":"forged"}"#).where("chain", .equal, chain)
            .where("seq", .equal, 2).run()
        case "delete":
          try await sql.delete(from: "audit_entries").where("chain", .equal, chain).where("seq", .equal, 2).run()
        default:
          try await sql.update("audit_entries").set("seq", to: 99).where("chain", .equal, chain).where("seq", .equal, 2).run()
          try await sql.update("audit_entries").set("seq", to: 2).where("chain", .equal, chain).where("seq", .equal, 3).run()
          try await sql.update("audit_entries").set("seq", to: 3).where("chain", .equal, chain).where("seq", .equal, 99).run()
        }
        let reports = try await AuditCommands.verify(organisationSlug: "acme", on: app)
        guard case .broken(let seq, let reason)? = reports.first?.verdict else {
          Issue.record("\(tamper) was not detected")
          return
        }
        #expect(seq == 2, "\(tamper): \(reason)")
        let page = try await app.send(.GET, "/organisation/audit-trail", as: officer)
        #expect(page.text.contains("検証に失敗"))
      }
    }
  }

  @Test("many writers at once never fork a chain")
  func concurrentAppends() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let organisationID = tenant.organisationID
      try await withThrowingTaskGroup(of: Void.self) { group in
        for index in 0..<12 {
          group.addTask {
            _ = try await Register.saveDepartment(
              code: "c\(index)", name: "部署\(index)", into: nil, organisationID: organisationID, actor: .system, now: Date(), on: app.db)
          }
        }
        try await group.waitForAll()
      }
      let records = try await entries(app, organisationID)
      #expect(records.count == 12)
      #expect(AuditChain.verify(records) == .intact(count: 12))
    }
  }

  @Test("the export contract: jsonl and csv with the issue's columns")
  func exportFormats() throws {
    var first = AuditChain.seal(
      AuditRecord(
        chain: "c", seq: 0, atMillis: 1_795_000_000_123, actor: "a@b.example", actorID: nil, clientAddress: "x", action: "person.update",
        recordType: "person", recordID: "p1", before: #"{"n":1}"#, after: "=cmd()", prevHash: ""), after: nil)
    first.after = #"{"n":2}"#
    first.hash = AuditChain.hash(first)
    let jsonl = AuditCommands.lines([first], format: .jsonl)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(jsonl[0].utf8)) as? [String: Any])
    #expect(Set(object.keys) == Set(AuditCommands.columns))
    #expect(object["at"] as? String == "2026-11-18T11:06:40.123Z")
    #expect((object["after"] as? [String: Any])?["n"] as? Int == 2)
    let csv = AuditCommands.lines([first], format: .csv)
    #expect(csv[0] == AuditCommands.columns.joined(separator: ","))
    #expect(AuditCommands.csvField("=cmd()") == "'=cmd()")
  }
}

@Suite("Layers", .timeLimit(.minutes(5)))
struct LayerTests {
  /// Controllers decode, call a domain operation and present; writing is the domain's job, so that a
  /// change and its audit entry can never be separated by a handler that forgot one.
  @Test("no controller or page handler writes to the database itself")
  func controllersDoNotWrite() throws {
    let writes = [".save(on:", ".create(on:", ".delete(on:", ".update(on:", ".delete()", ".update()", ".transaction", ".run()"]
    // Pages live in folders under Views/ (handlers beside their view models), the rest in Controllers/.
    for (name, minimum) in [("Controllers", 10), ("Views", 10)] {
      let folder = Repository.root.appendingPathComponent("Sources/MamoriWeb/\(name)")
      let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
      #expect(files.count > minimum)
      for file in files {
        let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
          for write in writes where line.contains(write) {
            Issue.record("\(name)/\(file):\(number + 1) writes (\(write)); move it into a domain operation")
          }
        }
      }
    }
  }

  /// MamoriCore stays free of the web stack, so that the CLI's pure parts and the tests need none of it.
  @Test("MamoriCore imports neither Vapor nor Fluent")
  func coreIsPure() throws {
    let folder = Repository.root.appendingPathComponent("Sources/MamoriCore")
    for file in try FileManager.default.subpathsOfDirectory(atPath: folder.path) where file.hasSuffix(".swift") {
      let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
      for module in ["Vapor", "Fluent", "FluentKit", "SQLKit", "Leaf"] {
        #expect(!text.contains("import \(module)\n"), "MamoriCore/\(file) imports \(module)")
      }
    }
  }
}

@Suite("Password links", .timeLimit(.minutes(5)))
struct PasswordLinkTests {
  struct FailingMailer: Mailer {
    func send(_ message: MailMessage) async throws { throw SMTPError.timeout(command: "DATA", seconds: 1) }
  }

  @Test("a link whose mail fails is shown to be passed on by hand; a disabled account gets no link and cannot use an old one")
  func mailFailureAndDisabled() async throws {
    var options = TestOptions()
    options.mailerOverride = FailingMailer()
    try await withApp(options) { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let admin = try await Fixture.signIn(tenant.admin, on: app)
      let memberID = try tenant.member.requireID()
      let issued = try await app.send(.POST, "/organisation/users/\(memberID)/password-link", as: admin, form: [:])
      #expect(issued.status == .ok)
      #expect(issued.text.contains(app.mamori.catalog.text("link.mail_failed", .ja)))
      let link = try #require(issued.text.firstMatch(of: /id="issued-link">[^<]*(\/set-password\/[A-Za-z0-9_-]+)</)?.1)
      // Other sessions of the account end when the password is set.
      let otherSession = try await Fixture.signIn(tenant.member, on: app)
      tenant.member.status = .disabled
      try await tenant.member.save(on: app.db)
      #expect(try await app.send(.GET, String(link)).status == .notFound, "a disabled account's link is refused")
      tenant.member.status = .active
      try await tenant.member.save(on: app.db)
      let page = try await app.send(.GET, "/login")
      let csrf = try #require(page.text.firstMatch(of: /name="_csrf" value="([^"]+)"/)?.1)
      var headers = HTTPHeaders()
      headers.add(name: .cookie, value: "\(CSRFMiddleware.cookieName)=\(page.cookie(CSRFMiddleware.cookieName)!)")
      let set = try await app.send(
        .POST, String(link),
        form: ["_csrf": String(csrf), "display_name": "m", "password": "a brand new passphrase", "password_confirmation": "a brand new passphrase"],
        headers: headers)
      #expect(set.status == .seeOther)
      #expect(try await app.send(.GET, "/account", as: otherSession).status == .seeOther, "the other session ended")
    }
  }
}
