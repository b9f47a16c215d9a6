import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Testing

@testable import MamoriMail

// MARK: - URL parsing

@Suite("SMTP settings", .timeLimit(.minutes(5)))
struct SMTPSettingsTests {
  @Test func smtpMeansRequiredSTARTTLSOnPort587() throws {
    let settings = try SMTPSettings.parse(url: "smtp://mamori:secret@mail.example.co.jp", from: "mamori@example.co.jp")
    #expect(settings.host == "mail.example.co.jp")
    #expect(settings.port == 587)
    #expect(settings.security == .startTLS)
    #expect(settings.username == "mamori")
    #expect(settings.password == "secret")
    #expect(settings.from == "mamori@example.co.jp")
    #expect(settings.heloName == "localhost")

    let explicitPort = try SMTPSettings.parse(
      url: "smtp://mamori:secret@mail.example.co.jp:2525", from: "m@example.co.jp"
    )
    #expect(explicitPort.port == 2525)
    #expect(explicitPort.security == .startTLS)
  }

  @Test func smtpsMeansImplicitTLSOnPort465() throws {
    let settings = try SMTPSettings.parse(url: "smtps://mamori:secret@mail.example.co.jp", from: "m@example.co.jp")
    #expect(settings.security == .tls)
    #expect(settings.port == 465)
    #expect(try SMTPSettings.parse(url: "SMTPS://u:p@h:4650", from: "m@example.co.jp").port == 4650)
  }

  @Test func insecureMeansNoTLSOnPort25() throws {
    let settings = try SMTPSettings.parse(url: "smtp+insecure://localhost", from: "Mamori <mamori@example.co.jp>")
    #expect(settings.security == SMTPSettings.Security.none)
    #expect(settings.port == 25)
    #expect(settings.host == "localhost")
    #expect(settings.username == nil)
    #expect(settings.password == nil)
    #expect(try SMTPSettings.parse(url: "smtp+insecure://127.0.0.1:1025/", from: "m@example.co.jp").port == 1025)
  }

  @Test func ipv6HostLosesItsBrackets() throws {
    let settings = try SMTPSettings.parse(url: "smtp+insecure://[::1]:2525", from: "m@example.co.jp")
    #expect(settings.host == "::1")
    #expect(settings.description == "smtp+insecure://[::1]:2525")
  }

  @Test func userAndPasswordArePercentDecoded() throws {
    let settings = try SMTPSettings.parse(
      url: "smtp://mamori%40example.co.jp:p%40ss%3Aw%2Fd%25%E3%81%82@mail.example.co.jp:587",
      from: "mamori@example.co.jp"
    )
    #expect(settings.username == "mamori@example.co.jp")
    #expect(settings.password == "p@ss:w/d%あ")
    #expect(settings.host == "mail.example.co.jp")
  }

  @Test(arguments: [
    ("http://mail.example.co.jp", "MAMORI_SMTP_URL must start with smtp://, smtps:// or smtp+insecure://"),
    ("mail.example.co.jp:587", "MAMORI_SMTP_URL must start with smtp://, smtps:// or smtp+insecure://"),
    ("", "MAMORI_SMTP_URL must start with"),
    ("smtp://", "MAMORI_SMTP_URL has no host name"),
    ("smtp://user:pass@:587", "MAMORI_SMTP_URL has no host name"),
    ("smtp://mail.example.co.jp:0", "MAMORI_SMTP_URL has an invalid port"),
    ("smtp://mail.example.co.jp:70000", "MAMORI_SMTP_URL has an invalid port"),
    ("smtp://mail.example.co.jp:abc", "MAMORI_SMTP_URL is not a valid URL"),
    ("smtp://user@mail.example.co.jp", "MAMORI_SMTP_URL has a user name but no password"),
    ("smtp://:secret@mail.example.co.jp", "MAMORI_SMTP_URL has a password but no user name"),
    ("smtp://mail.example.co.jp/relay", "MAMORI_SMTP_URL must not have a path"),
    ("smtp://mail.example.co.jp?tls=no", "MAMORI_SMTP_URL must not have a query"),
  ])
  func badURLsSayWhatIsWrong(url: String, message: String) {
    let error = #expect(throws: SMTPError.self) {
      try SMTPSettings.parse(url: url, from: "mamori@example.co.jp")
    }
    #expect(error.map { String(describing: $0).contains(message) } == true, "\(String(describing: error))")
  }

  @Test(arguments: ["", "not an address", "mamori@", "@example.co.jp", "Mamori <>", "a@b\r\nBcc: x@y"])
  func badSenderIsRejected(from: String) {
    let error = #expect(throws: SMTPError.self) {
      try SMTPSettings.parse(url: "smtp://u:p@mail.example.co.jp", from: from)
    }
    #expect(error.map { String(describing: $0).contains("sender address") } == true, "\(String(describing: error))")
  }

  @Test func descriptionNeverShowsThePassword() throws {
    let settings = try SMTPSettings.parse(url: "smtp://user:hunter2@mail.example.co.jp", from: "m@example.co.jp")
    #expect(settings.description == "smtp://user:***@mail.example.co.jp:587")
    #expect("\(settings)" == "smtp://user:***@mail.example.co.jp:587")
    #expect(!String(reflecting: settings).contains("hunter2"))

    let tls = try SMTPSettings.parse(url: "smtps://a%40b.jp:hunter2@mail.example.co.jp", from: "m@example.co.jp")
    #expect(tls.description == "smtps://a%40b.jp:***@mail.example.co.jp:465")

    let anonymous = try SMTPSettings.parse(url: "smtp+insecure://relay", from: "m@example.co.jp")
    #expect(anonymous.description == "smtp+insecure://relay:25")
  }
}

