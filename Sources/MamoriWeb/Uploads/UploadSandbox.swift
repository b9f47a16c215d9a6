import Foundation
import NIOConcurrencyHelpers
import MamoriCore

#if canImport(Glibc)
  import Glibc
#endif

/// Reads an uploaded file into something the server can trust (answers, a checked catalog).
///
/// The server never runs a file parser on uploaded bytes itself: ``ChildProcessUploadParser`` runs
/// `mamori sandbox-parse` in a short-lived child process under CPU-time, memory and wall-clock limits,
/// so that a trap, an endless loop or a bomb in any parser (ours, ZIPFoundation's, FoundationXML's,
/// libyaml's) costs one refused upload and never the server.
public protocol UploadParsing: Sendable {
  func parse(_ request: UploadRequest, file: URL) async -> UploadOutcome
}

/// What a refused upload says when the child did not answer, in the refusal's own words.
enum SandboxFailure {
  static func refusal(_ fileName: String, _ reason: String) -> UploadOutcome {
    .refused(lines: ["\(fileName): \(reason)"], total: 1)
  }
}

public struct SandboxLimits: Sendable {
  /// CPU seconds the child may use (RLIMIT_CPU); a parser spinning on a hostile file is killed by the kernel.
  public var cpuSeconds = 10
  /// Address space of the child (RLIMIT_AS), which bounds what a bomb can allocate.
  public var memoryMiB = 1024
  /// Wall-clock time before the parent kills the child (a child blocked without using CPU).
  public var wallClock: Duration = .seconds(15)
  /// Children at once; further uploads wait for a place, so a burst of uploads cannot take every core.
  public var concurrent = 2
  /// The child's answer is a few KiB, except for a register file, whose rows come back as JSON: each
  /// byte of the file costs at most six in the answer (a control character escaped as `\u0001`) plus a
  /// few dozen per row. Anything larger is not read.
  public var maximumOutputBytes = 8 * UploadParser.maximumBytes

  public init() {}
}

public struct ChildProcessUploadParser: UploadParsing {
  let executable: URL
  var limits = SandboxLimits()
  let gate: ConcurrencyGate

  public init(executable: URL, limits: SandboxLimits = SandboxLimits()) {
    self.executable = executable
    self.limits = limits
    self.gate = ConcurrencyGate(limit: limits.concurrent)
  }

  /// The running `mamori` itself: the child is the same binary, so it can never be of another version.
  public static func currentExecutable() -> URL {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return URL(fileURLWithPath: path)
    }
    return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
  }

  public func parse(_ request: UploadRequest, file: URL) async -> UploadOutcome {
    await gate.run { await runChild(request, file: file) }
  }

  private func runChild(_ request: UploadRequest, file: URL) async -> UploadOutcome {
    let directory = FileManager.default.temporaryDirectory
    let stamp = UUID.random().uuidString
    let requestURL = directory.appendingPathComponent("mamori-parse-\(stamp).json")
    let outputURL = directory.appendingPathComponent("mamori-parse-\(stamp).out")
    defer {
      try? FileManager.default.removeItem(at: requestURL)
      try? FileManager.default.removeItem(at: outputURL)
    }
    do {
      try JSONEncoder().encode(request).write(to: requestURL)
      _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil, attributes: [.posixPermissions: 0o600])
      let output = try FileHandle(forWritingTo: outputURL)
      defer { try? output.close() }
      let process = Process()
      process.executableURL = executable
      process.arguments = [
        "sandbox-parse", "--request", requestURL.path, "--input", file.path,
        "--cpu-seconds", String(limits.cpuSeconds), "--memory-mib", String(limits.memoryMiB),
      ]
      // The child needs nothing of the server's environment (database URL, SMTP password, tokens).
      process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
      process.standardInput = FileHandle.nullDevice
      process.standardOutput = output
      process.standardError = FileHandle.nullDevice
      let status = try await run(process)
      switch status {
      case .exited(0):
        let handle = try FileHandle(forReadingFrom: outputURL)
        defer { try? handle.close() }
        let data = try handle.read(upToCount: limits.maximumOutputBytes + 1) ?? Data()
        guard data.count <= limits.maximumOutputBytes,
          let outcome = try? JSONDecoder().decode(UploadOutcome.self, from: data)
        else { return SandboxFailure.refusal(request.fileName, "could not be read (the reader gave no usable answer)") }
        return outcome
      case .timedOut:
        return SandboxFailure.refusal(
          request.fileName, "could not be read within \(limits.wallClock.components.seconds) seconds; it was refused")
      case .exited(let code):
        return SandboxFailure.refusal(request.fileName, "could not be read (the reader stopped with status \(code))")
      case .signalled(let signal):
        let reason =
          signal == SIGXCPU || signal == SIGKILL
          ? "needed more than \(limits.cpuSeconds) seconds of processing; it was refused"
          : "could not be read (the reader stopped on signal \(signal)); it was refused"
        return SandboxFailure.refusal(request.fileName, reason)
      }
    } catch {
      return SandboxFailure.refusal(request.fileName, "could not be read (\(error))")
    }
  }

  enum Status: Equatable {
    case exited(Int32)
    case signalled(Int32)
    case timedOut
  }

  /// Runs the child and waits for it, killing it when the wall clock runs out.
  private func run(_ process: Process) async throws -> Status {
    let finished = AsyncStream<Void>.makeStream()
    // (exited, killed): the timer never signals a child that has already been reaped, whose pid could
    // belong to another process by then.
    let state = NIOLockedValueBox((exited: false, killed: false))
    process.terminationHandler = { _ in
      state.withLockedValue { $0.exited = true }
      finished.continuation.yield()
      finished.continuation.finish()
    }
    try process.run()
    let pid = process.processIdentifier
    // The kill is armed on a Dispatch timer, not on a sleeping task: when the cooperative pool is busy
    // (two threads on a two-core server), a task's timer could fire long after the limit.
    let killer = DispatchWorkItem {
      state.withLockedValue {
        guard !$0.exited else { return }
        $0.killed = true
        kill(pid, SIGKILL)
      }
    }
    let wallClock = limits.wallClock
    let seconds = Double(wallClock.components.seconds) + Double(wallClock.components.attoseconds) / 1e18
    DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: killer)
    for await _ in finished.stream { break }
    killer.cancel()
    // The child has been reaped (the termination handler ran), so waiting returns at once.
    if state.withLockedValue({ $0.killed }) {
      process.waitUntilExit()
      return .timedOut
    }
    process.waitUntilExit()
    switch process.terminationReason {
    case .exit: return .exited(process.terminationStatus)
    case .uncaughtSignal: return .signalled(process.terminationStatus)
    @unknown default: return .exited(process.terminationStatus)
    }
  }
}

/// At most `limit` operations at once; the others wait in order.
actor ConcurrencyGate {
  let limit: Int
  private var running = 0
  private var waiting: [CheckedContinuation<Void, Never>] = []

  init(limit: Int) { self.limit = max(1, limit) }

  func run<T: Sendable>(_ operation: @Sendable () async -> T) async -> T {
    await acquire()
    let result = await operation()
    release()
    return result
  }

  private func acquire() async {
    if running < limit {
      running += 1
      return
    }
    await withCheckedContinuation { waiting.append($0) }
  }

  private func release() {
    if waiting.isEmpty {
      running -= 1
    } else {
      waiting.removeFirst().resume()
    }
  }
}
