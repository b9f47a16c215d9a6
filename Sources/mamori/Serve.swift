import ArgumentParser
import Foundation
import MamoriCore
import MamoriWeb

extension Mamori {
  struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Start the Mamori web server.",
      discussion: """
        With no configuration, Mamori keeps its data in an SQLite file in the data folder and migrates it at \
        start. While no account exists, it prints a one-time setup link that creates the first organisation. \
        With --demo it runs a separate demonstration database, rebuilt at every start, and prints its logins.
        """)

    @OptionGroup var store: StoreOptions

    @Option(help: "Address to listen on. (MAMORI_HOST, default: 127.0.0.1)")
    var host: String?

    @Option(help: "Port to listen on. (MAMORI_PORT, default: 8080)")
    var port: Int?

    @Flag(help: "Run the demonstration company, in its own database rebuilt at every start. (MAMORI_DEMO=1)")
    var demo = false

    @Option(name: .customLong("demo-scale"), help: "With --demo, repeat the company's staffing plan this many times (1–20), for benchmarks. (MAMORI_DEMO_SCALE, default: 1)")
    var demoScale: Int?

    @Flag(name: .customLong("trust-proxy"), help: "Trust X-Forwarded-For (or X-Real-IP), X-Forwarded-Proto and X-Forwarded-Host from a reverse proxy; a request without X-Forwarded-Proto: https is then plain HTTP. (MAMORI_TRUST_PROXY=1)")
    var trustProxy = false

    @Option(name: .customLong("session-idle-minutes"), help: "Sign out after this many minutes without a request. (MAMORI_SESSION_IDLE_MINUTES, default: 120)")
    var sessionIdleMinutes: Int?

    @Option(name: .customLong("session-absolute-hours"), help: "Sign out this many hours after sign-in in any case. (MAMORI_SESSION_ABSOLUTE_HOURS, default: 12)")
    var sessionAbsoluteHours: Int?

    @Option(name: .customLong("db-pool-size"), help: "PostgreSQL connections per CPU core. (MAMORI_DB_POOL_SIZE, default: 4)")
    var databasePoolSize: Int?

    @Option(name: .customLong("smtp-url"), help: "Send e-mail through this server: smtp://user:password@host:587 (STARTTLS), smtps://…:465 or smtp+insecure://host:25. (MAMORI_SMTP_URL)")
    var smtpURL: String?

    @Option(name: .customLong("smtp-from"), help: "Sender of Mamori's e-mail, e.g. \"Mamori <mamori@example.co.jp>\". (MAMORI_SMTP_FROM)")
    var smtpFrom: String?

    @Option(name: .customLong("metrics-token"), help: "Serve /metrics to scrapers presenting this bearer token; without one /metrics is off. (MAMORI_METRICS_TOKEN)")
    var metricsToken: String?

    @Option(name: .customLong("tls-cert"), help: "Serve HTTPS with this PEM certificate chain (usually TLS ends at nginx instead). (MAMORI_TLS_CERT)")
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: "The PEM private key for --tls-cert. (MAMORI_TLS_KEY)")
    var tlsKey: String?

    func flag(_ value: Bool, _ variable: String) -> Bool {
      value || ["1", "true", "yes"].contains(store.environment[variable]?.lowercased() ?? "")
    }

    func number(_ value: Int?, _ variable: String, default fallback: Int, range: ClosedRange<Int>, name: String) throws -> Int {
      var result = fallback
      if let value {
        result = value
      } else if let text = store.environment[variable], !text.isEmpty {
        guard let parsed = Int(text) else { throw UsageError("\(variable) must be a number (got \(text))") }
        result = parsed
      }
      guard range.contains(result) else {
        throw UsageError("\(name) must be between \(range.lowerBound) and \(range.upperBound) (got \(result))")
      }
      return result
    }

    func settings() throws -> (AppSettings, host: String, port: Int) {
      let isDemo = flag(demo, "MAMORI_DEMO")
      var settings = try store.settings()
      if isDemo {
        // The demo never touches the real database, whatever DATABASE_URL says.
        let path = URL(fileURLWithPath: store.resolvedDataDirectory).appendingPathComponent("demo.sqlite").path
        settings.database = .sqlite(path: path)
        settings.isDemo = true
        settings.demoScale = try number(demoScale, "MAMORI_DEMO_SCALE", default: 1, range: 1...20, name: "--demo-scale")
      }
      settings.trustProxy = flag(trustProxy, "MAMORI_TRUST_PROXY")
      settings.sessionIdleTimeout = TimeInterval(
        try number(sessionIdleMinutes, "MAMORI_SESSION_IDLE_MINUTES", default: 120, range: 5...1440, name: "--session-idle-minutes") * 60)
      settings.sessionAbsoluteTimeout = TimeInterval(
        try number(sessionAbsoluteHours, "MAMORI_SESSION_ABSOLUTE_HOURS", default: 12, range: 1...720, name: "--session-absolute-hours") * 3600)
      settings.databasePoolSize = try number(databasePoolSize, "MAMORI_DB_POOL_SIZE", default: 4, range: 2...100, name: "--db-pool-size")
      settings.metricsToken = store.value(metricsToken, "MAMORI_METRICS_TOKEN")
      settings.tlsCertificatePath = store.value(tlsCertificate, "MAMORI_TLS_CERT")
      settings.tlsKeyPath = store.value(tlsKey, "MAMORI_TLS_KEY")
      if (settings.tlsCertificatePath == nil) != (settings.tlsKeyPath == nil) {
        throw UsageError("--tls-cert and --tls-key go together")
      }
      if let certificate = settings.tlsCertificatePath, let key = settings.tlsKeyPath {
        do {
          try TLSFiles.check(certificate: certificate, key: key)
        } catch let error as SettingsError {
          throw UsageError(error.description)
        }
      }
      if let url = store.value(smtpURL, "MAMORI_SMTP_URL") {
        guard let from = store.value(smtpFrom, "MAMORI_SMTP_FROM") else {
          throw UsageError("--smtp-url needs --smtp-from (MAMORI_SMTP_FROM), the sender address")
        }
        do {
          settings.smtp = try SMTPSettings.parse(url: url, from: from)
        } catch {
          throw UsageError("\(error)")
        }
        // A link sent by mail must point at the address the operator chose, never at whatever Host
        // header a request happened to carry.
        guard settings.publicURL?.isEmpty == false else {
          throw UsageError("--smtp-url needs --public-url (MAMORI_PUBLIC_URL): links in e-mails are built from it")
        }
      }
      let host = store.value(host, "MAMORI_HOST") ?? "127.0.0.1"
      let port = try number(port, "MAMORI_PORT", default: 8080, range: 1...65535, name: "--port")
      return (settings, host, port)
    }

    func run() async throws {
      let (settings, host, port) = try settings()
      try store.bootstrapLogging()
      try await Runner.serve(settings: settings, host: host, port: port) { announcement in
        switch announcement {
        case .demo(let url, let logins):
          say("Mamori demo (デモ): \(url)/")
          for login in logins { say("demo login: \(login.email) \(login.password) \(login.role)") }
        case .setup(let link):
          say("No account exists yet. Open this one-time link to create the first organisation:")
          say("アカウントがまだありません。次のリンクから最初の組織と管理者を作成してください：")
          say("setup link: \(link)")
        case .ready(let url):
          say("Mamori: \(url)/")
        }
      }
    }
  }
}