// MARK: - Message format

@Suite("SMTP message format", .timeLimit(.minutes(5)))
struct SMTPMessageFormatTests {
  @Test func dateIsRFC5322InEnglish() {
    // 2025-06-03T00:05:09Z
    let date = Date(timeIntervalSince1970: 1_748_909_109)
    #expect(SMTPMessageFormat.rfc5322Date(date, timeZone: TimeZone(identifier: "Asia/Tokyo")!)
      == "Tue, 03 Jun 2025 09:05:09 +0900")
    #expect(SMTPMessageFormat.rfc5322Date(date, timeZone: TimeZone(identifier: "America/St_Johns")!)
      == "Mon, 02 Jun 2025 21:35:09 -0230")
    #expect(SMTPMessageFormat.rfc5322Date(date, timeZone: TimeZone(secondsFromGMT: 0)!)
      == "Tue, 03 Jun 2025 00:05:09 +0000")
  }

  @Test func longJapaneseSubjectIsSplitIntoShortEncodedWords() throws {
    let subject = String(repeating: "まもりへの招待のお知らせ（重要）👨‍👩‍👧‍👦", count: 6)
    let header = SMTPMessageFormat.unstructuredHeader("Subject", subject)
    let lines = header.components(separatedBy: "\r\n")
    #expect(lines.count > 3)
    for (index, line) in lines.enumerated() {
      #expect(line.utf8.count <= 76, "line \(index) is \(line.utf8.count) characters: \(line)")
      #expect(index == 0 ? line.hasPrefix("Subject: =?UTF-8?B?") : line.hasPrefix(" =?UTF-8?B?"))
      #expect(line.allSatisfy { $0.isASCII })
    }
    // Each word must hold whole characters, so each one decodes on its own.
    for word in header.dropFirst("Subject:".count).split(whereSeparator: \.isWhitespace) {
      #expect(try decodeEncodedWords(String(word)) != nil)
    }
    #expect(try decodeEncodedWords(unfold(header).dropFirst("Subject: ".count)) == subject)
  }

  @Test func asciiSubjectStaysReadableAndFoldsAtSpaces() throws {
    let short = SMTPMessageFormat.unstructuredHeader("Subject", "Welcome to Mamori")
    #expect(short == "Subject: Welcome to Mamori")

    let long = (1...30).map { "word\($0)" }.joined(separator: " ") + "  double  spaces"
    let folded = SMTPMessageFormat.unstructuredHeader("Subject", long)
    #expect(folded.contains("\r\n "))
    for line in folded.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 76) }
    #expect(unfold(folded) == "Subject: " + long)

    // Text that looks like an encoded-word must be encoded so that readers don't decode it.
    #expect(SMTPMessageFormat.unstructuredHeader("Subject", "=?UTF-8?B?eA==?=").hasPrefix("Subject: =?UTF-8?B?"))
  }

  @Test func displayNamesAreEncodedOrQuoted() throws {
    let japanese = try SMTPMailbox(parsing: "まもり事務局 <mamori@example.co.jp>", field: "From")
    let header = SMTPMessageFormat.mailboxHeader("From", japanese)
    #expect(header.hasPrefix("From: =?UTF-8?B?"))
    #expect(header.hasSuffix(" <mamori@example.co.jp>"))
    #expect(try decodeEncodedWords(unfold(header).dropFirst("From: ".count).dropLast(" <mamori@example.co.jp>".count))
      == "まもり事務局")

    let dotted = try SMTPMailbox(parsing: "\"Mamori, Inc.\" <mamori@example.co.jp>", field: "From")
    #expect(SMTPMessageFormat.mailboxHeader("From", dotted) == "From: \"Mamori, Inc.\" <mamori@example.co.jp>")

    let plain = try SMTPMailbox(parsing: "Mamori <mamori@example.co.jp>", field: "From")
    #expect(SMTPMessageFormat.mailboxHeader("From", plain) == "From: Mamori <mamori@example.co.jp>")
    let bare = try SMTPMailbox(parsing: "a@example.jp", field: "To")
    #expect(SMTPMessageFormat.mailboxHeader("To", bare) == "To: a@example.jp")
  }

  @Test func dataPayloadIsDotStuffedAndTerminated() {
    var payload = SMTPMessageFormat.dataPayload("Subject: x\r\n\r\n.hidden\r\nok\r\n")
    #expect(payload.readString(length: payload.readableBytes) == "Subject: x\r\n\r\n..hidden\r\nok\r\n.\r\n")
  }

  @Test func bodyIsBase64InCRLFLinesOf76() {
    let body = String(repeating: "招待リンクはこちらです。\n", count: 10)
    let encoded = SMTPMessageFormat.base64Body(body)
    let lines = encoded.components(separatedBy: "\r\n").dropLast()
    #expect(lines.dropLast().allSatisfy { $0.count == 76 })
    #expect(lines.allSatisfy { $0.count <= 76 })
    let decoded = Data(base64Encoded: lines.joined()).flatMap { String(data: $0, encoding: .utf8) }
    #expect(decoded == body.replacingOccurrences(of: "\n", with: "\r\n"))
  }
}

