import Foundation
import MamoriCore

/// Everything an operator can set, resolved once from flags and environment variables by the command
/// line (see `docs/operations.md`), then handed to ``configure(_:settings:services:)``.
public struct AppSettings: Sendable {
  public enum Database: Sendable, Equatable {
    /// An SQLite file; WAL mode, a busy timeout and foreign keys are switched on at start.
    case sqlite(path: String)
    /// A private in-memory SQLite database, for tests.
    case sqliteMemory
    /// A PostgreSQL server, from `DATABASE_URL`.
    case postgres(url: String)
  }

  public var database: Database
  /// Where the SQLite files live (and, later, uploaded evidence).
  public var dataDirectory: String
  /// The folder holding `Views/`, `Locales/`, `Public/` and `OpenAPI/`.
  public var resourcesDirectory: String
  /// The address people use to reach Mamori (`https://mamori.example.co.jp`), for links in e-mails and
  /// on the console. When unset, links are built from the listening host and port.
  public var publicURL: String?
  /// Honour `X-Forwarded-For` and `X-Forwarded-Proto` from a reverse proxy.
  public var trustProxy: Bool
  /// A session ends after this long without a request…
  public var sessionIdleTimeout: TimeInterval
  /// …and in any case this long after sign-in.
  public var sessionAbsoluteTimeout: TimeInterval
  public var bcryptCost: Int
  /// PostgreSQL connections per event loop (SQLite always uses one).
  public var databasePoolSize: Int
  /// Mark every page as the demonstration instance.
  public var isDemo: Bool
  /// How many times the demo repeats its staffing plan (benchmarks run it at 1 and 10).
  public var demoScale = 1
  /// When set, `/metrics` answers only with `Authorization: Bearer <token>`.
  public var metricsToken: String?
  public var smtp: SMTPSettings?
  public var throttle: LoginThrottlePolicy
  /// Serve HTTPS directly with this certificate chain and key (PEM). Usually TLS ends at nginx instead.
  public var tlsCertificatePath: String?
  public var tlsKeyPath: String?

  public var tlsEnabled: Bool { tlsCertificatePath != nil && tlsKeyPath != nil }

  public init(
    database: Database,
    dataDirectory: String,
    resourcesDirectory: String,
    publicURL: String? = nil,
    trustProxy: Bool = false,
    sessionIdleTimeout: TimeInterval = 2 * 3600,
    sessionAbsoluteTimeout: TimeInterval = 12 * 3600,
    bcryptCost: Int = 12,
    databasePoolSize: Int = 4,
    isDemo: Bool = false,
    metricsToken: String? = nil,
    smtp: SMTPSettings? = nil,
    throttle: LoginThrottlePolicy = .init()
  ) {
    self.database = database
    self.dataDirectory = dataDirectory
    self.resourcesDirectory = resourcesDirectory
    self.publicURL = publicURL
    self.trustProxy = trustProxy
    self.sessionIdleTimeout = sessionIdleTimeout
    self.sessionAbsoluteTimeout = sessionAbsoluteTimeout
    self.bcryptCost = bcryptCost
    self.databasePoolSize = databasePoolSize
    self.isDemo = isDemo
    self.metricsToken = metricsToken
    self.smtp = smtp
    self.throttle = throttle
  }

  /// The database named by `DATABASE_URL` when it is set, else the SQLite file in the data directory.
  public static func database(url: String?, dataDirectory: String, fileName: String = "mamori.sqlite") throws
    -> Database
  {
    guard let url, !url.isEmpty else {
      return .sqlite(path: URL(fileURLWithPath: dataDirectory).appendingPathComponent(fileName).path)
    }
    if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
      return .postgres(url: url)
    }
    if url.hasPrefix("sqlite://") {
      return .sqlite(path: String(url.dropFirst("sqlite://".count)))
    }
    throw SettingsError("DATABASE_URL must start with postgres:// or sqlite:// (got \(url.prefix(20))…)")
  }

  /// Finds the resources folder: the one given, else `./Resources`, else one next to or above the
  /// executable (so that `swift run` and an installed binary both work).
  public static func locateResources(explicit: String?, executablePath: String = CommandLine.arguments[0]) throws
    -> String
  {
    let fileManager = FileManager.default
    func isResources(_ path: String) -> Bool {
      fileManager.fileExists(atPath: URL(fileURLWithPath: path).appendingPathComponent("Locales/ja.yaml").path)
    }
    if let explicit, !explicit.isEmpty {
      guard isResources(explicit) else {
        throw SettingsError("\(explicit) is not a Mamori resources folder (it has no Locales/ja.yaml)")
      }
      return explicit
    }
    let cwd = fileManager.currentDirectoryPath + "/Resources"
    if isResources(cwd) { return cwd }
    var directory = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<6 {
      for candidate in ["Resources", "share/mamori/Resources"] {
        let path = directory.appendingPathComponent(candidate).path
        if isResources(path) { return path }
      }
      directory = directory.deletingLastPathComponent()
    }
    throw SettingsError(
      "cannot find Mamori's Resources folder; run from the source folder or set --resources-dir / MAMORI_RESOURCES_DIR")
  }
}

public struct LoginThrottlePolicy: Sendable {
  /// Failed sign-ins for one e-mail address within the window before it is refused…
  public var perAccount: Int = 5
  /// …and from one client address.
  public var perAddress: Int = 20
  public var window: TimeInterval = 15 * 60

  public init(perAccount: Int = 5, perAddress: Int = 20, window: TimeInterval = 15 * 60) {
    self.perAccount = perAccount
    self.perAddress = perAddress
    self.window = window
  }
}

public struct SettingsError: Error, CustomStringConvertible, Sendable {
  public let description: String
  public init(_ description: String) { self.description = description }
}
