import ArgumentParser
import Foundation
import Logging
import MamoriWeb

/// Where the data is and how to log: shared by every command that opens the database.
struct StoreOptions: ParsableArguments {
  @Option(name: .customLong("data-dir"), help: "Folder for the SQLite database and the evidence files (also with PostgreSQL), created 0700. (MAMORI_DATA_DIR, default: ./data)")
  var dataDirectory: String?

  @Option(
    name: .customLong("database-url"),
    help: "PostgreSQL URL (postgres://user:password@host:5432/db, special characters in the password percent-encoded); when set, SQLite is not used. (DATABASE_URL)")
  var databaseURL: String?

  @Option(name: .customLong("resources-dir"), help: "Folder of Mamori's views, locales and static files. (MAMORI_RESOURCES_DIR, default: found next to the program)")
  var resourcesDirectory: String?

  @Option(name: .customLong("public-url"), help: "Address people use to reach Mamori, for links in e-mails and on the console, e.g. https://mamori.example.co.jp (the root of a host: no path). (MAMORI_PUBLIC_URL)")
  var publicURL: String?

  @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical. (MAMORI_LOG_LEVEL, default: info)")
  var logLevel: String?

  @Option(name: .customLong("log-format"), help: "text or json. (MAMORI_LOG_FORMAT, default: text)")
  var logFormat: String?

  var environment: [String: String] { ProcessInfo.processInfo.environment }

  func value(_ flag: String?, _ variable: String) -> String? {
    if let flag, !flag.isEmpty { return flag }
    if let value = environment[variable], !value.isEmpty { return value }
    return nil
  }

  var resolvedDataDirectory: String { value(dataDirectory, "MAMORI_DATA_DIR") ?? "data" }
  var resolvedDatabaseURL: String? { value(databaseURL, "DATABASE_URL") }
  var resolvedPublicURL: String? { value(publicURL, "MAMORI_PUBLIC_URL") }

  func resolvedLogLevel() throws -> Logger.Level {
    let text = value(logLevel, "MAMORI_LOG_LEVEL") ?? "info"
    guard let level = Logger.Level(rawValue: text) else {
      throw UsageError("unknown log level \(text); use trace, debug, info, notice, warning, error or critical")
    }
    return level
  }

  func resolvedLogFormat() throws -> MamoriLogHandler.Format {
    let text = value(logFormat, "MAMORI_LOG_FORMAT") ?? "text"
    guard let format = MamoriLogHandler.Format(rawValue: text) else {
      throw UsageError("unknown log format \(text); use text or json")
    }
    return format
  }

  /// The settings every command shares; `serve` adds its own on top.
  func settings(databaseFile: String = "mamori.sqlite") throws -> AppSettings {
    let dataDirectory = resolvedDataDirectory
    let database: AppSettings.Database
    let resources: String
    do {
      database = try AppSettings.database(url: resolvedDatabaseURL, dataDirectory: dataDirectory, fileName: databaseFile)
      resources = try AppSettings.locateResources(explicit: value(resourcesDirectory, "MAMORI_RESOURCES_DIR"))
    } catch let error as SettingsError {
      throw UsageError(error.description)
    }
    var publicURL: String?
    if let url = resolvedPublicURL {
      do {
        publicURL = try AppSettings.checkPublicURL(url)
      } catch let error as SettingsError {
        throw UsageError(error.description)
      }
    }
    return AppSettings(
      database: database, dataDirectory: dataDirectory, resourcesDirectory: resources, publicURL: publicURL)
  }

  /// The address the CLI builds links on: --public-url, else a guess that says it is one.
  var linkBase: (url: String, isGuess: Bool) {
    if let url = resolvedPublicURL, let checked = try? AppSettings.checkPublicURL(url) { return (checked, false) }
    return ("http://127.0.0.1:8080", true)
  }

  /// Printed under a link built without --public-url.
  static let guessedLinkNote =
    "This address is a guess (no --public-url / MAMORI_PUBLIC_URL): replace http://127.0.0.1:8080 with the address people use to reach Mamori."

  /// Logging can be bootstrapped once per process.
  func bootstrapLogging() throws {
    let level = try resolvedLogLevel()
    let format = try resolvedLogFormat()
    LoggingSystem.bootstrap { label in MamoriLogHandler(label: label, level: level, format: format) }
  }
}

/// Prints a line to standard output at once, even when the output is a pipe: scripts (and the browser
/// test) read the demo logins and the setup link while the server keeps running.
func say(_ line: String) {
  FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
