import Fluent
import Foundation
import MamoriCore
import Testing
import Vapor
import VaporTesting
import Yams

@testable import MamoriWeb

@Suite("Route table", .timeLimit(.minutes(5)))
struct RouteTableTests {
  @Test("every route declares who may use it")
  func everyRouteHasAnAccessRule() async throws {
    try await withApp { app, _ in
      let routes = app.routes.all
      #expect(routes.count > 60)
      let missing = routes.filter { $0.accessRule == nil }.map { "\($0.method) /\($0.path.string)" }
      #expect(missing.isEmpty, "routes without an access rule: \(missing)")
    }
  }

  @Test("the OpenAPI document lists exactly the registered API routes")
  func openAPIMatchesRoutes() async throws {
    try await withApp { app, _ in
      let text = try String(contentsOf: Repository.resources.appendingPathComponent("OpenAPI/openapi.yaml"), encoding: .utf8)
      let document = try #require(try Yams.load(yaml: text) as? [String: Any])
      let paths = try #require(document["paths"] as? [String: Any])
      var documented: Set<String> = []
      for (path, item) in paths {
        let operations = try #require(item as? [String: Any])
        for method in operations.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
          let pattern = path.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: "")
          documented.insert("\(method.uppercased()) /api/v1\(pattern)")
        }
      }
      let registered = Set(
        app.routes.all.map { "\($0.method.rawValue) /\($0.path.map(\.description).joined(separator: "/"))" }
          .filter { $0.contains(" /api/") })
      #expect(registered.subtracting(documented).sorted() == [], "registered but not documented")
      #expect(documented.subtracting(registered).sorted() == [], "documented but not registered")
    }
  }

  /// For every route that takes an id, a user of organisation A (holding a role the route allows) asks
  /// for organisation B's record and must get 404, and B's record must be unchanged afterwards.
  @Test("a user of one organisation gets 404 for another organisation's records on every route with an id")
  func crossTenantRequestsAreNotFound() async throws {
    try await withApp { app, _ in
      let a = try await Fixture.tenant("tenant-a", on: app)
      let b = try await Fixture.tenant("tenant-b", on: app)
      let bodyX = try await Fixture.body("body-x", on: app)
      let bodyY = try await Fixture.body("body-y", on: app)
      let operatorUser = try await Fixture.operatorUser(on: app)
      let grantB = try await Fixture.grant(bodyY.body, by: b, on: app)
      _ = try await Fixture.grant(bodyX.body, by: a, on: app)
      let tokenB = try await ApiTokens.issue(name: "b", for: b.admin.id!, expiresAt: nil, on: app.db, now: app.mamori.clock.now())

      // The other tenant's record for each kind of id a route can take. A new kind of id must be added
      // here, which makes its author think about who may see it.
      let tics = try #require(app.mamori.checklists.first { $0.id == "tics-selfcheck-mamori" })
      let assessmentB = try await Assessments.start(
        catalog: tics, title: "B", organisationID: b.organisationID, actor: .system, today: CivilDate(iso: "2026-11-01")!, now: app.mamori.clock.now(),
        on: app.db)
      let answerB = try await Assessments.save(
        assessmentB, catalog: tics, itemID: tics.items[0].id, answer: "yes", note: "B's note", owner: "", due: "", actor: .system, now: app.mamori.clock.now(),
        on: app.db)
      _ = try await Assessments.save(
        assessmentB, catalog: tics, itemID: tics.items[1].id, answer: "partial", note: "", owner: "B's owner", due: "2027-01-31",
        actor: .system, now: app.mamori.clock.now(), on: app.db)
      let actionB = try #require(try await AssessmentAction.query(on: app.db).filter(\.$organisation.$id == b.organisationID).first())
      let actionEvidenceB = AssessmentActionEvidence(
        actionID: actionB.id!, organisationID: b.organisationID, fileName: "b.pdf", contentType: "application/pdf", size: 9, sha256: "x",
        storageKey: UUID().uuidString.lowercased(), uploadedBy: nil)
      try await actionEvidenceB.create(on: app.db)
      let evidenceB = AssessmentEvidence(
        assessmentID: assessmentB.id!, organisationID: b.organisationID, itemID: tics.items[0].id, fileName: "b.pdf", contentType: "application/pdf", size: 9,
        sha256: "x", storageKey: UUID().uuidString.lowercased(), uploadedBy: nil)
      try await evidenceB.create(on: app.db)
      let assetB = try await AssetRegister.saveAsset(
        AssetDraft(code: "B-1", name: "B's asset", location: "/b/", level: "secret"), ownerID: b.person.id, into: nil,
        organisationID: b.organisationID, actor: .system, now: app.mamori.clock.now(), on: app.db)
      let grantOfB = try await AssetRegister.grant(
        GrantDraft(grantedOn: "2026-01-01"), personID: b.person.id, to: assetB, grantedBy: nil, organisationID: b.organisationID,
        today: CivilDate(iso: "2026-11-01")!, actor: .system, now: app.mamori.clock.now(), on: app.db)
      let assignmentB = try await Training.assign(
        .init(course: Training.builtInPrefix + "meti-technology-outflow-basics", scope: "everyone", departmentID: "", employmentType: "", assignedOn: ""),
        builtIn: app.mamori.courses, organisationID: b.organisationID, assignedBy: nil, today: CivilDate(iso: "2026-11-01")!, actor: .system,
        now: app.mamori.clock.now(), on: app.db)
      let reviewB = try await AccessReviews.open(
        AccessReviewDraft(name: "B", dueOn: "2026-12-31"), organisationID: b.organisationID, createdBy: nil,
        today: CivilDate(iso: "2026-11-01")!, actor: .system, now: app.mamori.clock.now(), on: app.db)
      let reviewItemB = try #require(try await AccessReviewItem.query(on: app.db).filter(\.$review.$id == reviewB.requireID()).first())
      // Pledges and leavers (issue 9): B's pledge and B's leaver case.
      let pledgeB = try await Pledges.record(
        PledgeDraft(kind: "joining", signedOn: "2026-01-01"), scan: Pledges.Scan(data: Data("%PDF-1.7 B".utf8), fileName: "b.pdf"),
        person: b.person, recordedBy: nil, organisationID: b.organisationID, today: CivilDate(iso: "2026-11-01")!, actor: .system,
        now: app.mamori.clock.now(), files: app.mamori.files, on: app.db)
      let pledgeRequestB = try await PledgeRequests.request(
        PledgeRequestDraft(kind: "joining", dueOn: "2026-11-30"), person: b.person,
        by: .init(userID: nil, principal: Principal(role: .officer, isOperator: false), personID: nil), organisationID: b.organisationID,
        today: CivilDate(iso: "2026-11-01")!, catalog: app.mamori.catalog, audit: .system, now: app.mamori.clock.now(), on: app.db)
      let leaverPerson = try #require(try await Person.find(b.person.id, on: app.db))
      leaverPerson.exitDate = CivilDate(iso: "2026-12-31")
      try await leaverPerson.save(on: app.db)
      try await Leavers.sync(person: leaverPerson, hadDates: false, actor: .system, now: app.mamori.clock.now(), on: app.db)
      let caseB = try #require(try await LeaverCase.query(on: app.db).filter(\.$organisation.$id == b.organisationID).first())
      // Own courses and attendance (issue 9, continued): B's completion of its course.
      let completionB = try await Training.recordAttendance(
        .init(personIDs: [b.person.id!.uuidString], heldOn: "2026-11-01"), course: try #require(try await TrainingCourse.find(assignmentB.$course.id, on: app.db)),
        recordedBy: nil, organisationID: b.organisationID, today: CivilDate(iso: "2026-11-01")!, actor: .system, now: app.mamori.clock.now(),
        on: app.db)[0]
      let foreign: [String: String] = [
        "userID": b.member.id!, "personID": b.person.id!, "departmentID": b.department.id!, "accessID": grantB.id!,
        "tokenID": tokenB.token.id!, "organisationID": b.organisationID, "bodyID": bodyY.body.id!,
        "assessmentID": assessmentB.id!, "evidenceID": evidenceB.id!, "assetID": assetB.id!, "grantID": grantOfB.id!, "actionID": actionB.id!,
        "assignmentID": assignmentB.id!, "courseID": assignmentB.$course.id,
        "reviewID": reviewB.id!, "reviewItemID": reviewItemB.id!,
        "pledgeID": pledgeB.id!, "caseID": caseB.id!,
        "actionEvidenceID": actionEvidenceB.id!,
        "pledgeRequestID": pledgeRequestB.id!,
        "completionID": completionB.id!,
        "taskID": try #require(try await LeaverTask.query(on: app.db).filter(\.$leaverCase.$id == caseB.requireID()).first()).id!,
      ].mapValues { $0.uuidString.lowercased() }.merging(["sectionID": tics.items[0].sectionID!]) { first, _ in first }
      var checked = 0
      for route in app.routes.all {
        let parameters = route.path.compactMap { component -> String? in
          if case .parameter(let name) = component { return name } else { return nil }
        }
        guard !parameters.isEmpty, let rule = route.accessRule else { continue }
        // One-time link tokens are secrets, not record ids.
        if parameters.allSatisfy({ ["setupToken", "accountToken"].contains($0) }) { continue }
        for parameter in parameters {
          #expect(foreign[parameter] != nil, "no cross-tenant fixture for :\(parameter) of \(route.path.string)")
        }
        let path = "/" + route.path.map { component -> String in
          if case .parameter(let name) = component { return foreign[name] ?? name }
          return component.description
        }.joined(separator: "/")

        // The most privileged user of tenant A (or of body X) that the route's rule lets in.
        let actor: User
        if rule.allows(Principal(role: .auditor, isOperator: false)) && !rule.allows(Principal(role: .admin, isOperator: false)) {
          actor = bodyX.auditor
        } else {
          // An operator-only route gets a non-operator admin: the route must not reveal the record.
          actor = a.admin
        }
        let status: HTTPResponseStatus
        if route.path.first?.description == "api" {
          let token = try await ApiTokens.issue(name: "t", for: actor.id!, expiresAt: nil, on: app.db, now: app.mamori.clock.now())
          let json: [String: any Sendable]? = [.POST, .PATCH, .PUT].contains(route.method) ? ["name": "x"] : nil
          status = try await app.api(route.method, path, token: token.secret, json: json).status
        } else {
          let browser = try await Fixture.signIn(actor, on: app)
          let form: [String: String]? =
            route.method == .GET
            ? nil : ["name": "x", "code": "x", "role": "member", "item": "common-1", "answer": "no", "title": "x", "status": "done", "owner": "x"]
          status = try await app.send(route.method, path, as: browser, form: form).status
        }
        #expect(status == .notFound, "\(route.method) \(route.path.string) as \(actor.email) answered \(status.code)")
        checked += 1
      }
      #expect(checked >= 25)
      _ = operatorUser

      // Nothing of tenant B changed.
      let person = try #require(try await Person.find(b.person.id, on: app.db))
      #expect(person.code == "E001")
      #expect(try await AssessmentActionEvidence.find(actionEvidenceB.id, on: app.db) != nil)
      #expect(try await Department.find(b.department.id, on: app.db) != nil)
      let member = try #require(try await User.find(b.member.id, on: app.db))
      #expect(member.role == .member && member.status == .active)
      let grant = try #require(try await AuditAccess.find(grantB.id, on: app.db))
      #expect(grant.revokedAt == nil)
      let token = try #require(try await ApiToken.find(tokenB.token.id, on: app.db))
      #expect(token.revokedAt == nil)
      let assessment = try #require(try await Assessment.find(assessmentB.id, on: app.db))
      #expect(!assessment.isComplete)
      #expect(try await Assessments.entries(of: assessment, on: app.db)[tics.items[0].id] == answerB)
      #expect(try await AssessmentEvidence.find(evidenceB.id, on: app.db) != nil)
      let assetAfter = try #require(try await Asset.find(assetB.id, on: app.db))
      #expect(assetAfter.name == "B's asset")
      let grantAfter = try #require(try await Grant.find(grantOfB.id, on: app.db))
      #expect(grantAfter.revokedOn == nil)
      let action = try #require(try await AssessmentAction.find(actionB.id, on: app.db))
      #expect(action.owner == "B's owner" && action.status == .open && action.note == "")
      #expect(try await TrainingAssignment.find(assignmentB.id, on: app.db) != nil)
      #expect(try await TrainingCompletion.query(on: app.db).count() == 1)
      #expect(try await TrainingCompletion.find(completionB.id, on: app.db) != nil)
      let courseAfter = try #require(try await TrainingCourse.find(assignmentB.$course.id, on: app.db))
      #expect(courseAfter.retiredOn == nil && courseAfter.title == app.mamori.courses.first { $0.id == courseAfter.catalogID }?.title.ja)
      #expect(try await AccessReview.find(reviewB.id, on: app.db)?.closedOn == nil)
      #expect(try await AccessReviewItem.find(reviewItemB.id, on: app.db)?.decision == nil)
      #expect(try await Pledge.find(pledgeB.id, on: app.db) != nil)
      #expect(try await LeaverTask.query(on: app.db).filter(\.$organisation.$id == b.organisationID).filter(\.$doneOn != nil).count() == 0)
      #expect(try await Grant.find(grantOfB.id, on: app.db)?.revokedOn == nil)
      let requestAfter = try #require(try await PledgeRequest.find(pledgeRequestB.id, on: app.db))
      #expect(requestAfter.acknowledgedAt == nil && requestAfter.$pledge.id == nil)
    }
  }
}

