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
  }

  /// Runs the rules. Every row-level error is passed to `onError` in file and line order; a file-level
  /// error is thrown. Without `skipInvalid`, any error means no alerts: the report's alerts are empty
  /// and callers exit with status 2.
  public static func run(
    people: InputFile, assets: InputFile, grants: InputFile, events: [InputFile], options: Options = Options(),
    onError: (InputError) -> Void
  ) throws -> Report {
    var counts: [String: Int] = [:]
    var order: [String] = []
    func report(_ error: InputError) {
      if counts[error.file] == nil { order.append(error.file) }
      counts[error.file, default: 0] += 1
      onError(error)
    }
    let inputs = try InputLoader.load(
      people: (people.path, people.name), assets: (assets.path, assets.name), grants: (grants.path, grants.name),
      report: report)

    let workers = (0..<options.threads).map { _ in Worker(inputs: inputs) }
    var eventCount = 0
    for file in events {
      eventCount += try stream(file, inputs: inputs, workers: workers, options: options, report: report)
    }
    let invalid = order.map { (file: $0, count: counts[$0]!) }
    guard options.skipInvalid || invalid.isEmpty else {
      return Report(alerts: [], invalidRows: invalid, events: eventCount)
    }
    let merged = Worker.merge(workers)
    return Report(alerts: merged.alerts(), invalidRows: invalid, events: eventCount)
  }

  /// Reads one events file; returns the number of events read.
  static func stream(
    _ input: InputFile, inputs: DetectionInputs, workers: [Worker], options: Options, report: (InputError) -> Void
  ) throws -> Int {
    let file = try CSVFile(path: input.path, name: input.name, blockSize: options.blockSize)
    guard var block = try file.nextBlock() else {
      throw InputError(file: input.name, line: nil, reason: "is empty: it has no header", isFatal: true)
    }
    let (header, dataStart, headerLines) = try CSVHeader.read(file, block: block)
    let columns = try header.require(["timestamp", "user_id", "action", "object"], file: input.name)
    let layout = Worker.Layout(
      columnCount: header.columnCount, timestamp: columns[0], user: columns[1], action: columns[2], object: columns[3],
      bytes: header.index(of: "bytes"), file: input.name)
    var start = dataStart
    var firstLine = block.firstLine + headerLines
    var events = 0
    while true {
      // Cut the block into one part per worker, at record boundaries.
      let bytes = block.bytes
      var cuts = [start]
      var finder = CSVRecords.BoundaryFinder(bytes)
      for part in 1..<workers.count {
        let target = start + (bytes.count - start) * part / workers.count
        guard let cut = finder.recordStart(atOrAfter: max(target, cuts.last!)), cut < bytes.count else { break }
        if cut > cuts.last! { cuts.append(cut) }
      }
      cuts.append(bytes.count)
      let parts = cuts.count - 1
      let isLast = block.isLast
      let shared = SharedBlock(bytes: bytes, cuts: cuts)
      DispatchQueue.concurrentPerform(iterations: parts) { part in
        workers[part].parse(
          shared.bytes, from: shared.cuts[part], to: shared.cuts[part + 1], atEnd: isLast && part == parts - 1,
          layout: layout)
      }
      // Errors in line order: each part's lines are relative to its start.
      var line = firstLine
      var fatal: InputError?
      for part in 0..<parts {
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
      file.advance(lines: line - block.firstLine)
      firstLine = line
      guard let next = try file.nextBlock() else { break }
      block = next
      start = 0
    }
    return events
  }
}

/// A block handed to the worker threads: read-only while they run, and alive until they return.
struct SharedBlock: @unchecked Sendable {
  let bytes: UnsafeBufferPointer<UInt8>
  let cuts: [Int]
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

