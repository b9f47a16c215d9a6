import ArgumentParser
import Foundation
import MamoriWeb

extension Mamori {
  struct Actions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "actions",
      abstract: "Work on the actions the self-checks raised.",
      subcommands: [Remind.self])

    struct Remind: AsyncParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "E-mail each organisation's officers and administrators its overdue self-check actions.",
        discussion: """
          Meant to run once a day from a timer, with the same settings as mamori serve. Needs SMTP (--smtp-url and \
          --smtp-from); without it nothing is sent and the command exits with status 2. Each organisation with \
          overdue actions gets one entry in its audit trail (actor cli).
          """)

      @OptionGroup var store: StoreOptions

      @Option(name: .customLong("smtp-url"), help: "Send e-mail through this server: smtp://user:password@host:587 (STARTTLS), smtps://…:465 or smtp+insecure://host:25. (MAMORI_SMTP_URL)")
      var smtpURL: String?

      @Option(name: .customLong("smtp-from"), help: "Sender of Mamori's e-mail, e.g. \"Mamori <mamori@example.co.jp>\". (MAMORI_SMTP_FROM)")
      var smtpFrom: String?

      func run() async throws {
        var settings = try store.settings()
        guard let url = store.value(smtpURL, "MAMORI_SMTP_URL") else {
          throw UsageError("no SMTP server is configured (--smtp-url or MAMORI_SMTP_URL), so no reminder can be sent")
        }
        guard let from = store.value(smtpFrom, "MAMORI_SMTP_FROM") else {
          throw UsageError("--smtp-url needs --smtp-from (MAMORI_SMTP_FROM), the sender address")
        }
        do {
          settings.smtp = try SMTPSettings.parse(url: url, from: from)
        } catch {
          throw UsageError("\(error)")
        }
        try store.bootstrapLogging()
        let base = store.linkBase.url
        let report = try await Runner.withApplication(settings: settings) { app in
          try await AdminCommands.remindOverdueActions(on: app, baseURL: base)
        }
        guard let report else { throw UsageError("no SMTP server is configured, so no reminder can be sent") }
        say("organisations with overdue actions: \(report.organisations); e-mails sent: \(report.sent); failed: \(report.failed)")
        if report.failed > 0 { throw ExitCode.failure }
      }
    }
  }
}
