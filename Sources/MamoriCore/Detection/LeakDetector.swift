import Dispatch
import Foundation

/// The leak-detection engine: reads people, assets and grants, then streams every events file once,
/// block by block, parsing the parts of each block on all cores into per-key aggregates, and finally
/// turns the aggregates into alerts. Memory holds aggregates (users × days, users × hours × objects),
/// never the events.
public enum LeakDetector {
  public struct Options: Sendable {
    public var skipInvalid = false
    public var threads = max(1, ProcessInfo.processInfo.activeProcessorCount)
    public var blockSize = 8 << 20

    public init(skipInvalid: Bool = false, threads: Int? = nil, blockSize: Int = 8 << 20) {
      self.skipInvalid = skipInvalid
      if let threads { self.threads = max(1, threads) }
      self.blockSize = blockSize
    }
  }

  /// A file to read and the name its errors carry (as given on the command line).
  public struct InputFile: Sendable {
    public var path: String
    public var name: String

    public init(path: String, name: String? = nil) {
      self.path = path
      self.name = name ?? path
    }
  }

  public struct Report: Sendable {
    public var alerts: [Alert]
    /// Rows with errors, per file name, in the order files were read.
    public var invalidRows: [(file: String, count: Int)]
    public var events: Int
    /// Seconds spent in each phase, for `--stats`.
    public var timings: Timings
  }

  /// Where the time went: reading blocks (one thread), parsing (all threads), combining the
  /// threads' aggregates into alerts (one thread).
  public struct Timings: Sendable {
    public var inputs: Double = 0
    public var reading: Double = 0
    public var parsing: Double = 0
    public var alerts: Double = 0
  }