// MARK: - Conversations with a fake server

@Suite("SMTP mailer", .timeLimit(.minutes(5)))
struct SMTPMailerTests {
  let subject = "【Mamori】ワークスペース「総務部」への招待が届いています"
  let body = "山田 太郎 様\n\nMamori へ招待されました。下のリンクから参加してください。\nhttps://mamori.example.co.jp/invite/abc123\n"

  func mailer(
    port: Int,
    username: String? = "mamori",
    password: String? = "p@ss w0rd",
    replyTimeout: TimeAmount = .seconds(10)
  ) -> SMTPMailer {
    let settings = SMTPSettings(
      host: "127.0.0.1", port: port, security: .none, username: username, password: password,
      from: "まもり <mamori@example.co.jp>", heloName: "mamori.test"
    )
    return SMTPMailer(
      settings: settings, eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
      logger: Logger(label: "test.smtp"), replyTimeout: replyTimeout
    )
  }

  @Test func sendsWithAuthPlainOverInsecure() async throws {
    let server = try await FakeSMTPServer.start(FakeSMTPServer.Behavior(multiLineGreeting: true))
    let mailer = mailer(port: server.port)
    try await mailer.send(MailMessage(to: "taro@example.jp", subject: subject, body: body))
    await server.stop()

    let commands = server.commands
    let expectedPlain = Data("\0mamori\0p@ss w0rd".utf8).base64EncodedString()
    #expect(commands == [
      "EHLO mamori.test",
      "AUTH PLAIN \(expectedPlain)",
      "MAIL FROM:<mamori@example.co.jp>",
      "RCPT TO:<taro@example.jp>",
      "DATA",
      "QUIT",
    ])

    let data = try #require(server.messages.first)
    let parts = data.components(separatedBy: "\r\n\r\n")
    let headerBlock = try #require(parts.first)
    for line in headerBlock.components(separatedBy: "\r\n") {
      #expect(line.utf8.count <= 76, "header line too long: \(line)")
      #expect(line.allSatisfy { $0.isASCII })
    }
    let headers = unfold(headerBlock).components(separatedBy: "\r\n")
    func header(_ name: String) -> String? {
      headers.first { $0.hasPrefix("\(name): ") }.map { String($0.dropFirst(name.count + 2)) }
    }

    let encodedSubject = try #require(header("Subject"))
    #expect(encodedSubject.hasPrefix("=?UTF-8?B?"))
    #expect(try decodeEncodedWords(encodedSubject) == subject)
    #expect(header("To") == "taro@example.jp")
    let from = try #require(header("From"))
    #expect(from.hasSuffix(" <mamori@example.co.jp>"))
    #expect(try decodeEncodedWords(from.dropLast(" <mamori@example.co.jp>".count)) == "まもり")
    #expect(header("MIME-Version") == "1.0")
    #expect(header("Content-Type") == "text/plain; charset=UTF-8")
    #expect(header("Content-Transfer-Encoding") == "base64")
    let messageID = try #require(header("Message-ID"))
    #expect(messageID.hasPrefix("<") && messageID.hasSuffix("@example.co.jp>"))
    let date = try #require(header("Date"))
    let datePattern = #"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "#
      + #"\d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$"#
    #expect(date.range(of: datePattern, options: .regularExpression) != nil, "Date: \(date)")

    let bodyLines = parts.dropFirst().joined(separator: "\r\n\r\n")
      .components(separatedBy: "\r\n")
      .filter { !$0.isEmpty }
    #expect(bodyLines.allSatisfy { $0.count <= 76 })
    let decodedBody = Data(base64Encoded: bodyLines.joined()).flatMap { String(data: $0, encoding: .utf8) }
    #expect(decodedBody == body.replacingOccurrences(of: "\n", with: "\r\n"))
  }

  @Test func usesAuthLoginWhenPlainIsNotOffered() async throws {
    let server = try await FakeSMTPServer.start(FakeSMTPServer.Behavior(authMechanisms: "LOGIN CRAM-MD5"))
    try await mailer(port: server.port).send(MailMessage(to: "taro@example.jp", subject: "Hello", body: "Hi"))
    await server.stop()
    #expect(server.commands.prefix(4) == [
      "EHLO mamori.test",
      "AUTH LOGIN",
      Data("mamori".utf8).base64EncodedString(),
      Data("p@ss w0rd".utf8).base64EncodedString(),
    ])
    #expect(server.messages.count == 1)
  }

  @Test func skipsAuthWithoutUsernameAndFallsBackToHELO() async throws {
    let server = try await FakeSMTPServer.start(FakeSMTPServer.Behavior(rejectEHLO: true))
    try await mailer(port: server.port, username: nil, password: nil)
      .send(MailMessage(to: "Taro Yamada <taro@example.jp>", subject: "Hello", body: "Hi"))
    await server.stop()
    #expect(server.commands == [
      "EHLO mamori.test",
      "HELO mamori.test",
      "MAIL FROM:<mamori@example.co.jp>",
      "RCPT TO:<taro@example.jp>",
      "DATA",
      "QUIT",
    ])
    #expect(server.messages.first?.contains("\r\nTo: Taro Yamada <taro@example.jp>\r\n") == true)
  }

  @Test func rejectedRecipientReportsTheServerReply() async throws {
    let server = try await FakeSMTPServer.start(FakeSMTPServer.Behavior(rejectRecipient: true))
    let error = await #expect(throws: SMTPError.self) {
      try await mailer(port: server.port).send(MailMessage(to: "nobody@example.jp", subject: "Hello", body: "Hi"))
    }
    await server.stop()
    let text = String(describing: try #require(error))
    #expect(text.contains("550"))
    #expect(text.contains("RCPT TO:<nobody@example.jp>"))
    #expect(text.contains("No such user"))
    #expect(server.messages.isEmpty)
  }

  @Test func wrongPasswordReportsAuthFailureWithoutTheSecret() async throws {
    let server = try await FakeSMTPServer.start(FakeSMTPServer.Behavior())
    let error = await #expect(throws: SMTPError.self) {
      try await mailer(port: server.port, password: "wrong-secret")
        .send(MailMessage(to: "taro@example.jp", subject: "Hello", body: "Hi"))
    }
    await server.stop()
    let text = String(describing: try #require(error))
    #expect(text.contains("AUTH PLAIN"))
    #expect(text.contains("535"))
    #expect(!text.contains(Data("\0mamori\0wrong-secret".utf8).base64EncodedString()))
  }

  @Test func headerInjectionThrowsBeforeConnecting() async throws {
    let server = try await FakeSMTPServer.start(FakeSMTPServer.Behavior())
    let mailer = mailer(port: server.port)
    await #expect(throws: SMTPError.self) {
      try await mailer.send(MailMessage(to: "taro@example.jp\r\nBcc: all@example.jp", subject: "Hello", body: "Hi"))
    }
    await #expect(throws: SMTPError.self) {
      try await mailer.send(MailMessage(to: "taro@example.jp", subject: "Hello\nBcc: all@example.jp", body: "Hi"))
    }
    await #expect(throws: SMTPError.self) {
      try await mailer.send(MailMessage(to: "not an address", subject: "Hello", body: "Hi"))
    }
    await server.stop()
    #expect(server.connectionCount == 0)
  }

  @Test func silentServerTimesOut() async throws {
    let server = try await FakeSMTPServer.start(FakeSMTPServer.Behavior(silent: true))
    let error = await #expect(throws: SMTPError.self) {
      try await mailer(port: server.port, replyTimeout: .milliseconds(300))
        .send(MailMessage(to: "taro@example.jp", subject: "Hello", body: "Hi"))
    }
    await server.stop()
    // The error names the timeout; a timeout that never fired would hang past the suite's time limit.
    // No duration is asserted: a loaded test machine says nothing about the mailer.
    #expect(error == .timeout(command: "connection greeting", seconds: 1))
  }

  @Test func refusedConnectionIsReported() async throws {
    // Bind and close to get a port that is very likely unused.
    let server = try await FakeSMTPServer.start(FakeSMTPServer.Behavior())
    let port = server.port
    await server.stop()
    let error = await #expect(throws: SMTPError.self) {
      try await mailer(port: port).send(MailMessage(to: "taro@example.jp", subject: "Hello", body: "Hi"))
    }
    #expect(String(describing: try #require(error)).contains("could not connect to SMTP server 127.0.0.1:\(port)"))
  }
}