  /// What the events of one key add up to: 64 bytes, whatever the number of events.
  struct Aggregate {
    var bytes: UInt128 = 0
    var first = EventTime(seconds: .max, nanoseconds: 0, offsetMinutes: 0, format: 0)
    var last = EventTime(seconds: .min, nanoseconds: 0, offsetMinutes: 0, format: 0)
    var events: Int64 = 0
    /// Distinct objects seen so far (mass-transfer only), counted up to the rule's threshold.
    var distinct: Int32 = 0

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
  var unknownIndex: [String: Int32] = [:]

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
        apply(
          user: user, asset: inputs.assets.match(object, 0, object.count), action: action, time: time, bytes: amount,
          object: action.isTransfer ? Self.objectHash(object, 0, object.count) : (0, 0))
      }
    } else {
      apply(
        user: user, asset: inputs.assets.match(buffer, objectField.start, objectField.end), action: action, time: time,
        bytes: amount, object: action.isTransfer ? Self.objectHash(buffer, objectField.start, objectField.end) : (0, 0))
    }
    return nil
  }

  private func resolveUser(_ bytes: [UInt8]) -> Int32 {
    if let known = bytes.withUnsafeBufferPointer({ inputs.users.find($0.baseAddress!, $0.count) }) {
      return Int32(known)
    }
    let name = String(decoding: bytes, as: UTF8.self)
    if let index = unknownIndex[name] { return index }
    let index = Int32(inputs.people.count + unknownUsers.count)
    unknownUsers.append(name)
    unknownIndex[name] = index
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

  /// Two independent hashes of an object, for counting distinct objects per user-hour.
  @inline(__always)
  static func objectHash(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (UInt64, UInt64) {
    var a: UInt64 = 0xCBF2_9CE4_8422_2325
    var b: UInt64 = 0x9E37_79B9_7F4A_7C15
    for index in start..<end {
      let byte = UInt64(buffer[index])
      a = (a ^ byte) &* 0x0000_0100_0000_01B3
      b = (b &+ byte &+ 1) &* 0xBF58_476D_1CE4_E5B9
      b ^= b >> 29
    }
    return (a, b)
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
  private func apply(user: Int32, asset: Int32, action: Action, time: EventTime, bytes: UInt64, object: (UInt64, UInt64)) {
    let day = time.localDay
    if day < firstDay[Int(user)] { firstDay[Int(user)] = day }
    let person = Int(user) < inputs.people.count ? inputs.people[Int(user)] : nil

    if let exit = person?.exitDay, day > exit {
      _ = add(AggregateKey(rule: .postExitActivity, user: user, day: day), time, bytes)
    }
    let hour = time.localHour
    if action.isTransfer {
      _ = add(AggregateKey(rule: .volumeSpike, user: user, day: day), time, bytes)
      let hourly = add(AggregateKey(rule: .massTransfer, user: user, day: day, hour: hour), time, bytes)
      if aggregates[Int(hourly)].distinct < Self.massThreshold, seen.insert(aggregate: hourly, hash: object) {
        aggregates[Int(hourly)].distinct += 1
      }
    }
    guard asset >= 0 else { return }
    if !inputs.isGranted(user: Int(user), asset: Int(asset)) {
      _ = add(AggregateKey(rule: .unauthorizedAccess, user: user, asset: asset, day: day), time, bytes)
    }
    guard action.isTransfer else { return }
    if let exit = person?.exitDay {
      var windowStart = exit - 90
      if let notice = person?.noticeDay, notice < windowStart { windowStart = notice }
      if day >= windowStart, day <= exit {
        _ = add(AggregateKey(rule: .departingTransfer, user: user, asset: asset, day: day), time, bytes)
      }
    }
    if Self.isOffHours(day: day, hour: hour) {
      _ = add(AggregateKey(rule: .offHoursTransfer, user: user, asset: asset, day: day), time, bytes)
    }
    if action.isExternal {
      _ = add(AggregateKey(rule: .externalChannel, user: user, asset: asset, day: day), time, bytes)
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

  // MARK: - Merging the workers and making alerts

  /// Folds every other worker into the first, releasing each one's tables as soon as it is merged, so
  /// that memory never holds a third copy.
  static func merge(_ workers: [Worker]) -> Worker {
    let total = workers[0]
    for worker in workers.dropFirst() {
      // Users seen only in events get one index across all workers.
      let people = total.inputs.people.count
      let remap = worker.unknownUsers.map { total.resolveUser(Array($0.utf8)) }
      func global(_ user: Int32) -> Int32 { Int(user) < people ? user : remap[Int(user) - people] }
      for (user, day) in worker.firstDay.enumerated() where day != .max {
        let target = Int(global(Int32(user)))
        if day < total.firstDay[target] { total.firstDay[target] = day }
      }
      var positions = [Int32](repeating: -1, count: worker.aggregates.count)
      worker.index.forEach { key, position in
        let next = Int32(total.aggregates.count)
        let (target, inserted) = total.index.position(of: key.with(user: global(key.user))) { next }
        if inserted { total.aggregates.append(Aggregate()) }
        var incoming = worker.aggregates[Int(position)]
        incoming.distinct = 0
        total.aggregates[Int(target)].merge(incoming)
        positions[Int(position)] = target
      }
      // Distinct objects: the union of what each worker saw (a worker stops at the threshold, which
      // the union then reaches too).
      worker.seen.forEach { aggregate, hash in
        let target = positions[Int(aggregate)]
        guard total.aggregates[Int(target)].distinct < massThreshold else { return }
        if total.seen.insert(aggregate: target, hash: hash) { total.aggregates[Int(target)].distinct += 1 }
      }
      worker.release()
    }
    return total
  }

  private func release() {
    index = AggregateIndex(capacity: 1)
    aggregates = []
    seen = DistinctObjects(capacity: 1)
  }

  func userID(_ user: Int32) -> String {
    Int(user) < inputs.people.count ? inputs.users.string(at: Int(user)) : unknownUsers[Int(user) - inputs.people.count]
  }

  func alerts() -> [Alert] {
    var alerts: [Alert] = []
    // Transfer bytes per user and day, for the volume-spike history.
    var dailyBytes: [Int32: [Int32: UInt128]] = [:]
    index.forEach { key, position in
      if key.rule == .volumeSpike { dailyBytes[key.user, default: [:]][key.day] = aggregates[Int(position)].bytes }
    }
    index.forEach { key, position in
      let aggregate = aggregates[Int(position)]
      let rule = key.rule
      switch rule {
      case .massTransfer:
        guard aggregate.distinct >= Self.massThreshold else { return }
      case .volumeSpike:
        guard Self.isSpike(day: key.day, firstDay: firstDay[Int(key.user)], days: dailyBytes[key.user] ?? [:]) else {
          return
        }
      default:
        break
      }
      let asset = key.asset
      let level = asset >= 0 ? inputs.assetLevels[Int(asset)] : nil
      let severity: AlertSeverity
      switch rule {
      case .postExitActivity: severity = .critical
      case .volumeSpike, .offHoursTransfer: severity = .medium
      case .massTransfer: severity = .high
      case .unauthorizedAccess, .departingTransfer, .externalChannel: severity = level == .secret ? .critical : .high
      }
      alerts.append(
        Alert(
          rule: rule, severity: severity, userID: userID(key.user), assetID: asset >= 0 ? inputs.assetIDs[Int(asset)] : nil,
          date: CivilDate(daysSinceEpoch: Int(key.day)), hour: key.hour >= 0 ? Int(key.hour) : nil,
          events: Int(aggregate.events), bytes: aggregate.bytes, first: aggregate.first.text, last: aggregate.last.text))
    }
    return alerts.sorted(by: Alert.precedes)
  }

  /// The volume-spike test, in exact integers: with n history days, S the sum and Q the sum of squares
  /// of their transfer bytes, day d fires when B > 100 MiB, n·B − S > 0 and (n·B − S)² > 9·(n·Q − S²).
  static func isSpike(day: Int32, firstDay: Int32, days: [Int32: UInt128]) -> Bool {
    let bytes = days[day] ?? 0
    guard bytes > 104_857_600 else { return false }
    let n = min(30, Int(day) - Int(firstDay))
    guard n >= 14 else { return false }
    let history = (1...n).map { days[day - Int32($0)] ?? 0 }
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
