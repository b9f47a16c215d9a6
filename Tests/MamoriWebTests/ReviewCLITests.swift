import Foundation
import MamoriCore
import Testing

@testable import mamori

extension CLITests {
  @Test("reviews open and list on the same database as serve; bad input and unknown organisations are misuse")
  func reviewsCommands() async throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var postgres: (url: String, drop: @Sendable () async throws -> Void)?
    if let base = TestDatabase.postgresURL { postgres = try await TestDatabase.makePostgres(base: base) }
    let databaseURL = postgres?.url
    defer { if let drop = postgres?.drop { Task { try? await drop() } } }
    func run(_ arguments: [String]) throws -> Run { try self.run(arguments, dataDirectory: folder, databaseURL: databaseURL) }
    #expect(try run(["migrate"]).status == 0)
    #expect(try run(["org", "create", "kobe-kikai", "神戸機械株式会社"]).status == 0)
    let fixtures = Repository.root.appendingPathComponent("Tests/Fixtures/register")
    for (kind, name) in [("people", "people-cp932.csv"), ("assets", "assets-utf8-bom.csv"), ("grants", "grants.csv")] {
      let imported = try run(["import", "--org", "kobe-kikai", kind, fixtures.appendingPathComponent(name).path])
      #expect(imported.status == 0, "\(imported.stderr)")
    }
    #expect(try run(["reviews", "list", "--org", "kobe-kikai", "--format", "json"]).stdout == "[]\n")

    let today = CivilDate(Date(), in: TimeZone(identifier: "Asia/Tokyo")!)
    let due = today.adding(days: 14).iso
    let opened = try run(["reviews", "open", "--org", "kobe-kikai", "--name", "FY2026 Q3", "--due", due, "--format", "json"])
    #expect(opened.status == 0, "\(opened.stderr)")
    #expect(opened.stdout.hasPrefix(#"{"name":"FY2026 Q3","starts_on":"\#(today.iso)","due_on":"\#(due)","closed_on":null,"state":"running","decided":0,"total":"#))
    let again = try run(["reviews", "open", "--org", "kobe-kikai", "--name", "Again", "--due", due])
    #expect(again.status == 2 && again.stderr.contains("name: An access review is running."), "\(again.stderr)")
    let list = try run(["reviews", "list", "--org", "kobe-kikai"])
    #expect(list.status == 0 && list.stdout.contains("FY2026 Q3") && list.stdout.contains("running") && list.stdout.hasSuffix("1 campaign(s)\n"))
    let json = try run(["reviews", "list", "--org", "kobe-kikai", "--format", "json"])
    #expect(json.stdout.hasPrefix("[\n{\"name\":\"FY2026 Q3\""))

    let past = try run(["reviews", "open", "--org", "other", "--name", "X", "--due", due])
    #expect(past.status == 2 && past.stderr.contains("no organisation with slug other"))
    let missing = try run(["reviews", "open", "--org", "kobe-kikai", "--name", "X"])
    #expect(missing.status == 2 && missing.stderr.contains("--due"))
    let audit = try run(["audit", "verify", "--org", "kobe-kikai"])
    #expect(audit.status == 0, "\(audit.stderr)")
  }
}