// MARK: - TLS

@Suite("SMTP mailer over TLS", .timeLimit(.minutes(5)))
struct SMTPMailerTLSTests {
  func mailer(host: String, port: Int, security: SMTPSettings.Security, trustTestCA: Bool = true) throws -> SMTPMailer {
    var tls = TLSConfiguration.makeClientConfiguration()
    if trustTestCA {
      tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(TestCertificates.ca.utf8), format: .pem)])
    }
    let settings = SMTPSettings(
      host: host, port: port, security: security, username: "mamori", password: "p@ss w0rd",
      from: "mamori@example.co.jp", heloName: "mamori.test"
    )
    return SMTPMailer(
      settings: settings, eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
      logger: Logger(label: "test.smtp"), replyTimeout: .seconds(10), tlsConfiguration: tls
    )
  }

  @Test func startTLSUpgradesThenSaysEHLOAgainAndAuthenticates() async throws {
    let server = try await FakeSMTPServer.start(FakeSMTPServer.Behavior(tls: .startTLS))
    try await mailer(host: "localhost", port: server.port, security: .startTLS)
      .send(MailMessage(to: "taro@example.jp", subject: "招待", body: "こんにちは"))
    await server.stop()
    // The server offers AUTH only once TLS is up, as real submission servers do, so AUTH here proves the second
    // EHLO's extensions were used; every command after STARTTLS was read through the server's TLS handler.
    #expect(server.commands == [
      "EHLO mamori.test",
      "STARTTLS",
      "EHLO mamori.test",
      "AUTH PLAIN \(Data("\0mamori\0p@ss w0rd".utf8).base64EncodedString())",
      "MAIL FROM:<mamori@example.co.jp>",
      "RCPT TO:<taro@example.jp>",
      "DATA",
      "QUIT",
    ])
    #expect(server.messages.count == 1)
  }

  @Test func implicitTLSSendsFromTheFirstByte() async throws {
    let server = try await FakeSMTPServer.start(FakeSMTPServer.Behavior(tls: .implicit))
    try await mailer(host: "localhost", port: server.port, security: .tls)
      .send(MailMessage(to: "taro@example.jp", subject: "招待", body: "こんにちは"))
    await server.stop()
    #expect(server.commands.first == "EHLO mamori.test")
    #expect(!server.commands.contains("STARTTLS"))
    #expect(server.messages.count == 1)
  }

  @Test func startTLSIsRequiredNotOptional() async throws {
    let server = try await FakeSMTPServer.start(FakeSMTPServer.Behavior())
    let error = await #expect(throws: SMTPError.self) {
      try await mailer(host: "localhost", port: server.port, security: .startTLS)
        .send(MailMessage(to: "taro@example.jp", subject: "Hello", body: "Hi"))
    }
    await server.stop()
    #expect(String(describing: try #require(error)).contains("STARTTLS"))
    #expect(!server.commands.contains { $0.hasPrefix("AUTH") || $0.hasPrefix("MAIL") })
  }

  @Test func certificateForAnotherNameIsRefused() async throws {
    // The test certificate names only "localhost", so connecting by IP address must fail verification.
    let server = try await FakeSMTPServer.start(FakeSMTPServer.Behavior(tls: .startTLS))
    let error = await #expect(throws: SMTPError.self) {
      try await mailer(host: "127.0.0.1", port: server.port, security: .startTLS)
        .send(MailMessage(to: "taro@example.jp", subject: "Hello", body: "Hi"))
    }
    await server.stop()
    guard case .tlsFailed = try #require(error) else {
      Issue.record("expected a TLS failure, got \(String(describing: error))")
      return
    }
    #expect(!server.commands.contains { $0.hasPrefix("AUTH") })
  }

  @Test func untrustedCertificateIsRefused() async throws {
    let server = try await FakeSMTPServer.start(FakeSMTPServer.Behavior(tls: .implicit))
    let error = await #expect(throws: SMTPError.self) {
      try await mailer(host: "localhost", port: server.port, security: .tls, trustTestCA: false)
        .send(MailMessage(to: "taro@example.jp", subject: "Hello", body: "Hi"))
    }
    await server.stop()
    guard case .tlsFailed = try #require(error) else {
      Issue.record("expected a TLS failure, got \(String(describing: error))")
      return
    }
    #expect(server.commands.isEmpty)
  }
}

