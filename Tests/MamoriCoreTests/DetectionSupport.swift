import Foundation
import Testing

@testable import MamoriCore

/// Input files for one detection run, written to a temporary folder.
struct DetectionCase {
  var people = "user_id,name,department,employment_type,exit_date,notice_date\n"
  var assets = "asset_id,name,location,level\n"
  var grants = "user_id,asset_id\n"
  var events: [String] = ["timestamp,user_id,action,object,bytes\n"]

  mutating func person(_ user: String, exit: String = "", notice: String = "") {
    people += "\(user),\(user),設計部,employee,\(exit),\(notice)\n"
  }

  mutating func asset(_ id: String, _ location: String, _ level: String = "secret") {
    assets += "\(id),\(id),\(location),\(level)\n"
  }

  mutating func grant(_ user: String, _ asset: String) { grants += "\(user),\(asset)\n" }

  mutating func event(_ timestamp: String, _ user: String, _ action: String, _ object: String, _ bytes: String = "0") {
    events[events.count - 1] += "\(timestamp),\(user),\(action),\(object),\(bytes)\n"
  }

  struct Outcome {
    var alerts: [Alert]
    var errors: [String]
    var invalidRows: [(file: String, count: Int)]

    func alerts(_ rule: DetectionRule) -> [Alert] { alerts.filter { $0.rule == rule } }
  }

  /// Runs the engine; `threads` and `blockSize` let tests force many blocks and parts.
  func run(skipInvalid: Bool = false, threads: Int = 2, blockSize: Int = 1 << 16) throws -> Outcome {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-detect-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    func write(_ name: String, _ text: String) throws -> LeakDetector.InputFile {
      let url = folder.appendingPathComponent(name)
      try Data(text.utf8).write(to: url)
      return LeakDetector.InputFile(path: url.path, name: name)
    }
    let people = try write("people.csv", self.people)
    let assets = try write("assets.csv", self.assets)
    let grants = try write("grants.csv", self.grants)
    let events = try self.events.enumerated().map { try write(self.events.count == 1 ? "events.csv" : "events\($0.offset + 1).csv", $0.element) }
    var errors: [String] = []
    let report = try LeakDetector.run(
      people: people, assets: assets, grants: grants, events: events,
      options: LeakDetector.Options(skipInvalid: skipInvalid, threads: threads, blockSize: blockSize)
    ) { errors.append($0.description) }
    return Outcome(alerts: report.alerts, errors: errors, invalidRows: report.invalidRows)
  }

  /// Runs with raw bytes for one file (for encodings and line endings), the others as they are.
  func run(rawEvents: [UInt8], skipInvalid: Bool = false) throws -> Outcome {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-detect-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    func write(_ name: String, _ data: Data) throws -> LeakDetector.InputFile {
      let url = folder.appendingPathComponent(name)
      try data.write(to: url)
      return LeakDetector.InputFile(path: url.path, name: name)
    }
    var errors: [String] = []
    let report = try LeakDetector.run(
      people: try write("people.csv", Data(people.utf8)), assets: try write("assets.csv", Data(assets.utf8)),
      grants: try write("grants.csv", Data(grants.utf8)), events: [try write("events.csv", Data(rawEvents))],
      options: LeakDetector.Options(skipInvalid: skipInvalid, threads: 2, blockSize: 1 << 16)
    ) { errors.append($0.description) }
    return Outcome(alerts: report.alerts, errors: errors, invalidRows: report.invalidRows)
  }
}
