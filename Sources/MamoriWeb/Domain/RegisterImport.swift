import Fluent
import Foundation
import MamoriCore
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
        chain: AuditEvent.chain(organisationID), action: action, recordType: type, recordID: id.uuidString.lowercased(),
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
      if let other = existing.first(where: { $0.code == draft.code && $0.loginName != draft.loginName }),
        !fileLogins.contains(other.loginName)
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
      for plan in planned {
        var departmentID: UUID? = plan.person?.$department.id
        if !plan.department.isEmpty {
          if let department = departmentsByKey[plan.department] {
            departmentID = department.id
          } else {
            // Departments named by a file but not in the register are created, named as written.
            let department = Department(organisationID: organisationID, code: plan.department, name: plan.department)
            try await department.create(on: database)
            try await append(
              "department.create", "department", id: try department.requireID(), before: nil, after: AuditChain.json(department),
              organisationID: organisationID, actor: actor, now: now, on: database)
            departmentsByKey[plan.department] = department
            report.createdDepartments.append(plan.department)
            departmentID = department.id
          }
        }
        let person = plan.person ?? Person()
        let before = plan.person.map { AuditChain.json($0) }
        let hadDates = Leavers.hasDates(plan.person)
        let draft = plan.draft
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
        let after = AuditChain.json(person)
        if before == after {
          report.unchanged += 1
          continue
        }
        try await person.save(on: database)
        try await Leavers.sync(person: person, hadDates: hadDates, actor: actor, now: now, on: database)
        try await append(
          before == nil ? "person.create" : "person.update", "person", id: try person.requireID(), before: before,
          after: AuditChain.json(person), organisationID: organisationID, actor: actor, now: now, on: database)
        if before == nil { report.created += 1 } else { report.updated += 1 }
      }
      return report
    }
  }

  // MARK: assets

  static func assets(_ rows: RegisterCSV.Rows, organisationID: UUID, actor: AuditActor, now: Date, on database: any Database)
    async throws -> Report
  {
    let existing = try await Asset.query(in: organisationID, on: database).all()
    let byCode = Dictionary(existing.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
    let people = try await Person.query(in: organisationID, on: database).all()
    var personByKey: [String: UUID] = [:]
    for person in people {
      if let id = person.id {
        personByKey[person.code] = id
        personByKey[person.loginName] = id
      }
    }
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
      var created: [Asset] = []
      var written: [(asset: Asset, before: String?)] = []
      for plan in planned {
        let asset = plan.asset ?? Asset()
        let before = plan.asset.map { AuditChain.json($0) }
        let draft = plan.draft
        asset.$organisation.id = organisationID
        asset.$owner.id = plan.owner
        asset.code = draft.code
        asset.name = draft.name
        asset.details = draft.description
        asset.form = draft.assetForm ?? .electronic
        asset.location = draft.location
        asset.level = draft.assetLevel ?? .internal
        asset.group = draft.group
        asset.retention = draft.retention
        asset.disposal = draft.disposal
        asset.isCore = draft.isCore
        asset.coreSource = draft.coreSource
        asset.coreSuperiority = draft.coreSuperiority
        asset.coreExistence = draft.coreExistence
        asset.designatedTechnology = DesignatedTechnology(rawValue: draft.designatedTechnology)
        let after = AuditChain.json(asset)
        if before == after {
          report.unchanged += 1
          continue
        }
        // New assets go in batches (decision 156); a changed one is saved as it comes.
        if before == nil {
          created.append(asset)
          if created.count == AuditTrail.batchSize {
            try await created.create(on: database)
            created.removeAll(keepingCapacity: true)
          }
        } else {
          try await asset.save(on: database)
        }
        written.append((asset, before))
        if before == nil { report.created += 1 } else { report.updated += 1 }
      }
      try await created.create(on: database)
      // One entry per asset written, in the file's order, as one by one.
      let events = try written.map { asset, before in
        AuditEvent(
          chain: AuditEvent.chain(organisationID), action: before == nil ? "asset.create" : "asset.update", recordType: "asset",
          recordID: try asset.requireID().uuidString.lowercased(), before: before, after: AuditChain.json(asset))
      }
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
    let people = try await Person.query(in: organisationID, on: database).all()
    let personByLogin = Dictionary(people.compactMap { person in person.id.map { (person.loginName, $0) } }, uniquingKeysWith: { a, _ in a })
    let assets = try await Asset.query(in: organisationID, on: database).all()
    let assetByCode = Dictionary(assets.compactMap { asset in asset.id.map { (asset.code, $0) } }, uniquingKeysWith: { a, _ in a })
    let held = try await Grant.query(in: organisationID, on: database).filter(\.$revokedOn == nil).all()
    let heldPairs: Set<[UUID]> = Set(held.map { [$0.$person.id, $0.$asset.id] })
    var problems = rows.problems
    var plans: [(person: UUID, asset: UUID, draft: GrantDraft)] = []
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
      var batch: [Grant] = []
      var events: [AuditEvent] = []
      // Many rows per INSERT and the audit entries sealed in one pass (decision 156): the same rows and
      // the same entry per grant as one by one, in the same order.
      func flush() async throws {
        guard !batch.isEmpty else { return }
        try await batch.create(on: database)
        for grant in batch {
          events.append(
            AuditEvent(
              chain: AuditEvent.chain(organisationID), action: "grant.create", recordType: "grant",
              recordID: try grant.requireID().uuidString.lowercased(), after: AuditChain.json(grant)))
        }
        batch.removeAll(keepingCapacity: true)
      }
      for plan in planned {
        guard existing.insert([plan.person, plan.asset]).inserted, let grantedOn = plan.draft.grantedDay else {
          report.unchanged += 1
          continue
        }
        let grant = Grant()
        grant.$organisation.id = organisationID
        grant.$person.id = plan.person
        grant.$asset.id = plan.asset
        grant.reason = plan.draft.reason
        grant.grantedOn = grantedOn
        grant.expiresOn = plan.draft.expiresDay
        batch.append(grant)
        if batch.count == AuditTrail.batchSize { try await flush() }
        report.created += 1
      }
      try await flush()
      try await AuditTrail.appendAll(events, by: actor, now: now, on: database)
      return report
    }
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
