// `AssetLevel` (secret, confidential, internal) is the register's, in Register/Asset.swift: one type for
// the register and for detection.

/// People, assets and grants, read and checked: everything the rules need besides the events.
public struct DetectionInputs: Sendable {
  public struct Person: Sendable {
    public var exitDay: Int32?
    public var noticeDay: Int32?
  }

  /// Every user named in people, by index; users found only in events are added by the engine.
  public var users: ByteTable
  public var people: [Person]
  public var assetIDs: [String]
  public var assetLevels: [AssetLevel]
  public var assets: AssetIndex
  /// Granted (user, asset) pairs, one bit each: users × assets is small, and a bit test costs less
  /// than hashing a pair for every event on protected information.
  public var grants: [UInt64]

  static func grantBit(user: Int, asset: Int, assets: Int) -> Int { user * assets + asset }

  @inline(__always)
  public func isGranted(user: Int, asset: Int) -> Bool {
    guard user < people.count else { return false }
    let bit = Self.grantBit(user: user, asset: asset, assets: assetIDs.count)
    return grants[bit >> 6] & (1 << UInt64(bit & 63)) != 0
  }
}

/// Reads the three small files with the same CSV reader as the events, one record at a time.
enum InputLoader {
  typealias Report = (InputError) -> Void

  /// Calls `row` for every well-formed record (fields, physical line); malformed ones are reported.
  static func forEachRecord(
    path: String, name: String, required: [String], optional: [String] = [], report: Report,
    row: (_ values: [String?], _ line: Int) throws -> Void
  ) throws {
    let file = try CSVFile(path: path, name: name)
    let buffer = BlockBuffer(size: 1 << 20)
    guard let first = try file.nextBlock(into: buffer) else {
      throw InputError(file: name, line: 1, reason: "is empty: it has no header", isFatal: true)
    }
    let (header, dataStart, headerLines) = try CSVHeader.read(file, block: first)
    let requiredIndexes = try header.require(required, file: name)
    let optionalIndexes = optional.map { header.index(of: $0) }
    var block: CSVFile.Block? = first
    var position = dataStart
    var line = 1 + headerLines
    var fields: [CSVRecords.Field] = []
    while let current = block {
      while position < current.bytes.count {
        var newlines = 0
        let outcome = CSVRecords.read(current.bytes, from: position, atEnd: current.isLast, fields: &fields, newlines: &newlines)
        switch outcome {
        case .emptyLine(let next):
          position = next
        case .record(let next):
          if fields.count != header.columnCount {
            report(InputError(file: name, line: line, reason: "has \(fields.count) fields where the header has \(header.columnCount)"))
          } else {
            let values = (requiredIndexes + optionalIndexes.map { $0 ?? -1 }).map { index -> String? in
              index < 0 ? nil : CSVRecords.string(of: fields[index], in: current.bytes)
            }
            try row(values, line)
          }
          position = next
        case .malformed(let next, let reason):
          try reportMalformed(reason, file: name, line: line, report: report)
          position = next
        case .incomplete:
          throw InputError(file: name, line: line, reason: "has an unterminated quoted field", isFatal: true)
        }
        line += newlines
      }
      position = 0
      block = try file.nextBlock(into: buffer)
    }
  }

  static func reportMalformed(_ reason: CSVRecords.MalformedReason, file: String, line: Int, report: Report) throws {
    switch reason {
    case .invalidUTF8(let offset):
      throw InputError(file: file, line: line + offset, reason: "is not valid UTF-8", isFatal: true)
    case .textAfterClosingQuote:
      report(InputError(file: file, line: line, reason: "has text after a closing quote"))
    case .quoteInUnquotedField:
      report(InputError(file: file, line: line, reason: "has a quote inside an unquoted field"))
    }
  }