// MARK: - Helpers

/// Removes header folding (CRLF before whitespace), as a mail reader does.
private func unfold<S: StringProtocol>(_ text: S) -> String {
  text.replacingOccurrences(of: "\r\n ", with: " ").replacingOccurrences(of: "\r\n\t", with: "\t")
}

private struct NotAnEncodedWord: Error {}

/// Decodes a run of RFC 2047 B-encoded UTF-8 words separated by whitespace; nil if the bytes are not UTF-8.
private func decodeEncodedWords<S: StringProtocol>(_ text: S) throws -> String? {
  var bytes = Data()
  for word in text.split(whereSeparator: \.isWhitespace) {
    guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?="),
      let decoded = Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))
    else { throw NotAnEncodedWord() }
    bytes.append(decoded)
  }
  return String(data: bytes, encoding: .utf8)
}

/// A minimal SMTP server on 127.0.0.1 that records what a client sends.
private final class FakeSMTPServer: @unchecked Sendable {
  enum TLSMode: Sendable {
    case none
    case startTLS
    case implicit
  }

  struct Behavior: Sendable {
    var tls = TLSMode.none
    var authMechanisms = "PLAIN LOGIN"
    var rejectEHLO = false
    var rejectRecipient = false
    var multiLineGreeting = false
    /// Accepts connections but never says anything.
    var silent = false
    var username = "mamori"
    var password = "p@ss w0rd"
  }

