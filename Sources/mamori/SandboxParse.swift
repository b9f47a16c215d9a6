import ArgumentParser
import Foundation
import MamoriCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Mamori {
  /// The child the server starts for every upload: it lowers its own limits, parses one file with
  /// `UploadParser` and prints the outcome as one line of JSON. A trap, a hang or a bomb in a parser
  /// kills this process (the parent adds a wall-clock timeout and treats a signal or a non-zero exit as
  /// a refused upload), never the server.
  struct SandboxParse: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "sandbox-parse",
      abstract: "Parse one uploaded file under CPU and memory limits and print the outcome as JSON (used by the server).",
      discussion: """
        Prints one line of JSON (an UploadOutcome, keys sorted) and exits 0 for any input, refused or not; \
        exits 2 when called wrongly (a request or input that cannot be read).
        """,
      shouldDisplay: false)

    @Option(help: "The request: a JSON UploadRequest (kind, fileName, catalogYAML).")
    var request: String

    @Option(help: "The uploaded file to parse.")
    var input: String

    @Option(name: .customLong("cpu-seconds"), help: "CPU time the parse may use before the kernel stops it (RLIMIT_CPU).")
    var cpuSeconds: Int = 10

    @Option(name: .customLong("memory-mib"), help: "Address space the process may use, in MiB (RLIMIT_AS).")
    var memoryMiB: Int = 1024

    /// A request holds a catalog of at most `YAMLGuard.maximumBytes`, escaped as JSON.
    static let maximumRequestBytes = 16 << 20

    func validate() throws {
      guard (1...3600).contains(cpuSeconds) else { throw ValidationError("--cpu-seconds must be between 1 and 3600") }
      guard (256...65536).contains(memoryMiB) else { throw ValidationError("--memory-mib must be between 256 and 65536") }
    }

    func run() throws {
      // First of all, before the input is even opened.
      try Self.lowerLimits(cpuSeconds: cpuSeconds, memoryMiB: memoryMiB)

      let requestData = try Self.read(request, limit: Self.maximumRequestBytes, what: "request")
      guard requestData.count <= Self.maximumRequestBytes else {
        throw UsageError("the request \(request) is larger than \(Self.maximumRequestBytes >> 20) MiB")
      }
      let uploadRequest: UploadRequest
      do {
        uploadRequest = try JSONDecoder().decode(UploadRequest.self, from: requestData)
      } catch {
        throw UsageError("the request \(request) is not a JSON upload request: \(error)")
      }
      // One byte more than the limit is enough to know the file is too large: UploadParser refuses it.
      let data = try Self.read(input, limit: UploadParser.maximumBytes + 1, what: "input")
      let outcome = UploadParser.parse(uploadRequest, data: data)
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      var line = try encoder.encode(outcome)
      line.append(0x0A)
      FileHandle.standardOutput.write(line)
    }

    /// At most `limit` bytes of a file.
    static func read(_ path: String, limit: Int, what: String) throws -> Data {
      guard let handle = FileHandle(forReadingAtPath: path) else { throw UsageError("cannot read the \(what) \(path)") }
      defer { try? handle.close() }
      do {
        return try handle.read(upToCount: limit) ?? Data()
      } catch {
        throw UsageError("cannot read the \(what) \(path): \(error.localizedDescription)")
      }
    }

    /// CPU time (soft limit N: SIGXCPU, hard limit N+1: SIGKILL), address space, and no core file (the
    /// bytes of an upload must not end up on disk). A limit can only be lowered: a hard limit already
    /// below the one asked for is kept.
    ///
    /// RLIMIT_AS rather than RLIMIT_DATA: glibc's malloc takes large blocks with mmap, which RLIMIT_DATA
    /// bounds only on Linux 4.7 and later; the address space is what a bomb grows, whatever the kernel.
    /// Measured: the program starts and parses a full export well below 1 GiB of address space (each
    /// thread's malloc arena reserves 64 MiB of it, so the parse stays on one thread).
    static func lowerLimits(cpuSeconds: Int, memoryMiB: Int) throws {
      #if os(Linux)
        let cpu = __rlimit_resource_t(RLIMIT_CPU.rawValue)
        let addressSpace = __rlimit_resource_t(RLIMIT_AS.rawValue)
        let core = __rlimit_resource_t(RLIMIT_CORE.rawValue)
      #else
        let cpu = RLIMIT_CPU
        let addressSpace = RLIMIT_AS
        let core = RLIMIT_CORE
      #endif
      let memory = rlim_t(memoryMiB) << 20
      try lower(cpu, soft: rlim_t(cpuSeconds), hard: rlim_t(cpuSeconds + 1), name: "RLIMIT_CPU")
      try lower(addressSpace, soft: memory, hard: memory, name: "RLIMIT_AS")
      try lower(core, soft: 0, hard: 0, name: "RLIMIT_CORE")
    }

    #if os(Linux)
      typealias Resource = __rlimit_resource_t
    #else
      typealias Resource = Int32
    #endif

    static func lower(_ resource: Resource, soft: rlim_t, hard: rlim_t, name: String) throws {
      var current = rlimit()
      guard getrlimit(resource, &current) == 0 else { throw UsageError("cannot read \(name)") }
      let newHard = min(hard, current.rlim_max)
      var wanted = rlimit(rlim_cur: min(soft, newHard), rlim_max: newHard)
      guard setrlimit(resource, &wanted) == 0 else { throw UsageError("cannot lower \(name)") }
    }
  }
}