/// Every route × every kind of user, written out as data (`__Snapshots__/access-table.txt`), so that
/// widening or narrowing any rule changes a reviewed file; and each refusal checked by a real request.
@Suite("Access table", .timeLimit(.minutes(5)))
struct AccessTableTests {
  static let principals: [(String, Principal?)] = [
    ("visitor", nil), ("member", Principal(role: .member, isOperator: false)),
    ("officer", Principal(role: .officer, isOperator: false)), ("admin", Principal(role: .admin, isOperator: false)),
    ("auditor", Principal(role: .auditor, isOperator: false)), ("operator", Principal(role: nil, isOperator: true)),
  ]

  @Test("who may use each route, by role and method, is exactly the reviewed table")
  func table() async throws {
    try await withApp { app, _ in
      let lines = app.routes.all.map { route -> String in
        let rule = route.accessRule ?? .can(.visit)
        let allowed = Self.principals.filter { rule.allows($0.1) }.map(\.0)
        return "\(route.method.rawValue) /\(route.path.map(\.description).joined(separator: "/")): \(allowed.joined(separator: " "))"
      }.sorted()
      try assertSnapshot(lines.joined(separator: "\n") + "\n", named: "access-table.txt")
    }
  }

  @Test("every refusal is enforced: sign-in or 401 for visitors, 403 without an id, 404 with one")
  func refusalsEnforced() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let body = try await Fixture.body("jqa", on: app)
      let operatorUser = try await Fixture.operatorUser(on: app)
      var users: [String: User] = [
        "member": tenant.member, "officer": tenant.officer, "admin": tenant.admin, "auditor": body.auditor, "operator": operatorUser,
      ]
      users["visitor"] = nil
      var checked = 0
      for route in app.routes.all {
        let rule = try #require(route.accessRule)
        let takesID = route.path.contains { if case .parameter = $0 { return true } else { return false } }
        let path = "/" + route.path.map { component -> String in
          if case .parameter = component { return UUID().uuidString.lowercased() }
          return component.description
        }.joined(separator: "/")
        let isAPI = route.path.first?.description == "api"
        for (name, principal) in Self.principals where !rule.allows(principal) {
          let status: HTTPResponseStatus
          if let user = users[name] {
            if isAPI {
              let token = try await ApiTokens.issue(name: "t", for: user.id!, expiresAt: nil, on: app.db, now: app.mamori.clock.now())
              status = try await app.api(route.method, path, token: token.secret).status
            } else {
              let browser = try await Fixture.signIn(user, on: app)
              let form: [String: String]? = route.method == .GET ? nil : [:]
              status = try await app.send(route.method, path, as: browser, form: form).status
            }
            #expect(status == (takesID ? .notFound : .forbidden), "\(name) \(route.method) \(path) → \(status)")
          } else {
            status = isAPI ? try await app.api(route.method, path, token: nil).status : try await app.send(route.method, path).status
            let expected: [HTTPResponseStatus] = isAPI ? [.unauthorized] : (route.method == .GET ? [.seeOther] : [.seeOther, .forbidden])
            #expect(expected.contains(status), "visitor \(route.method) \(path) → \(status)")
          }
          checked += 1
        }
      }
      #expect(checked > 200)
    }
  }
}

@Suite("Navigation of an administrator who also runs the platform", .timeLimit(.minutes(5)))
struct PlatformNavigationTests {
  @Test("the organisation's menu with one platform link at its end, and no platform figures on the home page")
  func dualRole() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let owner = try await HardeningTests().makeOperatorAdmin(tenant, on: app)
      let browser = try await Fixture.signIn(owner, on: app)
      let home = try await app.send(.GET, "/", as: browser)
      #expect(home.status == .ok)
      #expect(home.text.contains("href=\"/admin/organisations\">プラットフォーム運用</a>"))
      #expect(!home.text.contains("事業者の管理</a>") && !home.text.contains("認証機関の管理</a>"))
      #expect(!home.text.contains("アカウント総数"), "platform figures stay off an organisation's home page")
      // The platform's pages stay where they were, and the link shows where the operator is.
      let platform = try await app.send(.GET, "/admin/bodies", as: browser)
      #expect(platform.status == .ok)
      #expect(platform.text.contains("aria-current=\"page\"") && platform.text.contains("プラットフォーム運用"))
    }
  }
}