  private let lock = NSLock()
  private var recordedCommands: [String] = []
  private var recordedMessages: [String] = []
  private var connections = 0
  private var serverChannel: (any Channel)?

  var commands: [String] { lock.withLock { recordedCommands } }
  var messages: [String] { lock.withLock { recordedMessages } }
  var connectionCount: Int { lock.withLock { connections } }
  private(set) var port = 0

  private init() {}

  static func start(_ behavior: Behavior) async throws -> FakeSMTPServer {
    let server = FakeSMTPServer()
    let tlsContext: NIOSSLContext? = behavior.tls == .none ? nil : try TestCertificates.serverContext()
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          let pipeline = channel.pipeline.syncOperations
          if behavior.tls == .implicit, let tlsContext {
            try pipeline.addHandler(NIOSSLServerHandler(context: tlsContext))
          }
          try pipeline.addHandler(
            FakeSMTPConnectionHandler(behavior: behavior, tlsContext: tlsContext, server: server)
          )
        }
      }
      .bind(host: "127.0.0.1", port: 0)
      .get()
    server.serverChannel = channel
    server.port = channel.localAddress?.port ?? 0
    return server
  }

  func stop() async {
    try? await serverChannel?.close()
  }

  func connected() { lock.withLock { connections += 1 } }
  func record(command: String) { lock.withLock { recordedCommands.append(command) } }
  func record(message: String) { lock.withLock { recordedMessages.append(message) } }
}