  static func seconds(since start: UInt64) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  }

  /// Runs the rules. Every row-level error is passed to `onError` in file and line order; a file-level
  /// error is thrown. Without `skipInvalid`, any error means no alerts: the report's alerts are empty
  /// and callers exit with status 2.
  public static func run(
    people: InputFile, assets: InputFile, grants: InputFile, events: [InputFile], options: Options = Options(),
    onError: (InputError) -> Void
  ) throws -> Report {
    try run(.files(people: people, assets: assets, grants: grants), events: events, options: options, onError: onError)
  }

  /// Runs the rules over people, assets and grants given as values (the register read from the
  /// database by `mamori detect --org`); only the events files can have bad rows.
  public static func run(
    register: DetectionRegister, events: [InputFile], options: Options = Options(), onError: (InputError) -> Void
  ) throws -> Report {
    try run(.register(register), events: events, options: options, onError: onError)
  }

  /// Where people, assets and grants come from.
  enum Source {
    case files(people: InputFile, assets: InputFile, grants: InputFile)
    case register(DetectionRegister)
  }

  static func run(_ source: Source, events: [InputFile], options: Options, onError: (InputError) -> Void) throws -> Report {
    var counts: [String: Int] = [:]
    var order: [String] = []
    func report(_ error: InputError) {
      if counts[error.file] == nil { order.append(error.file) }
      counts[error.file, default: 0] += 1
      onError(error)
    }
    var timings = Timings()
    var clock = DispatchTime.now().uptimeNanoseconds
    let inputs: DetectionInputs
    switch source {
    case .files(let people, let assets, let grants):
      inputs = try InputLoader.load(
        people: (people.path, people.name), assets: (assets.path, assets.name), grants: (grants.path, grants.name),
        report: report)
    case .register(let register):
      inputs = DetectionInputs(register)
    }
    timings.inputs = seconds(since: clock)

    let workers = (0..<options.threads).map { _ in Worker(inputs: inputs) }
    let buffers = (0..<options.threads).map { _ in BlockBuffer(size: options.blockSize) }
    var eventCount = 0
    for file in events {
      eventCount += try stream(
        file, inputs: inputs, workers: workers, buffers: buffers, options: options, timings: &timings, report: report)
    }
    let invalid = order.map { (file: $0, count: counts[$0]!) }
    guard options.skipInvalid || invalid.isEmpty else {
      return Report(alerts: [], invalidRows: invalid, events: eventCount, timings: timings)
    }
    clock = DispatchTime.now().uptimeNanoseconds
    let alerts = Worker.alerts(of: workers)
    timings.alerts = seconds(since: clock)
    return Report(alerts: alerts, invalidRows: invalid, events: eventCount, timings: timings)
  }

  /// Reads one events file; returns the number of events read.
  ///
  /// Each round reads one block per worker, consecutive in the file, and each worker parses a whole
  /// block. Blocks are far apart in time in a log, so the workers mostly see different user-hours and
  /// days: their aggregates overlap little, which keeps memory and the final merge small.
  static func stream(
    _ input: InputFile, inputs: DetectionInputs, workers: [Worker], buffers: [BlockBuffer], options: Options,
    timings: inout Timings, report: (InputError) -> Void
  ) throws -> Int {
    let file = try CSVFile(path: input.path, name: input.name)
    var clock = DispatchTime.now().uptimeNanoseconds
    guard let first = try file.nextBlock(into: buffers[0]) else {
      throw InputError(file: input.name, line: 1, reason: "is empty: it has no header", isFatal: true)
    }
    let (header, dataStart, headerLines) = try CSVHeader.read(file, block: first)
    let columns = try header.require(["timestamp", "user_id", "action", "object"], file: input.name)
    let layout = Worker.Layout(
      columnCount: header.columnCount, timestamp: columns[0], user: columns[1], action: columns[2], object: columns[3],
      bytes: header.index(of: "bytes"), file: input.name)
    var pending: CSVFile.Block? = first
    var start = dataStart
    var line = 1 + headerLines
    var events = 0
    timings.reading += seconds(since: clock)
    while let firstOfRound = pending {
      // One block per worker: the one read already, then the next ones.
      clock = DispatchTime.now().uptimeNanoseconds
      var round: [(bytes: UnsafeBufferPointer<UInt8>, start: Int, isLast: Bool)] = [(firstOfRound.bytes, start, firstOfRound.isLast)]
      pending = nil
      while round.count < workers.count, !round.last!.isLast {
        guard let next = try file.nextBlock(into: buffers[round.count]) else { break }
        round.append((next.bytes, 0, next.isLast))
      }
      timings.reading += seconds(since: clock)
      clock = DispatchTime.now().uptimeNanoseconds
      let shared = SharedRound(parts: round)
      let lastPart = round.count - 1
      DispatchQueue.concurrentPerform(iterations: round.count) { part in
        let block = shared.parts[part]
        workers[part].parse(
          block.bytes, from: block.start, to: block.bytes.count, atEnd: block.isLast && part == lastPart, layout: layout)
      }
      timings.parsing += seconds(since: clock)
      // Errors in line order: each block's lines are relative to its start.
      var fatal: InputError?
      for part in 0..<round.count {
        let worker = workers[part]
        for error in worker.errors {
          var located = error
          located.line = line + (error.line ?? 0)
          if fatal == nil { report(located) }
          if located.isFatal, fatal == nil { fatal = located }
        }
        if fatal != nil { break }
        line += worker.newlines
        events += worker.events
      }
      if let fatal { throw fatal }
      if round.last!.isLast { break }
      // The first block of the next round goes into the first buffer, now free again.
      clock = DispatchTime.now().uptimeNanoseconds
      pending = try file.nextBlock(into: buffers[0])
      start = 0
      timings.reading += seconds(since: clock)
    }
    return events
  }
}

/// The blocks of one round, handed to the worker threads: read-only while they run.
struct SharedRound: @unchecked Sendable {
  let parts: [(bytes: UnsafeBufferPointer<UInt8>, start: Int, isLast: Bool)]
}

/// One thread's share of the work: its parser state and its aggregates.
final class Worker: @unchecked Sendable {
  struct Layout: Sendable {
    var columnCount: Int
    var timestamp: Int
    var user: Int
    var action: Int
    var object: Int
    var bytes: Int?
    var file: String
  }

  /// What the events of one key add up to: 112 bytes, whatever the number of events.
  struct Aggregate {
    var bytes: UInt128 = 0
    var first = EventTime(seconds: .max, nanoseconds: 0, offsetMinutes: 0, format: 0)
    var last = EventTime(seconds: .min, nanoseconds: 0, offsetMinutes: 0, format: 0)
    var events: Int64 = 0
    /// Distinct objects seen so far (mass-transfer only), counted up to the rule's threshold. Up to
    /// ``inlineObjects`` of them are kept in `objects`; beyond, all are in the worker's `seen` table,
    /// so that the many quiet hours never touch that large table.
    var distinct: Int32 = 0
    var objects: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)

