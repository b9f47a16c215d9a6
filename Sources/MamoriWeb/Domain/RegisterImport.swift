import Fluent
import Foundation
import MamoriCore
import SQLKit
import Vapor

/// Import and export of the register's people, assets and grants as CSV or `.xlsx`, for the command
/// line (and, later, the pages). An import is all or nothing: every row is checked first and every problem
/// reported with its line; only a file without problems is written, in one transaction, each change
/// with its audit entry.
enum RegisterImport {
  struct Report: Sendable, Equatable {
    var created = 0
    var updated = 0
    var unchanged = 0
    var unknownColumns: [String] = []
    var createdDepartments: [String] = []
  }

  /// Imports a CSV file or an `.xlsx` workbook (by its name's extension or its content).
  static func run(
    _ file: RegisterFile, data: Data, fileName: String, encoding: TextEncodingChoice, organisationID: UUID, today: CivilDate,
    actor: AuditActor, now: Date, on database: any Database
  ) async throws -> Report {
    let table = try RegisterSheet.table(data, fileName: fileName, file: file, encoding: encoding)
    return try await apply(
      file, rows: try RegisterCSV.rows(table, file: file), organisationID: organisationID, today: today, actor: actor, now: now,
      on: database)
  }

  /// Checks the rows read from a file against the register and, when none has a problem, writes them.
  static func apply(
    _ file: RegisterFile, rows: RegisterCSV.Rows, organisationID: UUID, today: CivilDate, actor: AuditActor, now: Date,
    on database: any Database
  ) async throws -> Report {
    var report: Report
    switch file {
    case .people: report = try await people(rows, organisationID: organisationID, actor: actor, now: now, on: database)
    case .assets: report = try await assets(rows, organisationID: organisationID, actor: actor, now: now, on: database)
    case .grants: report = try await grants(rows, organisationID: organisationID, today: today, actor: actor, now: now, on: database)
    }
    report.unknownColumns = rows.unknownColumns
    return report
  }

  static func issues(_ issues: [ValidationIssue], line: Int) -> [ImportProblem] {
    issues.map { ImportProblem(line: line, column: $0.field, key: $0.key, arguments: $0.arguments) }
  }

  static func date(_ values: [String: String], _ column: String, line: Int, into problems: inout [ImportProblem]) -> String {
    let text = values[column] ?? ""
    guard let parsed = RegisterCSV.date(text) else {
      problems.append(ImportProblem(line: line, column: column, key: "register_import.date", arguments: ["value": text]))
      return ""
    }
    return parsed?.iso ?? ""
  }

  static func append(
    _ action: String, _ type: String, id: UUID, before: String?, after: String, organisationID: UUID, actor: AuditActor, now: Date,
    on database: any Database
  ) async throws {
    try await AuditTrail.append(
      AuditEvent(
        chain: AuditEvent.chain(organisationID), action: action, recordType: type, recordID: id.text(lowercase: true),
        before: before, after: after),
      by: actor, now: now, on: database)
  }

  // MARK: people