/// A test CA and a certificate for "localhost" it signed, valid 2020–2120. Made only for these tests; the key
/// protects nothing.
private enum TestCertificates {
  static let ca = """
    -----BEGIN CERTIFICATE-----
    MIIBhDCCASugAwIBAgIUKGd3ZAl/JUmMfhSzz8ELD5ehnBkwCgYIKoZIzj0EAwIw
    HjEcMBoGA1UEAwwTTWFtb3JpIFNNVFAgdGVzdCBDQTAgFw0yMDAxMDEwMDAwMDBa
    GA8yMTIwMDEwMTAwMDAwMFowHjEcMBoGA1UEAwwTTWFtb3JpIFNNVFAgdGVzdCBD
    QTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABDoUQLm2TjP5Ul3Sn0oMqMoDQtZB
    op9lLGou/7zU1gm2EmCnR42PwFtLdnsmDGqNrDTLzGE0h7vKmp0Fnl9NWTqjRTBD
    MBIGA1UdEwEB/wQIMAYBAf8CAQAwDgYDVR0PAQH/BAQDAgEGMB0GA1UdDgQWBBT/
    V27xXYr2uFmUFJO5YP2VpWSZ7DAKBggqhkjOPQQDAgNHADBEAiAh9udWWxXBQU2B
    vMtM1vAKkh4rodFGwjYqDWxU8tuC+QIgU4cJpkAxJtRCJFKrIR060WaJQA8GK3t1
    9VnuJx4smRo=
    -----END CERTIFICATE-----
    """

  static let localhost = """
    -----BEGIN CERTIFICATE-----
    MIIBoTCCAUigAwIBAgIUdN5Q7IoVeTKfKJCZEZoa5eWqSzMwCgYIKoZIzj0EAwIw
    HjEcMBoGA1UEAwwTTWFtb3JpIFNNVFAgdGVzdCBDQTAgFw0yMDAxMDEwMDAwMDBa
    GA8yMTIwMDEwMTAwMDAwMFowFDESMBAGA1UEAwwJbG9jYWxob3N0MFkwEwYHKoZI
    zj0CAQYIKoZIzj0DAQcDQgAEzHXcPgNEICqRU4sad8qZBiRDz4OYLNobjtMPYyWo
    vf701lCQ5y8Np/0RZ9eKeLxUYiguWv9VSFgMxL6bb2aZyaNsMGowDAYDVR0TAQH/
    BAIwADAOBgNVHQ8BAf8EBAMCB4AwEwYDVR0lBAwwCgYIKwYBBQUHAwEwFAYDVR0R
    BA0wC4IJbG9jYWxob3N0MB8GA1UdIwQYMBaAFP9XbvFdiva4WZQUk7lg/ZWlZJns
    MAoGCCqGSM49BAMCA0cAMEQCIH8OHWTa+ZUnuUVTSCYVRROFHbQ9J7xUNC0NaceK
    ncONAiAeEsrlUBeu9UcXLNCZcPgHhFORVbHA0btLtp57KTu4yw==
    -----END CERTIFICATE-----
    """

  static let localhostKey = """
    -----BEGIN PRIVATE KEY-----
    MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgF1N8UedidoIavbgj
    yGqkMLVo1yjfUxfgQBN3GoRzoLGhRANCAATMddw+A0QgKpFTixp3ypkGJEPPg5gs
    2huO0w9jJai9/vTWUJDnLw2n/RFn14p4vFRiKC5a/1VIWAzEvptvZpnJ
    -----END PRIVATE KEY-----
    """

  static func serverContext() throws -> NIOSSLContext {
    let configuration = TLSConfiguration.makeServerConfiguration(
      certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(localhost.utf8), format: .pem))],
      privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(localhostKey.utf8), format: .pem))
    )
    return try NIOSSLContext(configuration: configuration)
  }
}

private final class FakeSMTPConnectionHandler: ChannelInboundHandler {
  typealias InboundIn = ByteBuffer
  typealias OutboundOut = ByteBuffer

  private enum State {
    case command
    case loginUsername
    case loginPassword(username: String)
    case data(lines: [String])
  }