    @inline(__always)
    mutating func add(_ time: EventTime, bytes amount: UInt64) {
      events += 1
      bytes += UInt128(amount)
      if time.precedes(first) { first = time }
      if last.precedes(time) { last = time }
    }

    mutating func merge(_ other: Aggregate) {
      events += other.events
      bytes += other.bytes
      if other.first.precedes(first) { first = other.first }
      if last.precedes(other.last) { last = other.last }
    }
  }

  static let inlineObjects: Int32 = 6

  static let massThreshold: Int32 = 100

  // Each worker's state is touched by one thread only; dynamic exclusivity checks on these hot
  // properties cost several percent of the run and protect nothing.
  let inputs: DetectionInputs
  @exclusivity(unchecked) var index = AggregateIndex()
  @exclusivity(unchecked) var aggregates: [Aggregate] = []
  @exclusivity(unchecked) var seen = DistinctObjects()
  /// The first local day with any event, per user (known users first, then those only in events).
  @exclusivity(unchecked) var firstDay: [Int32]
  var unknownUsers: [String] = []
  /// Keyed by bytes, not `String`: strings compare by canonical equivalence, and the contract wants two
  /// user IDs that differ in code points (é and e + ◌́) kept apart.
  var unknownIndex: [[UInt8]: Int32] = [:]

  // Per part, read by the coordinator after each block.
  var errors: [InputError] = []
  var newlines = 0
  var events = 0
  @exclusivity(unchecked) private var fields: [CSVRecords.Field] = []

  init(inputs: DetectionInputs) {
    self.inputs = inputs
    firstDay = [Int32](repeating: .max, count: inputs.people.count)
    fields.reserveCapacity(16)
  }

  enum Action: UInt8 {
    case view, download, copy, print, usbWrite, uploadExternal, emailExternal, delete, login, logout, unknown

    var isTransfer: Bool {
      switch self {
      case .download, .copy, .print, .usbWrite, .uploadExternal, .emailExternal: return true
      default: return false
      }
    }

    var isExternal: Bool { self == .usbWrite || self == .uploadExternal || self == .emailExternal }

    static let names: [([UInt8], Action)] = ([
      ("view", .view), ("download", .download), ("copy", .copy), ("print", .print), ("usb_write", .usbWrite),
      ("upload_external", .uploadExternal), ("email_external", .emailExternal), ("delete", .delete),
      ("login", .login), ("logout", .logout),
    ] as [(String, Action)]).map { (Array($0.0.utf8), $0.1) }

    @inline(__always)
    static func parse(_ pointer: UnsafePointer<UInt8>, _ length: Int) -> Action {
      for (name, action) in names where name.count == length {
        if name.withUnsafeBufferPointer({ memcmp($0.baseAddress!, pointer, length) == 0 }) { return action }
      }
      return .unknown
    }
  }

  // MARK: - Parsing one part of a block

  func parse(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, atEnd: Bool, layout: Layout) {
    errors.removeAll(keepingCapacity: true)
    newlines = 0
    events = 0
    let part = UnsafeBufferPointer(rebasing: buffer[0..<end])
    var position = start
    while position < end {
      let line = newlines
      switch CSVRecords.read(part, from: position, atEnd: atEnd, fields: &fields, newlines: &newlines) {
      case .emptyLine(let next):
        position = next
      case .record(let next):
        if fields.count == layout.columnCount {
          if let reason = event(part, layout: layout) {
            errors.append(InputError(file: layout.file, line: line, reason: reason))
          } else {
            events += 1
          }
        } else {
          errors.append(
            InputError(file: layout.file, line: line, reason: "has \(fields.count) fields where the header has \(layout.columnCount)"))
        }
        position = next
      case .malformed(let next, let reason):
        switch reason {
        case .invalidUTF8(let offset):
          errors.append(InputError(file: layout.file, line: line + offset, reason: "is not valid UTF-8", isFatal: true))
          return
        case .textAfterClosingQuote:
          errors.append(InputError(file: layout.file, line: line, reason: "has text after a closing quote"))
        case .quoteInUnquotedField:
          errors.append(InputError(file: layout.file, line: line, reason: "has a quote inside an unquoted field"))
        }
        position = next
      case .incomplete:
        errors.append(InputError(file: layout.file, line: line, reason: "has an unterminated quoted field", isFatal: true))
        return
      }
    }
  }

  /// Checks and applies one event; returns the reason when the row is invalid.
  @inline(__always)
  private func event(_ buffer: UnsafeBufferPointer<UInt8>, layout: Layout) -> String? {
    let base = buffer.baseAddress!
    // Timestamp.
    let timestampField = fields[layout.timestamp]
    if timestampField.isEmpty { return "has an empty timestamp" }
    guard !timestampField.hasEscapedQuotes, let time = EventTime.parse(buffer, timestampField.start, timestampField.end)
    else {
      return "has an unparseable timestamp \"\(CSVRecords.string(of: timestampField, in: buffer))\""
    }
    // Bytes: ASCII digits, at most 2^63 - 1; empty means 0.
    var amount: UInt64 = 0
    if let column = layout.bytes {
      let field = fields[column]
      if !field.isEmpty {
        let text = field.hasEscapedQuotes ? nil : UnsafeBufferPointer(rebasing: buffer[field.start..<field.end])
        guard let text, let value = Self.parseBytes(text) else {
          let shown = CSVRecords.string(of: field, in: buffer)
          if shown.first == "-", shown.count > 1, shown.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }) {
            return "has negative bytes \(shown)"
          }
          return "has bytes that are not a number: \"\(shown)\""
        }
        amount = value
      }
    }
    // User, action, object: required, not empty.
    let userField = fields[layout.user]
    let actionField = fields[layout.action]
    let objectField = fields[layout.object]
    if userField.isEmpty { return "has an empty user_id" }
    if actionField.isEmpty { return "has an empty action" }
    if objectField.isEmpty { return "has an empty object" }

    let user: Int32
    if userField.hasEscapedQuotes {
      user = resolveUser(CSVRecords.bytes(of: userField, in: buffer))
    } else if let known = inputs.users.find(base + userField.start, userField.end - userField.start) {
      user = Int32(known)
    } else {
      user = resolveUser(Array(buffer[userField.start..<userField.end]))
    }
    let action: Action
    if actionField.hasEscapedQuotes {
      let bytes = CSVRecords.bytes(of: actionField, in: buffer)
      action = bytes.withUnsafeBufferPointer { Action.parse($0.baseAddress!, $0.count) }
    } else {
      action = Action.parse(base + actionField.start, actionField.end - actionField.start)
    }
    // The object: matched against the register, and hashed for counting distinct objects.
    if objectField.hasEscapedQuotes {
      let object = CSVRecords.bytes(of: objectField, in: buffer)
      object.withUnsafeBufferPointer { object in
        let (asset, hash) = inputs.assets.match(object, 0, object.count, wantHash: action.isTransfer)
        apply(user: user, asset: asset, action: action, time: time, bytes: amount, object: hash)
      }
    } else {
      let (asset, hash) = inputs.assets.match(buffer, objectField.start, objectField.end, wantHash: action.isTransfer)
      apply(user: user, asset: asset, action: action, time: time, bytes: amount, object: hash)
    }
    return nil
  }

  private func resolveUser(_ bytes: [UInt8]) -> Int32 {
    if let known = bytes.withUnsafeBufferPointer({ inputs.users.find($0.baseAddress!, $0.count) }) {
      return Int32(known)
    }
    if let index = unknownIndex[bytes] { return index }
    let index = Int32(inputs.people.count + unknownUsers.count)
    unknownUsers.append(String(decoding: bytes, as: UTF8.self))
    unknownIndex[bytes] = index
    firstDay.append(.max)
    return index
  }

  @inline(__always)
  static func parseBytes(_ text: UnsafeBufferPointer<UInt8>) -> UInt64? {
    var value: UInt64 = 0
    for byte in text {
      guard byte >= 48, byte <= 57 else { return nil }
      let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflow2) = shifted.addingReportingOverflow(UInt64(byte - 48))
      guard !overflow1, !overflow2, sum <= UInt64(Int64.max) else { return nil }
      value = sum
    }
    return value
  }

  // MARK: - The rules, per event

  @inline(__always)
  private func add(_ key: AggregateKey, _ time: EventTime, _ bytes: UInt64) -> Int32 {
    let next = Int32(aggregates.count)
    let (position, inserted) = index.position(of: key) { next }
    if inserted { aggregates.append(Aggregate()) }
    aggregates[Int(position)].add(time, bytes: bytes)
    return position
  }

  @inline(__always)
  private func apply(user: Int32, asset: Int32, action: Action, time: EventTime, bytes: UInt64, object: UInt64) {
    let day = time.localDay
    if day < firstDay[Int(user)] { firstDay[Int(user)] = day }
    let person = Int(user) < inputs.people.count ? inputs.people[Int(user)] : nil

    if let exit = person?.exitDay, day > exit {
      _ = add(AggregateKey(rule: .postExitActivity, user: user, day: day), time, bytes)
    }
    let hour = time.localHour
    if action.isTransfer {
      // One aggregate per user-hour serves both mass-transfer and, summed per day at the end,
      // volume-spike.
      let hourly = add(AggregateKey(rule: .massTransfer, user: user, day: day, hour: hour), time, bytes)
      countObject(object, in: hourly)
    }
    guard asset >= 0 else { return }
    if !inputs.isGranted(user: Int(user), asset: Int(asset)) {
      _ = add(AggregateKey(rule: .unauthorizedAccess, user: user, asset: asset, day: day), time, bytes)
    }
    guard action.isTransfer else { return }
    if let exit = person?.exitDay, DepartureWindow.contains(day, exitDay: exit, noticeDay: person?.noticeDay) {
      _ = add(AggregateKey(rule: .departingTransfer, user: user, asset: asset, day: day), time, bytes)
    }
    if Self.isOffHours(day: day, hour: hour) {
      _ = add(AggregateKey(rule: .offHoursTransfer, user: user, asset: asset, day: day), time, bytes)
    }
    if action.isExternal {
      _ = add(AggregateKey(rule: .externalChannel, user: user, asset: asset, day: day), time, bytes)
    }
  }

  /// Counts a distinct object of a user-hour, up to the threshold.
  @inline(__always)
  func countObject(_ hash: UInt64, in position: Int32) {
    aggregates.withUnsafeMutableBufferPointer { aggregates in
      let distinct = aggregates[Int(position)].distinct
      guard distinct < Self.massThreshold else { return }
      if distinct <= Self.inlineObjects {
        let known = withUnsafeBytes(of: &aggregates[Int(position)].objects) { raw in
          raw.bindMemory(to: UInt64.self).prefix(Int(distinct)).contains(hash)
        }
        if known { return }
        if distinct < Self.inlineObjects {
          withUnsafeMutableBytes(of: &aggregates[Int(position)].objects) { raw in
            raw.bindMemory(to: UInt64.self)[Int(distinct)] = hash
          }
          aggregates[Int(position)].distinct += 1
          return
        }
        // The hour gets busy: its inline objects move to the table.
        withUnsafeBytes(of: &aggregates[Int(position)].objects) { raw in
          for stored in raw.bindMemory(to: UInt64.self) { _ = seen.insert(aggregate: position, hash: stored) }
        }
      }
      if seen.insert(aggregate: position, hash: hash) { aggregates[Int(position)].distinct += 1 }
    }
  }

  /// Saturday, Sunday, a Japanese holiday, or before 07:00 or from 22:00, local time.
  @inline(__always)
  static func isOffHours(day: Int32, hour: Int8) -> Bool {
    if hour < 7 || hour >= 22 { return true }
    let weekday = ((Int(day) + 4) % 7 + 7) % 7
    if weekday == 0 || weekday == 6 { return true }
    return JapaneseHolidays.isHoliday(daysSinceEpoch: Int(day))
  }

  // MARK: - Combining the workers into alerts

  /// The alerts of all workers together, in the contract's order.
  ///
  /// The workers' tables are not merged into one (that would hold a third of them twice at the peak):
  /// each key is combined on the fly from the workers that have it, and only what can become an alert
  /// is kept — alert keys, busy user-hours (100 transfers or more) and the users' days for volume-spike.
  static func alerts(of workers: [Worker]) -> [Alert] {
    let inputs = workers[0].inputs
    let people = inputs.people.count
    // Users seen only in events: one global index each, and each worker's own index for them.
    var unknownNames: [String] = []
    var unknownGlobal: [[UInt8]: Int32] = [:]
    var globalOf: [[Int32]] = []
    for worker in workers {
      globalOf.append(
        worker.unknownUsers.map { name in
          let bytes = Array(name.utf8)
          if let known = unknownGlobal[bytes] { return known }
          let index = Int32(people + unknownNames.count)
          unknownNames.append(name)
          unknownGlobal[bytes] = index
          return index
        })
    }
    func global(_ user: Int32, of worker: Int) -> Int32 {
      Int(user) < people ? user : globalOf[worker][Int(user) - people]
    }
    /// The same user in another worker's numbering, if that worker saw the user at all.
    func local(_ user: Int32, from worker: Int, to other: Int) -> Int32? {
      guard Int(user) >= people else { return user }
      let name = Array(workers[worker].unknownUsers[Int(user) - people].utf8)
      return workers[other].unknownIndex[name]
    }
    var firstDay = [Int32](repeating: .max, count: people + unknownNames.count)
    for (w, worker) in workers.enumerated() {
      for (user, day) in worker.firstDay.enumerated() where day != .max {
        let target = Int(global(Int32(user), of: w))
        firstDay[target] = min(firstDay[target], day)
      }
    }

    var firing: [(key: AggregateKey, aggregate: Aggregate)] = []
    var busy: [(key: AggregateKey, aggregate: Aggregate, positions: [Int32])] = []
    var dailyIndex = AggregateIndex(capacity: 4096)
    var daily: [Aggregate] = []
    var dailyKeys: [AggregateKey] = []
    for (w, worker) in workers.enumerated() {
      worker.index.forEach { key, position in
        // Each key once: from the first worker that has it.
        func found(in other: Int) -> Int32? {
          guard let user = local(key.user, from: w, to: other) else { return nil }
          return workers[other].index.lookup(key.with(user: user))
        }
        for other in 0..<w where found(in: other) != nil { return }
        var combined = worker.aggregates[Int(position)]
        for other in (w + 1)..<max(w + 1, workers.count) {
          if let position = found(in: other) { combined.merge(workers[other].aggregates[Int(position)]) }
        }
        let globalKey = key.with(user: global(key.user, of: w))
        guard key.rule == .massTransfer else {
          firing.append((globalKey, combined))
          return
        }
        let dayKey = AggregateKey(rule: .volumeSpike, user: globalKey.user, day: key.day)
        let next = Int32(daily.count)
        let (target, inserted) = dailyIndex.position(of: dayKey) { next }
        if inserted {
          daily.append(Aggregate())
          dailyKeys.append(dayKey)
        }
        daily[Int(target)].merge(combined)
        if combined.events >= Int64(massThreshold) {
          busy.append((globalKey, combined, (0..<workers.count).map { $0 == w ? position : found(in: $0) ?? -1 }))
        }
      }
    }

    // Busy hours: the union of the objects each worker saw, up to the threshold.
    if !busy.isEmpty {
      let counter = Worker(inputs: inputs)
      var slot: [[Int32: Int32]] = Array(repeating: [:], count: workers.count)
      for (index, entry) in busy.enumerated() {
        counter.aggregates.append(Aggregate())
        for (w, position) in entry.positions.enumerated() where position >= 0 { slot[w][position] = Int32(index) }
      }
      for (w, worker) in workers.enumerated() {
        for (position, target) in slot[w] {
          var aggregate = worker.aggregates[Int(position)]
          guard aggregate.distinct <= inlineObjects else { continue }
          withUnsafeBytes(of: &aggregate.objects) { raw in
            for hash in raw.bindMemory(to: UInt64.self).prefix(Int(aggregate.distinct)) {
              counter.countObject(hash, in: target)
            }
          }
        }
        worker.seen.forEach { position, hash in
          if let target = slot[w][position] { counter.countObject(hash, in: target) }
        }
      }
      for (index, entry) in busy.enumerated() where counter.aggregates[index].distinct >= massThreshold {
        firing.append((entry.key, entry.aggregate))
      }
    }

    // Volume spikes, from the users' days.
    for (position, key) in dailyKeys.enumerated() where daily[position].bytes > 104_857_600 {
      let user = key.user
      let spike = isSpike(day: key.day, firstDay: firstDay[Int(user)]) { day in
        dailyIndex.lookup(AggregateKey(rule: .volumeSpike, user: user, day: day)).map { daily[Int($0)].bytes } ?? 0
      }
      if spike { firing.append((key, daily[position])) }
    }

    // Sort as numbers: users and assets by their rank in code-point order.
    func userID(_ user: Int32) -> String {
      Int(user) < people ? inputs.users.string(at: Int(user)) : unknownNames[Int(user) - people]
    }
    let userCount = people + unknownNames.count
    let userOrder = (0..<userCount).map { (Array(userID(Int32($0)).utf8), $0) }.sorted { $0.0.lexicographicallyPrecedes($1.0) }
    var userRank = [Int32](repeating: 0, count: userCount)
    for (rank, entry) in userOrder.enumerated() { userRank[entry.1] = Int32(rank) }
    let assetOrder = inputs.assetIDs.indices.sorted {
      Array(inputs.assetIDs[$0].utf8).lexicographicallyPrecedes(Array(inputs.assetIDs[$1].utf8))
    }
    var assetRank = [Int32](repeating: 0, count: inputs.assetIDs.count)
    for (rank, asset) in assetOrder.enumerated() { assetRank[asset] = Int32(rank) }
    var ruleRank = [Int](repeating: 0, count: DetectionRule.allCases.count)
    for (rank, rule) in DetectionRule.allCases.sorted().enumerated() { ruleRank[Int(rule.code)] = rank }
    firing.sort { a, b in
      if a.key.day != b.key.day { return a.key.day < b.key.day }
      let ua = userRank[Int(a.key.user)]
      let ub = userRank[Int(b.key.user)]
      if ua != ub { return ua < ub }
      let ra = ruleRank[Int(a.key.low >> 56)]
      let rb = ruleRank[Int(b.key.low >> 56)]
      if ra != rb { return ra < rb }
      let aa = a.key.asset < 0 ? -1 : assetRank[Int(a.key.asset)]
      let ab = b.key.asset < 0 ? -1 : assetRank[Int(b.key.asset)]
      if aa != ab { return aa < ab }
      return a.key.hour < b.key.hour
    }

    return firing.map { key, aggregate in
      let rule = key.rule
      let asset = key.asset
      let level = asset >= 0 ? inputs.assetLevels[Int(asset)] : nil
      let severity: AlertSeverity
      switch rule {
      case .postExitActivity: severity = .critical
      case .volumeSpike, .offHoursTransfer: severity = .medium
      case .massTransfer: severity = .high
      case .unauthorizedAccess, .departingTransfer, .externalChannel: severity = level == .secret ? .critical : .high
      }
      return Alert(
        rule: rule, severity: severity, userID: userID(key.user), assetID: asset >= 0 ? inputs.assetIDs[Int(asset)] : nil,
        date: CivilDate(daysSinceEpoch: Int(key.day)), hour: key.hour >= 0 ? Int(key.hour) : nil,
        events: Int(aggregate.events), bytes: aggregate.bytes, first: aggregate.first.text, last: aggregate.last.text)
    }
  }

  /// The volume-spike test, in exact integers: with n history days, S the sum and Q the sum of squares
  /// of their transfer bytes, day d fires when B > 100 MiB, n·B − S > 0 and (n·B − S)² > 9·(n·Q − S²).
  static func isSpike(day: Int32, firstDay: Int32, bytesOn: (Int32) -> UInt128) -> Bool {
    let bytes = bytesOn(day)
    guard bytes > 104_857_600 else { return false }
    let n = min(30, Int(day) - Int(firstDay))
    guard n >= 14 else { return false }
    let history = (1...n).map { bytesOn(day - Int32($0)) }
    // Below 2^56 bytes a day every term fits in 128 bits; beyond, big integers keep it exact.
    if bytes < 1 << 56, history.allSatisfy({ $0 < 1 << 56 }) {
      let s = history.reduce(Int128(0)) { $0 + Int128($1) }
      let q = history.reduce(Int128(0)) { $0 + Int128($1) * Int128($1) }
      let difference = Int128(n) * Int128(bytes) - s
      return difference > 0 && difference * difference > 9 * (Int128(n) * q - s * s)
    }
    var sum = BigNat(0)
    var squares = BigNat(0)
    for day in history {
      let value = BigNat(day)
      sum = sum + value
      squares = squares + value * value
    }
    let nB = BigNat(UInt128(n)) * BigNat(bytes)
    guard nB > sum else { return false }
    let difference = nB - sum
    // n·Q ≥ S² always (Cauchy–Schwarz), so the subtraction cannot go below zero.
    return difference * difference > BigNat(9) * (BigNat(UInt128(n)) * squares - sum * sum)
  }
}