  static func people(_ rows: RegisterCSV.Rows, organisationID: UUID, actor: AuditActor, now: Date, on database: any Database)
    async throws -> Report
  {
    let existing = try await Person.query(in: organisationID, on: database).all()
    let byLogin = Dictionary(existing.map { ($0.loginName, $0) }, uniquingKeysWith: { first, _ in first })
    let departments = try await Department.query(in: organisationID, on: database).all()
    var departmentByKey: [String: Department] = [:]
    for department in departments {
      departmentByKey[department.code] = department
      if departmentByKey[department.name] == nil { departmentByKey[department.name] = department }
    }
    var problems = rows.problems
    var seenLogins: [String: Int] = [:]
    var seenCodes: [String: Int] = [:]
    var plans: [(line: Int, draft: PersonDraft, department: String, person: Person?)] = []
    let fileLogins = Set(rows.rows.map { $0.values["user_id"] ?? "" })
    let existingByCode = Dictionary(existing.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
    for (line, values) in rows.rows {
      let login = values["user_id"] ?? ""
      let current = byLogin[login]
      // A column the file does not have keeps what the register holds.
      func text(_ column: String, _ stored: String?) -> String { values[column] ?? stored ?? "" }
      func day(_ column: String, _ stored: CivilDate?) -> String {
        values[column] == nil ? (stored?.iso ?? "") : date(values, column, line: line, into: &problems)
      }
      let name = text("name", current?.fullName)
      var family = text("family_name", values["name"] == nil ? current?.familyName : nil)
      var given = text("given_name", values["name"] == nil ? current?.givenName : nil)
      if family.isEmpty, !name.isEmpty {
        // A single name column (the detection contract's `name`): the family name is its first part.
        let parts = name.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" }).map(String.init)
        family = parts.first ?? name
        if given.isEmpty { given = parts.dropFirst().joined(separator: " ") }
      }
      let typeText = values["employment_type"] ?? ""
      var type = typeText.isEmpty ? (current?.employmentType ?? .other) : RegisterCSV.employment(typeText)
      if type == nil {
        problems.append(ImportProblem(line: line, column: "employment_type", key: "register_import.choice", arguments: ["value": typeText]))
        type = .other
      }
      let key = values["key_person"].map { RegisterCSV.flag($0) } ?? current?.isKeyPerson ?? false
      if key == nil {
        problems.append(
          ImportProblem(line: line, column: "key_person", key: "register_import.choice", arguments: ["value": values["key_person"] ?? ""]))
      }
      let language = values["training_language"].flatMap { $0.isEmpty ? nil : $0 } ?? current?.trainingLanguage.rawValue ?? "ja"
      var draft = PersonDraft(
        code: (values["code"] ?? "").isEmpty ? (current?.code ?? login) : values["code"]!, loginName: login, familyName: family,
        givenName: given, fullName: name, email: text("email", current?.email), employmentType: type!.rawValue,
        jobTitle: text("job_title", current?.jobTitle), hireDate: day("hire_date", current?.hireDate),
        noticeDate: day("notice_date", current?.noticeDate), exitDate: day("exit_date", current?.exitDate),
        leavingDate: day("leaving_date", current?.leavingDate), trainingLanguage: language, isKeyPerson: key ?? false,
        notes: current?.notes ?? "")
      draft = draft.normalised
      problems += issues(draft.validate(), line: line)
      if let earlier = seenLogins[draft.loginName], !draft.loginName.isEmpty {
        problems.append(ImportProblem(line: line, column: "user_id", key: "register_import.duplicate", arguments: ["line": "\(earlier)"]))
      }
      seenLogins[draft.loginName] = seenLogins[draft.loginName] ?? line
      if let earlier = seenCodes[draft.code], !draft.code.isEmpty {
        problems.append(ImportProblem(line: line, column: "code", key: "register_import.duplicate", arguments: ["line": "\(earlier)"]))
      }
      seenCodes[draft.code] = seenCodes[draft.code] ?? line
      // A staff number held by someone else is taken, unless the file gives that person another one.
      if let other = existingByCode[draft.code], other.loginName != draft.loginName, !fileLogins.contains(other.loginName)
      {
        problems.append(ImportProblem(line: line, column: "code", key: "validation.taken"))
      }
      let departmentText = values["department"] ?? ""
      if departmentText.count > 40 {
        problems.append(ImportProblem(line: line, column: "department", key: "validation.too_long", arguments: ["max": "40"]))
      }
      plans.append((line, draft, departmentText, current))
    }
    guard problems.isEmpty else { throw ImportFailure(problems.sorted { $0.line < $1.line }) }

    let planned = plans
    let knownDepartments = departmentByKey
    return try await database.transaction { database -> Report in
      var report = Report()
      var departmentsByKey = knownDepartments
      // Departments named by the file but not in the register are created first, named as written, in
      // the order the file names them (decision 164).
      for plan in planned where !plan.department.isEmpty && departmentsByKey[plan.department] == nil {
        let department = Department(organisationID: organisationID, code: plan.department, name: plan.department)
        try await department.create(on: database)
        try await append(
          "department.create", "department", id: try department.requireID(), before: nil, after: AuditChain.json(department),
          organisationID: organisationID, actor: actor, now: now, on: database)
        departmentsByKey[plan.department] = department
        report.createdDepartments.append(plan.department)
      }
      // New people go in without a model each (decision 161) with the columns Fluent writes; a changed one is
      // saved through its model as it comes.
      let insert = BulkInsert(
        table: "people",
        columns: [
          .row("id", .uuid), .constant("organisation_id", .uuid(organisationID)), .row("department_id", .uuid), .row("code", .text),
          .row("login_name", .text), .row("family_name", .text), .row("given_name", .text), .row("full_name", .text),
          .row("email", .text), .row("employment_type", .text), .row("job_title", .text), .row("hire_date", .text),
          .row("notice_date", .text), .row("exit_date", .text), .row("leaving_date", .text), .row("training_language", .text),
          .row("key_person", .bool), .row("notes", .text), .constant("created_at", .date(now)), .constant("updated_at", .date(now)),
        ])
      var batch = BulkRows(capacity: min(planned.count, insert.rowsPerStatement) * insert.rowWidth)
      let snapshot = PersonSnapshot(organisationID: organisationID, at: now)
      let chain = AuditEvent.chain(organisationID)
      var events: [AuditEvent] = []
      var leavers: [Person] = []
      for plan in planned {
        let departmentID = plan.department.isEmpty ? plan.person?.$department.id : departmentsByKey[plan.department]?.id
        let draft = plan.draft
        guard let person = plan.person else {
          let id = UUID.random()
          let values = PersonSnapshot.Values(
            departmentID: departmentID, code: draft.code, loginName: draft.loginName, familyName: draft.familyName,
            givenName: draft.givenName, fullName: draft.fullName, email: draft.email.isEmpty ? nil : draft.email,
            employmentType: (draft.employment ?? .other).rawValue, jobTitle: draft.jobTitle, hireDate: draft.hireDay?.iso,
            noticeDate: draft.noticeDay?.iso, exitDate: draft.exitDay?.iso, leavingDate: draft.leavingDay?.iso,
            trainingLanguage: (draft.language ?? .ja).rawValue, isKeyPerson: draft.isKeyPerson, notes: draft.notes)
          batch.append(
            .uuid(id), .uuid(departmentID), .text(values.code), .text(values.loginName), .text(values.familyName),
            .text(values.givenName), .text(values.fullName), .text(values.email), .text(values.employmentType), .text(values.jobTitle),
            .text(values.hireDate), .text(values.noticeDate), .text(values.exitDate), .text(values.leavingDate),
            .text(values.trainingLanguage), .bool(values.isKeyPerson), .text(values.notes))
          events.append(
            AuditEvent(
              chain: chain, action: "person.create", recordType: "person", recordID: id.text(lowercase: true),
              after: snapshot.json(id: id, values)))
          if LeaverChecklist.applies(notice: draft.noticeDay, exit: draft.exitDay, leaving: draft.leavingDay) {
            leavers.append(
              Person(
                id: id, organisationID: organisationID, departmentID: departmentID, code: draft.code, loginName: draft.loginName,
                familyName: draft.familyName, givenName: draft.givenName, fullName: draft.fullName, email: values.email,
                employmentType: draft.employment ?? .other, jobTitle: draft.jobTitle, hireDate: draft.hireDay,
                noticeDate: draft.noticeDay, exitDate: draft.exitDay, leavingDate: draft.leavingDay,
                trainingLanguage: draft.language ?? .ja, isKeyPerson: draft.isKeyPerson, notes: draft.notes))
          }
          if batch.count == insert.rowsPerStatement {
            try await insert.run(batch, on: database)
            batch.removeAll()
          }
          report.created += 1
          continue
        }
        let before = AuditChain.json(person)
        let hadDates = Leavers.hasDates(person)
        person.$organisation.id = organisationID
        person.$department.id = departmentID
        person.code = draft.code
        person.loginName = draft.loginName
        person.familyName = draft.familyName
        person.givenName = draft.givenName
        person.fullName = draft.fullName
        person.email = draft.email.isEmpty ? nil : draft.email
        person.employmentType = draft.employment ?? .other
        person.jobTitle = draft.jobTitle
        person.hireDate = draft.hireDay
        person.noticeDate = draft.noticeDay
        person.exitDate = draft.exitDay
        person.leavingDate = draft.leavingDay
        person.trainingLanguage = draft.language ?? .ja
        person.isKeyPerson = draft.isKeyPerson
        person.notes = draft.notes
        if AuditChain.json(person) == before {
          report.unchanged += 1
          continue
        }
        // A changed person is written with its entry and its leaver checklist in the file's order: the
        // entries gathered so far go first.
        try await insert.run(batch, on: database)
        batch.removeAll()
        try await AuditTrail.appendAll(events, by: actor, now: now, on: database)
        events.removeAll()
        try await person.save(on: database)
        try await Leavers.sync(person: person, hadDates: hadDates, actor: actor, now: now, on: database)
        try await append(
          "person.update", "person", id: try person.requireID(), before: before, after: AuditChain.json(person),
          organisationID: organisationID, actor: actor, now: now, on: database)
        report.updated += 1
      }
      try await insert.run(batch, on: database)
      try await AuditTrail.appendAll(events, by: actor, now: now, on: database)
      // The leaver checklists of new people with leaving dates open after their entries (decision 164).
      try await Leavers.openAll(leavers, organisationID: organisationID, actor: actor, now: now, on: database)
      return report
    }
  }

  // MARK: assets

  static func assets(_ rows: RegisterCSV.Rows, organisationID: UUID, actor: AuditActor, now: Date, on database: any Database)
    async throws -> Report
  {
    let existing = try await Asset.query(in: organisationID, on: database).all()
    let byCode = Dictionary(existing.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
    // An owner is named by staff number or login name, the login name winning (as before, when the
    // login names were entered last).
    var personByKey = try await ids("SELECT id, code AS key FROM people WHERE organisation_id = ", organisationID, on: database)
    personByKey.merge(
      try await ids("SELECT id, login_name AS key FROM people WHERE organisation_id = ", organisationID, on: database),
      uniquingKeysWith: { _, login in login })
    var problems = rows.problems
    var seen: [String: Int] = [:]
    var plans: [(draft: AssetDraft, owner: UUID?, asset: Asset?)] = []
    for (line, values) in rows.rows {
      let code = values["asset_id"] ?? ""
      let current = byCode[code]
      let levelText = values["level"] ?? ""
      let level = RegisterCSV.level(levelText)
      if level == nil, !levelText.isEmpty {
        problems.append(ImportProblem(line: line, column: "level", key: "register_import.choice", arguments: ["value": levelText]))
      }
      let formText = values["form"] ?? ""
      var form = RegisterCSV.form(formText)
      if formText.isEmpty, let current { form = current.form }
      if form == nil { problems.append(ImportProblem(line: line, column: "form", key: "register_import.choice", arguments: ["value": formText])) }
      let ownerText = values["owner"] ?? ""
      var owner: UUID? = values["owner"] == nil ? current?.$owner.id : nil
      if !ownerText.isEmpty {
        owner = personByKey[ownerText]
        if owner == nil {
          problems.append(ImportProblem(line: line, column: "owner", key: "register_import.unknown_person", arguments: ["value": ownerText]))
        }
      }
      var draft = AssetDraft(
        code: code, name: values["name"] ?? "", description: values["description"] ?? current?.details ?? "",
        form: (form ?? .electronic).rawValue, location: values["location"] ?? "", level: level?.rawValue ?? levelText,
        group: values["group"] ?? current?.group ?? "", retention: values["retention"] ?? current?.retention ?? "",
        disposal: values["disposal"] ?? current?.disposal ?? "", isCore: current?.isCore ?? false,
        coreSource: current?.coreSource ?? "", coreSuperiority: current?.coreSuperiority ?? "",
        coreExistence: current?.coreExistence ?? "", designatedTechnology: current?.designatedTechnology?.rawValue ?? "")
      draft = draft.normalised
      // An unknown level was reported above with its value; the draft's check adds only "required".
      problems += issues(draft.validate(), line: line).filter { $0.column != "level" || levelText.isEmpty }
      if let earlier = seen[draft.code], !draft.code.isEmpty {
        problems.append(ImportProblem(line: line, column: "asset_id", key: "register_import.duplicate", arguments: ["line": "\(earlier)"]))
      }
      seen[draft.code] = seen[draft.code] ?? line
      plans.append((draft, owner, current))
    }
    guard problems.isEmpty else { throw ImportFailure(problems.sorted { $0.line < $1.line }) }

    let planned = plans
    return try await database.transaction { database -> Report in
      var report = Report()
      // New assets go in without a model each (decision 161) with the columns Fluent writes; a changed one is
      // saved through its model as it comes.
      let insert = BulkInsert(
        table: "assets",
        columns: [
          .row("id", .uuid), .constant("organisation_id", .uuid(organisationID)), .row("owner_id", .uuid), .row("code", .text),
          .row("name", .text), .row("description", .text), .row("form", .text), .row("location", .text), .row("level", .text),
          .row("asset_group", .text), .row("retention", .text), .row("disposal", .text), .row("is_core", .bool),
          .row("core_source", .text), .row("core_superiority", .text), .row("core_existence", .text),
          .row("designated_technology", .text), .constant("created_at", .date(now)), .constant("updated_at", .date(now)),
        ])
      var batch = BulkRows(capacity: min(planned.count, insert.rowsPerStatement) * insert.rowWidth)
      let snapshot = AssetSnapshot(organisationID: organisationID, at: now)
      let chain = AuditEvent.chain(organisationID)
      var events: [AuditEvent] = []
      events.reserveCapacity(planned.count)
      for plan in planned {
        let draft = plan.draft
        let values = AssetSnapshot.Values(
          code: draft.code, name: draft.name, details: draft.description, form: (draft.assetForm ?? .electronic).rawValue,
          location: draft.location, level: (draft.assetLevel ?? .internal).rawValue, group: draft.group, retention: draft.retention,
          disposal: draft.disposal, isCore: draft.isCore, coreSource: draft.coreSource, coreSuperiority: draft.coreSuperiority,
          coreExistence: draft.coreExistence, designatedTechnology: DesignatedTechnology(rawValue: draft.designatedTechnology)?.rawValue)
        guard let asset = plan.asset else {
          let id = UUID.random()
          batch.append(
            .uuid(id), .uuid(plan.owner), .text(values.code), .text(values.name), .text(values.details), .text(values.form),
            .text(values.location), .text(values.level), .text(values.group), .text(values.retention), .text(values.disposal),
            .bool(values.isCore), .text(values.coreSource), .text(values.coreSuperiority), .text(values.coreExistence),
            .text(values.designatedTechnology))
          events.append(
            AuditEvent(
              chain: chain, action: "asset.create", recordType: "asset", recordID: id.text(lowercase: true),
              after: snapshot.json(id: id, ownerID: plan.owner, values)))
          if batch.count == insert.rowsPerStatement {
            try await insert.run(batch, on: database)
            batch.removeAll()
          }
          report.created += 1
          continue
        }
        let before = AuditChain.json(asset)
        asset.$organisation.id = organisationID
        asset.$owner.id = plan.owner
        asset.code = values.code
        asset.name = values.name
        asset.details = values.details
        asset.form = draft.assetForm ?? .electronic
        asset.location = values.location
        asset.level = draft.assetLevel ?? .internal
        asset.group = values.group
        asset.retention = values.retention
        asset.disposal = values.disposal
        asset.isCore = values.isCore
        asset.coreSource = values.coreSource
        asset.coreSuperiority = values.coreSuperiority
        asset.coreExistence = values.coreExistence
        asset.designatedTechnology = DesignatedTechnology(rawValue: draft.designatedTechnology)
        if AuditChain.json(asset) == before {
          report.unchanged += 1
          continue
        }
        try await asset.save(on: database)
        events.append(
          AuditEvent(
            chain: chain, action: "asset.update", recordType: "asset", recordID: try asset.requireID().uuidString.lowercased(),
            before: before, after: AuditChain.json(asset)))
        report.updated += 1
      }
      try await insert.run(batch, on: database)
      // One entry per asset written, in the file's order, as one by one.
      try await AuditTrail.appendAll(events, by: actor, now: now, on: database)
      return report
    }
  }

  // MARK: grants

  /// Grants record the access people have: a row for a pair that already has an unrevoked grant
  /// changes nothing; grants of leavers are imported too, so that the findings show them.
  static func grants(
    _ rows: RegisterCSV.Rows, organisationID: UUID, today: CivilDate, actor: AuditActor, now: Date, on database: any Database
  ) async throws -> Report {
    // The lookups are one statement each into dictionaries, without a model per row (decision 163).
    let personByLogin = try await ids(
      "SELECT id, login_name AS key FROM people WHERE organisation_id = ", organisationID, on: database)
    let assetByCode = try await ids("SELECT id, code AS key FROM assets WHERE organisation_id = ", organisationID, on: database)
    let heldPairs = try await heldGrants(organisationID, on: database)
    var problems = rows.problems
    var plans: [(person: UUID, asset: UUID, draft: GrantDraft)] = []
    plans.reserveCapacity(rows.rows.count)
    for (line, values) in rows.rows {
      let login = values["user_id"] ?? ""
      let code = values["asset_id"] ?? ""
      let person = personByLogin[login]
      let asset = assetByCode[code]
      if login.isEmpty {
        problems.append(ImportProblem(line: line, column: "user_id", key: "validation.required"))
      } else if person == nil {
        problems.append(ImportProblem(line: line, column: "user_id", key: "register_import.unknown_person", arguments: ["value": login]))
      }
      if code.isEmpty {
        problems.append(ImportProblem(line: line, column: "asset_id", key: "validation.required"))
      } else if asset == nil {
        problems.append(ImportProblem(line: line, column: "asset_id", key: "register_import.unknown_asset", arguments: ["value": code]))
      }
      var granted = date(values, "granted_on", line: line, into: &problems)
      if granted.isEmpty, (values["granted_on"] ?? "").isEmpty { granted = today.iso }
      let draft = GrantDraft(
        reason: values["reason"] ?? "", grantedOn: granted, expiresOn: date(values, "expires_on", line: line, into: &problems)
      ).normalised
      problems += issues(draft.validate(), line: line).filter { !($0.column == "granted_on" && granted.isEmpty) }
      if let person, let asset { plans.append((person, asset, draft)) }
    }
    guard problems.isEmpty else { throw ImportFailure(problems.sorted { $0.line < $1.line }) }

    let planned = plans
    return try await database.transaction { database -> Report in
      var report = Report()
      var existing = heldPairs
      existing.reserveCapacity(heldPairs.count + planned.count)
      // The columns Fluent writes for `Grant().create` (the reference test reads them back through the
      // model on both databases); the organisation and the instant bound once.
      let insert = BulkInsert(
        table: "grants",
        columns: [
          .row("id", .uuid), .constant("organisation_id", .uuid(organisationID)), .row("person_id", .uuid), .row("asset_id", .uuid),
          .row("reason", .text), .row("granted_on", .text), .row("expires_on", .text), .constant("created_at", .date(now)),
        ])
      var batch = BulkRows(capacity: min(planned.count, insert.rowsPerStatement) * insert.rowWidth)
      var events: [AuditEvent] = []
      events.reserveCapacity(planned.count)
      let snapshot = GrantSnapshot(organisationID: organisationID, createdAt: now)
      let chain = AuditEvent.chain(organisationID)
      for plan in planned {
        guard existing.insert(Pair(plan.person, plan.asset)).inserted, let grantedOn = plan.draft.grantedDay else {
          report.unchanged += 1
          continue
        }
        let id = UUID.random()
        let expiresOn = plan.draft.expiresDay?.iso
        batch.append(.uuid(id), .uuid(plan.person), .uuid(plan.asset), .text(plan.draft.reason), .text(grantedOn.iso), .text(expiresOn))
        // The same entry per grant as the page's `grant.create`, in the file's order (decisions 156, 162).
        events.append(
          AuditEvent(
            chain: chain, action: "grant.create", recordType: "grant", recordID: id.text(lowercase: true),
            after: snapshot.json(
              id: id, personID: plan.person, assetID: plan.asset, reason: plan.draft.reason, grantedOn: grantedOn.iso,
              expiresOn: expiresOn)))
        if batch.count == insert.rowsPerStatement {
          try await insert.run(batch, on: database)
          batch.removeAll()
        }
        report.created += 1
      }
      try await insert.run(batch, on: database)
      try await AuditTrail.appendAll(events, by: actor, now: now, on: database)
      return report
    }
  }

  struct Pair: Hashable {
    var person: UUID
    var asset: UUID
    init(_ person: UUID, _ asset: UUID) {
      self.person = person
      self.asset = asset
    }
  }

  /// `key → id` of one organisation's rows, read by a statement `prefix` ending in `organisation_id = `.
  static func ids(_ prefix: String, _ organisationID: UUID, on database: any Database) async throws -> [String: UUID] {
    let rows = try await database.sql().raw("\(unsafeRaw: prefix)\(bind: organisationID)").all()
    var ids: [String: UUID] = [:]
    ids.reserveCapacity(rows.count)
    for row in rows {
      let key = try row.decode(column: "key", as: String.self)
      if ids[key] == nil { ids[key] = try row.decode(column: "id", as: UUID.self) }
    }
    return ids
  }

  /// The (person, asset) pairs with a grant in force or expired but not revoked.
  static func heldGrants(_ organisationID: UUID, on database: any Database) async throws -> Set<Pair> {
    let rows = try await database.sql().raw(
      "SELECT person_id, asset_id FROM grants WHERE organisation_id = \(bind: organisationID) AND revoked_on IS NULL"
    ).all()
    var pairs = Set<Pair>(minimumCapacity: rows.count)
    for row in rows {
      pairs.insert(Pair(try row.decode(column: "person_id", as: UUID.self), try row.decode(column: "asset_id", as: UUID.self)))
    }
    return pairs
  }

  // MARK: export

  /// The file as `import` reads it back unchanged, as CSV or as a workbook.
  static func export(_ file: RegisterFile, format: RegisterFormat = .csv, organisationID: UUID, on database: any Database)
    async throws -> Data
  {
    let header = RegisterCSV.columns(file).map(\.name)
    let rows = try await exportRows(file, organisationID: organisationID, on: database)
    switch format {
    case .csv: return RegisterCSV.file(header: header, rows: rows)
    case .xlsx: return try RegisterSheet.workbook(file, header: header, rows: rows)
    }
  }

  static func exportRows(_ file: RegisterFile, organisationID: UUID, on database: any Database) async throws -> [[String]] {
    switch file {
    case .people:
      let people = try await Person.query(in: organisationID, on: database).with(\.$department).sort(\.$code).all()
      return people.map { person in
        [
          person.loginName, person.code, person.fullName, person.familyName, person.givenName, person.department?.code ?? "",
          person.employmentType.rawValue, person.jobTitle, person.hireDate?.iso ?? "", person.noticeDate?.iso ?? "",
          person.exitDate?.iso ?? "", person.leavingDate?.iso ?? "", person.email ?? "", person.trainingLanguage.rawValue,
          person.isKeyPerson ? "true" : "false",
        ]
      }
    case .assets:
      let assets = try await Asset.query(in: organisationID, on: database).with(\.$owner).sort(\.$code).all()
      return assets.map { asset in
        [
          asset.code, asset.name, asset.location, asset.level.rawValue, asset.owner?.loginName ?? "", asset.group, asset.form.rawValue,
          asset.details, asset.retention, asset.disposal,
        ]
      }
    case .grants:
      let grants = try await Grant.query(in: organisationID, on: database).filter(\.$revokedOn == nil).with(\.$person).with(\.$asset)
        .all()
      return grants.map { grant in
        [grant.person.loginName, grant.asset.code, grant.grantedOn.iso, grant.expiresOn?.iso ?? "", grant.reason]
      }.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }
    }
  }
}