  private let behavior: FakeSMTPServer.Behavior
  private let tlsContext: NIOSSLContext?
  private let server: FakeSMTPServer
  private var state = State.command
  private var buffer = ByteBuffer()
  private var secured: Bool

  init(behavior: FakeSMTPServer.Behavior, tlsContext: NIOSSLContext?, server: FakeSMTPServer) {
    self.behavior = behavior
    self.tlsContext = tlsContext
    self.server = server
    self.secured = behavior.tls == .implicit
  }

  func channelActive(context: ChannelHandlerContext) {
    server.connected()
    guard !behavior.silent else { return }
    if behavior.multiLineGreeting {
      reply(context, "220-fake.test ESMTP\r\n220-Mamori test server\r\n220 ready")
    } else {
      reply(context, "220 fake.test ESMTP ready")
    }
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    var incoming = Self.unwrapInboundIn(data)
    buffer.writeBuffer(&incoming)
    while let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
      var line = buffer.readString(length: newline - buffer.readerIndex) ?? ""
      buffer.moveReaderIndex(forwardBy: 1)
      if line.hasSuffix("\r") { line.removeLast() }
      handle(line: line, context: context)
    }
    buffer.discardReadBytes()
  }

  private func handle(line: String, context: ChannelHandlerContext) {
    switch state {
    case .data(var lines):
      if line == "." {
        server.record(message: lines.map { $0 + "\r\n" }.joined())
        state = .command
        reply(context, "250 2.0.0 Ok: queued")
      } else {
        lines.append(line.hasPrefix(".") ? String(line.dropFirst()) : line)
        state = .data(lines: lines)
      }
      return
    case .loginUsername:
      server.record(command: line)
      state = .loginPassword(username: decode(line))
      reply(context, "334 UGFzc3dvcmQ6")
      return
    case .loginPassword(let username):
      server.record(command: line)
      state = .command
      let ok = username == behavior.username && decode(line) == behavior.password
      reply(context, ok ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication credentials invalid")
      return
    case .command:
      break
    }

    server.record(command: line)
    let verb = line.split(separator: " ").first.map { $0.uppercased() } ?? ""
    switch verb {
    case "EHLO":
      if behavior.rejectEHLO {
        reply(context, "502 5.5.2 Error: command not recognized")
      } else if behavior.tls == .startTLS && !secured {
        reply(context, "250-fake.test\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 8BITMIME")
      } else {
        // Two writes, so that the client has to put together a reply that arrives in pieces.
        reply(context, "250-fake.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-AUTH \(behavior.authMechanisms)")
        reply(context, "250 8BITMIME")
      }
    case "STARTTLS":
      if behavior.tls == .startTLS, !secured, let tlsContext {
        reply(context, "220 2.0.0 Ready to start TLS")
        // The reply above has already gone down the pipeline in plain text; everything after it is TLS.
        do {
          try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tlsContext), position: .first)
          secured = true
        } catch {
          context.close(promise: nil)
        }
      } else {
        reply(context, "502 5.5.1 STARTTLS not available")
      }
    case "HELO":
      reply(context, "250 fake.test")
    case "AUTH":
      let words = line.split(separator: " ").map(String.init)
      if words.count >= 3, words[1].uppercased() == "PLAIN" {
        let ok = decode(words[2]) == "\0\(behavior.username)\0\(behavior.password)"
        reply(context, ok ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication credentials invalid")
      } else if words.count == 2, words[1].uppercased() == "LOGIN" {
        state = .loginUsername
        reply(context, "334 VXNlcm5hbWU6")
      } else {
        reply(context, "504 5.5.4 Unrecognized authentication type")
      }
    case "MAIL":
      reply(context, "250 2.1.0 Ok")
    case "RCPT":
      reply(context, behavior.rejectRecipient ? "550 5.1.1 No such user here" : "250 2.1.5 Ok")
    case "DATA":
      state = .data(lines: [])
      reply(context, "354 End data with <CR><LF>.<CR><LF>")
    case "QUIT":
      let bye = context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: "221 2.0.0 Bye\r\n")))
      bye.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    default:
      reply(context, "502 5.5.2 Error: command not recognized")
    }
  }

  private func decode(_ base64: String) -> String {
    Data(base64Encoded: base64).map { String(decoding: $0, as: UTF8.self) } ?? ""
  }

  private func reply(_ context: ChannelHandlerContext, _ text: String) {
    context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: text + "\r\n")), promise: nil)
  }
}
