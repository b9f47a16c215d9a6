import Foundation
import Testing

/// Compares text with `__Snapshots__/<name>`. A missing snapshot is written and reported as a failure;
/// set `MAMORI_RECORD_SNAPSHOTS=1` to rewrite every snapshot after a deliberate change of the output.
func assertSnapshot(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
  let file = Repository.snapshots.appendingPathComponent(name)
  let record = ProcessInfo.processInfo.environment["MAMORI_RECORD_SNAPSHOTS"] == "1"
  if record || !FileManager.default.fileExists(atPath: file.path) {
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: file, atomically: true, encoding: .utf8)
    if !record {
      Issue.record("recorded a new snapshot \(name); check it and run again", sourceLocation: sourceLocation)
    }
    return
  }
  let expected = try String(contentsOf: file, encoding: .utf8)
  if expected != text {
    let expectedLines = expected.components(separatedBy: "\n")
    let actualLines = text.components(separatedBy: "\n")
    let index = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(expectedLines.count, actualLines.count)
    let want = index < expectedLines.count ? expectedLines[index] : "<end>"
    let got = index < actualLines.count ? actualLines[index] : "<end>"
    Issue.record(
      "snapshot \(name) differs at line \(index + 1):\n  expected: \(want)\n  actual:   \(got)", sourceLocation: sourceLocation)
  }
}
