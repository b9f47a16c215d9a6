import ArgumentParser
import Foundation
import MamoriWeb

/// The `mamori` command: one tree for serving, migrating and administering.
struct Mamori: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mamori",
    abstract: "Mamori (守り): protect technical information against leakage, and prove it.",
    discussion: """
      Every option can also be set by an environment variable, named in its help. A flag given on the \
      command line wins over the environment.
      """,
    version: MamoriVersion.current,
    subcommands: [Serve.self, Migrate.self, Org.self, UserCommand.self, Audit.self, Actions.self, Detect.self, FindingsCommand.self, TrainingCommand.self, Reviews.self, LeaversCommand.self, ImportCommand.self, ExportCommand.self, Holidays.self, Checklist.self, SandboxParse.self]
  )
}

/// Exit status 2 for every mistake in how the command was called (bad flags, unknown organisation,
/// invalid e-mail…), 1 for failures of the system (database unreachable…).
@main
enum Entrypoint {
  static func main() async {
    var command: any ParsableCommand
    do {
      command = try Mamori.parseAsRoot()
    } catch {
      exitReporting(error)
    }
    do {
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch let error as UsageError {
      FileHandle.standardError.write(Data("mamori: \(error.message)\n".utf8))
      exit(2)
    } catch let error as SettingsError {
      // A missing database, a schema of another version, an unusable data folder: how it was called.
      FileHandle.standardError.write(Data("mamori: \(error.description)\n".utf8))
      exit(2)
    } catch let error as ExitCode {
      exit(error.rawValue)
    } catch let error as ValidationError {
      exitReporting(error)
    } catch {
      // `--help` reaches here as ArgumentParser's help command throwing from `run()`; so do errors it
      // raises while a command runs. They keep their own exit status (0 for help, 2 for misuse).
      let code = Mamori.exitCode(for: error)
      if code == .success || code == .validationFailure { exitReporting(error) }
      // A failure of the system (database, files): its own words, PostgreSQL's server message included.
      FileHandle.standardError.write(Data("mamori: \(OperatorMessage.describe(error))\n".utf8))
      exit(1)
    }
  }

  /// ArgumentParser's own errors: help and version (exit 0), parse and validation errors (exit 2).
  static func exitReporting(_ error: any Error) -> Never {
    let code = Mamori.exitCode(for: error)
    if code == .success {
      // --help and --version
      print(Mamori.fullMessage(for: error))
      exit(0)
    }
    let message = Mamori.fullMessage(for: error)
    if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
    exit(code == .validationFailure ? 2 : code.rawValue)
  }
}

/// A mistake in the command's arguments or their values, reported with exit status 2.
struct UsageError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
  init(_ message: String) { self.message = message }
}
