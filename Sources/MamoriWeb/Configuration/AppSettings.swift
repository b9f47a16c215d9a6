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
  /// Honour `X-Forwarded-For` (or `X-Real-IP`), `X-Forwarded-Proto` and `X-Forwarded-Host` from a reverse proxy.
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

  /// The running program's real path: `/proc/self/exe` on Linux, which names the binary even when it was
  /// started by name from `PATH` (where `CommandLine.arguments[0]` is just `mamori`).
  public static func executablePath() -> String {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
    if let path = Bundle.main.executablePath { return path }
    return CommandLine.arguments[0]
  }

  /// The folders searched for the resources, in order: `./Resources`, then next to the executable and up
  /// to five folders above it, each with `Resources` and `share/mamori/Resources` (so that `swift run`,
  /// `.build/release/mamori` and `/usr/local/bin/mamori` with `/usr/local/share/mamori/Resources` all work).
  public static func resourceCandidates(executablePath: String, workingDirectory: String) -> [String] {
    var candidates = [URL(fileURLWithPath: workingDirectory).appendingPathComponent("Resources").path]
    var directory = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<6 {
      for candidate in ["Resources", "share/mamori/Resources"] {
        let path = directory.appendingPathComponent(candidate).path
        if !candidates.contains(path) { candidates.append(path) }
      }
      if directory.path == "/" { break }
      directory = directory.deletingLastPathComponent()
    }
    return candidates
  }

  /// Finds the resources folder: the one given, else the first of ``resourceCandidates(executablePath:workingDirectory:)``
  /// that holds `Locales/ja.yaml`. The error names every folder tried.
  public static func locateResources(explicit: String?, executablePath: String = AppSettings.executablePath()) throws
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
    let candidates = resourceCandidates(executablePath: executablePath, workingDirectory: fileManager.currentDirectoryPath)
    if let found = candidates.first(where: isResources) { return found }
    throw SettingsError(
      "cannot find Mamori's Resources folder (the program is \(executablePath)); tried:\n"
        + candidates.map { "  \($0)\n" }.joined()
        + "install it as <prefix>/share/mamori/Resources next to <prefix>/bin/mamori, or set --resources-dir / MAMORI_RESOURCES_DIR")
  }
}

extension AppSettings {
  /// Checks `--public-url` and returns it without a trailing slash. Mamori's links and redirects are
  /// root-relative (`/login`, `/static/…`), so it must be served at the root of its host: a path prefix
  /// such as `https://intra.example.co.jp/mamori/` is refused rather than half supported.
  public static func checkPublicURL(_ url: String) throws -> String {
    guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
      scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
    else {
      throw SettingsError("--public-url must be an address starting with http:// or https:// (got \(url))")
    }
    guard components.user == nil, components.password == nil, components.query == nil, components.fragment == nil else {
      throw SettingsError("--public-url must be scheme, host and port only, without user, query or fragment (got \(url))")
    }
    guard components.path.isEmpty || components.path == "/" else {
      throw SettingsError(
        """
        --public-url must be the root of a host (got \(url)): Mamori cannot be served under a path such as \
        \(components.path); give it a host name of its own (e.g. https://mamori.example.co.jp) or a port
        """)
    }
    var root = url
    while root.hasSuffix("/") { root.removeLast() }
    return root
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