  static func load(people: (path: String, name: String), assets: (path: String, name: String),
    grants: (path: String, name: String), report: Report) throws -> DetectionInputs
  {
    var register = DetectionRegister()
    // People: user_id unique; dates optional but well-formed. Keyed by bytes: `String` equality would
    // merge IDs that differ only in Unicode normalisation.
    var userLines: [[UInt8]: Int] = [:]
    try forEachRecord(
      path: people.path, name: people.name, required: ["user_id"], optional: ["exit_date", "notice_date"], report: report
    ) { values, line in
      let userID = values[0] ?? ""
      guard !userID.isEmpty else { return report(InputError(file: people.name, line: line, reason: "has an empty user_id")) }
      var person = DetectionRegister.Person(userID: userID)
      for (index, column) in [(1, "exit_date"), (2, "notice_date")] {
        guard let text = values[index], !text.isEmpty else { continue }
        guard let date = CivilDate(iso: text) else {
          return report(InputError(file: people.name, line: line, reason: "has an unparseable \(column) \"\(text)\"; use YYYY-MM-DD"))
        }
        if index == 1 { person.exitDate = date } else { person.noticeDate = date }
      }
      if let first = userLines[Array(userID.utf8)] {
        return report(InputError(file: people.name, line: line, reason: "repeats user_id \"\(userID)\" (first on line \(first))"))
      }
      userLines[Array(userID.utf8)] = line
      register.people.append(person)
    }

    // Assets: asset_id unique; location and a known level required.
    var assetLines: [[UInt8]: Int] = [:]
    try forEachRecord(path: assets.path, name: assets.name, required: ["asset_id", "location", "level"], report: report) {
      values, line in
      let assetID = values[0] ?? ""
      let location = values[1] ?? ""
      let levelText = values[2] ?? ""
      for (value, column) in [(assetID, "asset_id"), (location, "location"), (levelText, "level")] where value.isEmpty {
        return report(InputError(file: assets.name, line: line, reason: "has an empty \(column)"))
      }
      guard let level = AssetLevel(rawValue: levelText) else {
        return report(InputError(
          file: assets.name, line: line, reason: "has an unknown level \"\(levelText)\"; use secret, confidential or internal"))
      }
      if let first = assetLines[Array(assetID.utf8)] {
        return report(InputError(file: assets.name, line: line, reason: "repeats asset_id \"\(assetID)\" (first on line \(first))"))
      }
      assetLines[Array(assetID.utf8)] = line
      register.assets.append(DetectionRegister.Asset(assetID: assetID, location: location, level: level))
    }

    // Grants: the asset must exist; users missing from people are ignored (by the builder).
    try forEachRecord(path: grants.path, name: grants.name, required: ["user_id", "asset_id"], report: report) { values, line in
      let userID = values[0] ?? ""
      let assetID = values[1] ?? ""
      for (value, column) in [(userID, "user_id"), (assetID, "asset_id")] where value.isEmpty {
        return report(InputError(file: grants.name, line: line, reason: "has an empty \(column)"))
      }
      guard assetLines[Array(assetID.utf8)] != nil else {
        return report(InputError(file: grants.name, line: line, reason: "grants an unknown asset \"\(assetID)\""))
      }
      register.grants.append(DetectionRegister.Grant(userID: userID, assetID: assetID))
    }
    return DetectionInputs(register)
  }
}

/// People, assets and grants as plain values, before they are indexed for the rules: what the three
/// CSV files hold once checked, or what `mamori detect --org` reads from the register's database.
public struct DetectionRegister: Sendable, Equatable {
  public struct Person: Sendable, Equatable {
    /// The login name, matched against the events' `user_id`.
    public var userID: String
    /// The last working day (最終出社日).
    public var exitDate: CivilDate?
    public var noticeDate: CivilDate?

    public init(userID: String, exitDate: CivilDate? = nil, noticeDate: CivilDate? = nil) {
      self.userID = userID
      self.exitDate = exitDate
      self.noticeDate = noticeDate
    }
  }

  public struct Asset: Sendable, Equatable {
    public var assetID: String
    public var location: String
    public var level: AssetLevel

    public init(assetID: String, location: String, level: AssetLevel) {
      self.assetID = assetID
      self.location = location
      self.level = level
    }
  }

  public struct Grant: Sendable, Equatable {
    public var userID: String
    public var assetID: String

    public init(userID: String, assetID: String) {
      self.userID = userID
      self.assetID = assetID
    }
  }

  public var people: [Person]
  public var assets: [Asset]
  public var grants: [Grant]

  public init(people: [Person] = [], assets: [Asset] = [], grants: [Grant] = []) {
    self.people = people
    self.assets = assets
    self.grants = grants
  }
}

extension DetectionInputs {
  /// Indexes checked values for the rules. A repeated `user_id` or `asset_id` keeps its first entry
  /// (the CSV reader has reported the repeat already); a grant naming a user missing from people, or
  /// an asset missing from the assets, grants nothing.
  public init(_ register: DetectionRegister) {
    var users = ByteTable(capacity: max(1024, register.people.count))
    var persons: [Person] = []
    for person in register.people {
      let before = users.count
      guard users.insert(Array(person.userID.utf8)) == before else { continue }
      persons.append(Person(
        exitDay: person.exitDate.map { Int32($0.daysSinceEpoch) }, noticeDay: person.noticeDate.map { Int32($0.daysSinceEpoch) }))
    }
    var assetIDs: [String] = []
    var assetLevels: [AssetLevel] = []
    var locations: [[UInt8]] = []
    var assetIndexByID: [[UInt8]: Int] = [:]
    for asset in register.assets {
      let key = Array(asset.assetID.utf8)
      guard assetIndexByID[key] == nil else { continue }
      assetIndexByID[key] = assetIDs.count
      assetIDs.append(asset.assetID)
      assetLevels.append(asset.level)
      locations.append(Array(asset.location.utf8))
    }
    let index = AssetIndex(
      locations: locations, preferring: { Array(assetIDs[$0].utf8).lexicographicallyPrecedes(Array(assetIDs[$1].utf8)) })
    var grantBits = [UInt64](repeating: 0, count: (persons.count * assetIDs.count + 63) / 64 + 1)
    for grant in register.grants {
      guard let asset = assetIndexByID[Array(grant.assetID.utf8)] else { continue }
      let bytes = Array(grant.userID.utf8)
      guard !bytes.isEmpty, let user = bytes.withUnsafeBufferPointer({ users.find($0.baseAddress!, $0.count) }), user < persons.count else { continue }
      let bit = Self.grantBit(user: user, asset: asset, assets: assetIDs.count)
      grantBits[bit >> 6] |= 1 << UInt64(bit & 63)
    }
    self.init(users: users, people: persons, assetIDs: assetIDs, assetLevels: assetLevels, assets: index, grants: grantBits)
  }
}
