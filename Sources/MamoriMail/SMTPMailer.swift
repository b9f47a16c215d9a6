import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

// MARK: - Settings

/// Where and how to hand mail to an SMTP server, usually read from `MAMORI_SMTP_URL`.
public struct SMTPSettings: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
  public enum Security: String, Sendable {
    /// Plain connection upgraded with STARTTLS; the upgrade is mandatory, never skipped.
    case startTLS
    /// TLS from the first byte (SMTPS).
    case tls
    /// No encryption at all: only for a relay on the same host or a trusted private network.
    case none
  }

  public var host: String
  public var port: Int
  public var security: Security
  public var username: String?
  public var password: String?
  /// The sender: `mamori@example.co.jp` or `Mamori <mamori@example.co.jp>`.
  public var from: String
  /// The name this client gives in EHLO/HELO.
  public var heloName: String

  public init(
    host: String,
    port: Int,
    security: Security,
    username: String? = nil,
    password: String? = nil,
    from: String,
    heloName: String = "localhost"
  ) {
    self.host = host
    self.port = port
    self.security = security
    self.username = username
    self.password = password
    self.from = from
    self.heloName = heloName
  }

  /// Reads `smtp://user:pass@host:587` (STARTTLS), `smtps://user:pass@host` (implicit TLS) or
  /// `smtp+insecure://host:25` (no TLS). User and password are percent-decoded.
  public static func parse(url rawURL: String, from: String) throws -> SMTPSettings {
    let text = rawURL.trimmingCharacters(in: .whitespacesAndNewlines)
    func invalid(_ reason: String) -> SMTPError { .invalidConfiguration("MAMORI_SMTP_URL \(reason)") }

    // The scheme is checked by hand first so that a mistyped scheme gets the helpful message rather than
    // a generic "not a URL".
    guard let schemeEnd = text.range(of: "://") else {
      throw invalid("must start with smtp://, smtps:// or smtp+insecure://")
    }
    let security: Security
    let defaultPort: Int
    switch text[..<schemeEnd.lowerBound].lowercased() {
    case "smtp": (security, defaultPort) = (.startTLS, 587)
    case "smtps": (security, defaultPort) = (.tls, 465)
    case "smtp+insecure": (security, defaultPort) = (.none, 25)
    default: throw invalid("must start with smtp://, smtps:// or smtp+insecure://")
    }

    guard let components = URLComponents(string: text) else {
      throw invalid(
        "is not a valid URL (characters such as @ : / # ? in the user name or password must be percent-encoded)"
      )
    }
    var host = components.percentEncodedHost ?? ""
    if host.hasPrefix("["), host.hasSuffix("]") {
      host = String(host.dropFirst().dropLast())
    }
    guard let decodedHost = host.removingPercentEncoding, !decodedHost.isEmpty else {
      throw invalid("has no host name")
    }
    host = decodedHost
    if host.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 }) {
      throw invalid("has an invalid host name")
    }

    let port = components.port ?? defaultPort
    guard (1...65535).contains(port) else {
      throw invalid("has an invalid port \(port) (must be 1–65535)")
    }
    guard components.percentEncodedPath.isEmpty || components.percentEncodedPath == "/" else {
      throw invalid("must not have a path (got \(components.percentEncodedPath))")
    }
    guard components.percentEncodedQuery == nil, components.percentEncodedFragment == nil else {
      throw invalid("must not have a query (?…) or fragment (#…)")
    }

    var username: String?
    var password: String?
    if let rawUser = components.percentEncodedUser, !rawUser.isEmpty {
      guard let user = rawUser.removingPercentEncoding else {
        throw invalid("has a user name with invalid percent-encoding")
      }
      guard let rawPassword = components.percentEncodedPassword, !rawPassword.isEmpty else {
        throw invalid("has a user name but no password (use smtp://user:password@host)")
      }
      guard let pass = rawPassword.removingPercentEncoding else {
        throw invalid("has a password with invalid percent-encoding")
      }
      username = user
      password = pass
    } else if let rawPassword = components.percentEncodedPassword, !rawPassword.isEmpty {
      throw invalid("has a password but no user name")
    }

    do {
      _ = try SMTPMailbox(parsing: from, field: "From")
    } catch {
      throw SMTPError.invalidConfiguration(
        "the sender address (MAMORI_SMTP_FROM) \"\(from)\" is not a valid e-mail address "
          + "(expected name@example.com or Name <name@example.com>)"
      )
    }

    return SMTPSettings(
      host: host, port: port, security: security, username: username, password: password, from: from
    )
  }

  /// The settings as a URL with the password replaced by `***`, safe for logs.
  public var description: String {
    let scheme: String
    switch security {
    case .startTLS: scheme = "smtp"
    case .tls: scheme = "smtps"
    case .none: scheme = "smtp+insecure"
    }
    var credentials = ""
    if let username {
      let encodedUser = username.addingPercentEncoding(withAllowedCharacters: Self.userAllowed) ?? username
      credentials = password == nil ? "\(encodedUser)@" : "\(encodedUser):***@"
    }
    let printedHost = host.contains(":") ? "[\(host)]" : host
    return "\(scheme)://\(credentials)\(printedHost):\(port)"
  }

  // Redacted as well, so that `dump`, `debugPrint` and `String(reflecting:)` cannot leak the password.
  public var debugDescription: String { "SMTPSettings(\(description), from: \(from), heloName: \(heloName))" }

  private static let userAllowed: CharacterSet = {
    var set = CharacterSet.urlUserAllowed
    set.remove(charactersIn: ":@")
    return set
  }()
}

// MARK: - Errors

/// Why a mail could not be configured, built or delivered. The description names the SMTP command and quotes the
/// server's reply, so an administrator can act on the log line alone.
public enum SMTPError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
  case invalidConfiguration(String)
  /// The message itself is unusable (bad address, header injection); raised before any connection is made.
  case invalidMessage(String)
  case connectionFailed(host: String, port: Int, reason: String)
  case unexpectedReply(command: String, code: Int, text: String)
  case timeout(command: String, seconds: Int)
  case connectionClosed(command: String)
  case tlsFailed(command: String, reason: String)
  case protocolViolation(command: String, reason: String)
  case transportFailed(command: String, reason: String)

  public var description: String {
    switch self {
    case .invalidConfiguration(let reason):
      return "SMTP configuration error: \(reason)"
    case .invalidMessage(let reason):
      return "cannot send e-mail: \(reason)"
    case .connectionFailed(let host, let port, let reason):
      return "could not connect to SMTP server \(host):\(port): \(reason)"
    case .unexpectedReply(let command, let code, let text):
      return "SMTP server rejected \(command): \(code) \(text)"
    case .timeout(let command, let seconds):
      return "SMTP server did not answer \(command) within \(seconds) s"
    case .connectionClosed(let command):
      return "SMTP server closed the connection while waiting for the reply to \(command)"
    case .tlsFailed(let command, let reason):
      return "TLS with the SMTP server failed (\(command)): \(reason)"
    case .protocolViolation(let command, let reason):
      return "SMTP protocol error after \(command): \(reason)"
    case .transportFailed(let command, let reason):
      return "SMTP connection failed during \(command): \(reason)"
    }
  }

  public var errorDescription: String? { description }
}

// MARK: - Mailer

/// Sends each message over its own SMTP connection. Mamori sends a handful of invitations, so a connection pool
/// would only add failure modes (stale connections, servers' idle timeouts) for no gain.
public struct SMTPMailer: Mailer {
  public let settings: SMTPSettings
  private let eventLoopGroup: any EventLoopGroup
  private let logger: Logger
  private let replyTimeout: TimeAmount
  private let tlsConfiguration: TLSConfiguration

  public init(settings: SMTPSettings, eventLoopGroup: any EventLoopGroup, logger: Logger) {
    self.init(settings: settings, eventLoopGroup: eventLoopGroup, logger: logger, replyTimeout: .seconds(30))
  }

  /// Tests shorten the timeout so that the silent-server case runs in milliseconds, and trust their own test CA
  /// in place of the system roots. The default configuration is the system trust roots with full certificate and
  /// hostname verification.
  init(
    settings: SMTPSettings,
    eventLoopGroup: any EventLoopGroup,
    logger: Logger,
    replyTimeout: TimeAmount,
    tlsConfiguration: TLSConfiguration = .makeClientConfiguration()
  ) {
    self.settings = settings
    self.eventLoopGroup = eventLoopGroup
    self.logger = logger
    self.replyTimeout = replyTimeout
    self.tlsConfiguration = tlsConfiguration
  }

  public func send(_ message: MailMessage) async throws {
    // Everything that can be wrong with the message is found before connecting, so a bad message never leaves
    // a half-finished SMTP transaction behind.
    let sender: SMTPMailbox
    do {
      sender = try SMTPMailbox(parsing: settings.from, field: "From")
    } catch {
      throw SMTPError.invalidConfiguration("the sender address \"\(settings.from)\" is not a valid e-mail address")
    }
    let recipient = try SMTPMailbox(parsing: message.to, field: "To")
    let messageID = SMTPMessageFormat.makeMessageID(senderDomain: sender.domain, fallbackDomain: settings.heloName)
    let content = try SMTPMessageFormat.render(
      message, from: sender, to: recipient, date: Date(), timeZone: .current, messageID: messageID
    )
    let needsSMTPUTF8 = !sender.address.allSatisfy(\.isASCII) || !recipient.address.allSatisfy(\.isASCII)
    let tlsContext = try makeTLSContext()

    var logger = self.logger
    logger[metadataKey: "smtp.server"] = "\(settings)"
    logger[metadataKey: "mail.message_id"] = "\(messageID)"

    let outcome = ConnectionOutcome()
    let channel = try await connect(tlsContext: tlsContext, outcome: outcome)
    let session = SMTPSession(channel: channel, replyTimeout: replyTimeout, logger: logger, outcome: outcome)
    do {
      try await session.expect([220], session.exchange(nil, label: "connection greeting"), label: "connection greeting")
      var extensions = try await session.hello(settings.heloName)

      if settings.security == .startTLS {
        guard let tlsContext else {
          throw SMTPError.tlsFailed(command: "STARTTLS", reason: "no TLS context")
        }
        // Sent even when not advertised: a server without STARTTLS then refuses it and we stop, instead of
        // silently falling back to plain text.
        try await session.command("STARTTLS", expect: [220])
        try await session.startTLS(context: tlsContext, serverHostname: Self.sniHostname(settings.host))
        extensions = try await session.hello(settings.heloName)
      }

      if needsSMTPUTF8 && !extensions.supports("SMTPUTF8") {
        throw SMTPError.invalidMessage(
          "the address \(recipient.address) or \(sender.address) is not ASCII and the server does not support SMTPUTF8"
        )
      }

      if let username = settings.username {
        try await session.authenticate(username: username, password: settings.password ?? "", extensions: extensions)
      }

      let mailFrom = "MAIL FROM:<\(sender.address)>" + (needsSMTPUTF8 ? " SMTPUTF8" : "")
      try await session.command(mailFrom, expect: [250])
      try await session.command("RCPT TO:<\(recipient.address)>", expect: [250, 251])
      try await session.command("DATA", expect: [354])
      try await session.expect(
        [250],
        session.exchange(raw: SMTPMessageFormat.dataPayload(content), label: "end of message data"),
        label: "end of message data"
      )
      logger.info("SMTP server accepted the message")
      await session.quit()
    } catch {
      session.abort()
      // The caller decides how loudly to report it; logging it here too would double every failure in the log.
      logger.debug("sending e-mail failed", metadata: ["error": "\(error)"])
      throw error
    }
  }

  private func makeTLSContext() throws -> NIOSSLContext? {
    guard settings.security != .none else { return nil }
    do {
      return try NIOSSLContext(configuration: tlsConfiguration)
    } catch {
      throw SMTPError.tlsFailed(command: "setting up TLS", reason: "\(error)")
    }
  }

  /// SNI must not carry an IP address; NIOSSL then checks the certificate's IP SANs against the peer address.
  private static func sniHostname(_ host: String) -> String? {
    let isIPAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
    return isIPAddress ? nil : host
  }

  private func connect(tlsContext: NIOSSLContext?, outcome: ConnectionOutcome) async throws -> any Channel {
    guard let bootstrap = ClientBootstrap(validatingGroup: eventLoopGroup) else {
      throw SMTPError.invalidConfiguration("the event loop group cannot make TCP client connections")
    }
    let implicitTLS = settings.security == .tls ? tlsContext : nil
    let serverHostname = Self.sniHostname(settings.host)
    do {
      return try await bootstrap
        .connectTimeout(replyTimeout)
        .channelInitializer { channel in
          channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            if let implicitTLS {
              try pipeline.addHandler(NIOSSLClientHandler(context: implicitTLS, serverHostname: serverHostname))
            }
            try pipeline.addHandler(SMTPClientHandler(awaitingTLS: implicitTLS != nil, outcome: outcome))
          }
        }
        .connect(host: settings.host, port: settings.port)
        .get()
    } catch {
      throw SMTPError.connectionFailed(host: settings.host, port: settings.port, reason: "\(error)")
    }
  }
}

// MARK: - Conversation

/// One SMTP connection, driven from a single task: each command waits for its reply before the next is sent
/// (no PIPELINING), which keeps error reporting exact.
/// Why the connection ended, kept outside the pipeline: once the channel has closed its handlers are gone,
/// and a request written after that fails with a bare "channel closed" that would hide, say, a TLS failure.
final class ConnectionOutcome: Sendable {
  private let box = NIOLockedValueBox<(any Error)?>(nil)

  var error: (any Error)? { box.withLockedValue { $0 } }

  func record(_ error: any Error) {
    box.withLockedValue { if $0 == nil { $0 = error } }
  }
}

private struct SMTPSession {
  let channel: any Channel
  let replyTimeout: TimeAmount
  let logger: Logger
  let outcome: ConnectionOutcome

  /// Sends `line` (nil: send nothing, just wait, as for the greeting) and waits for the reply.
  func exchange(_ line: String?, label: String, timeout: TimeAmount? = nil) async throws -> SMTPReply {
    guard let line else {
      return try await exchange(raw: nil, label: label, timeout: timeout)
    }
    var bytes = channel.allocator.buffer(capacity: line.utf8.count + 2)
    bytes.writeString(line)
    bytes.writeStaticString("\r\n")
    return try await exchange(raw: bytes, label: label, timeout: timeout)
  }

  func exchange(raw bytes: ByteBuffer?, label: String, timeout: TimeAmount? = nil) async throws -> SMTPReply {
    let channel = self.channel
    let timeout = timeout ?? replyTimeout
    let promise = channel.eventLoop.makePromise(of: SMTPReply.self)
    let seconds = Int((timeout.nanoseconds + 999_999_999) / 1_000_000_000)
    // Whichever of reply, timeout, write failure or cancellation comes first wins; NIO ignores later attempts
    // to complete the promise.
    let timer = channel.eventLoop.scheduleTask(in: timeout) {
      promise.fail(SMTPError.timeout(command: label, seconds: seconds))
      channel.close(promise: nil)
    }
    promise.futureResult.whenComplete { _ in timer.cancel() }
    if bytes != nil { logger.debug("SMTP >>> \(label)") }
    let outcome = self.outcome
    channel.writeAndFlush(SMTPClientRequest(bytes: bytes, reply: promise)).whenFailure { error in
      promise.fail(outcome.error ?? error)
    }

    do {
      let reply = try await withTaskCancellationHandler {
        try await promise.futureResult.get()
      } onCancel: {
        promise.fail(CancellationError())
        channel.close(promise: nil)
      }
      logger.debug("SMTP <<< \(reply.code) \(reply.lines.first ?? "")")
      return reply
    } catch let error as SMTPError {
      throw error
    } catch let error as CancellationError {
      throw error
    } catch is SMTPClientHandler.ConnectionClosed {
      throw SMTPError.connectionClosed(command: label)
    } catch is SMTPClientHandler.TLSHandshakeIncomplete {
      throw SMTPError.tlsFailed(command: label, reason: "the connection closed during the TLS handshake")
    } catch let error as ChannelError where error == .ioOnClosedChannel || error == .alreadyClosed {
      throw SMTPError.connectionClosed(command: label)
    } catch let violation as SMTPClientHandler.ProtocolViolation {
      throw SMTPError.protocolViolation(command: label, reason: violation.reason)
    } catch let error as NIOSSLError {
      throw SMTPError.tlsFailed(command: label, reason: "\(error)")
    } catch let error as NIOSSLExtraError {
      throw SMTPError.tlsFailed(command: label, reason: "\(error)")
    } catch {
      throw SMTPError.transportFailed(command: label, reason: "\(error)")
    }
  }

  func expect(_ codes: Set<Int>, _ reply: SMTPReply, label: String) throws {
    guard codes.contains(reply.code) else {
      throw SMTPError.unexpectedReply(command: label, code: reply.code, text: reply.text)
    }
  }

  @discardableResult
  func command(_ line: String, expect codes: Set<Int>, label: String? = nil) async throws -> SMTPReply {
    let label = label ?? line
    let reply = try await exchange(line, label: label)
    try expect(codes, reply, label: label)
    return reply
  }

  /// EHLO, or HELO for a server that refuses EHLO (then without extensions).
  func hello(_ name: String) async throws -> SMTPExtensions {
    let reply = try await exchange("EHLO \(name)", label: "EHLO \(name)")
    if reply.code == 250 {
      return SMTPExtensions(ehloReply: reply)
    }
    guard (500...599).contains(reply.code) else {
      throw SMTPError.unexpectedReply(command: "EHLO \(name)", code: reply.code, text: reply.text)
    }
    try await command("HELO \(name)", expect: [250])
    return SMTPExtensions()
  }

  func startTLS(context: NIOSSLContext, serverHostname: String?) async throws {
    let channel = self.channel
    do {
      try await channel.eventLoop.submit {
        let pipeline = channel.pipeline.syncOperations
        // Bytes already received now were sent in plain text after the STARTTLS reply; honouring them would let
        // a man in the middle inject replies into the encrypted session (CVE-2011-0411 class).
        guard try !pipeline.handler(type: SMTPClientHandler.self).hasBufferedInput else {
          throw SMTPClientHandler.ProtocolViolation(reason: "the server sent data after agreeing to STARTTLS")
        }
        try pipeline.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverHostname), position: .first)
        try pipeline.handler(type: SMTPClientHandler.self).awaitingTLS = true
      }.get()
    } catch let violation as SMTPClientHandler.ProtocolViolation {
      throw SMTPError.protocolViolation(command: "STARTTLS", reason: violation.reason)
    } catch {
      throw SMTPError.tlsFailed(command: "STARTTLS", reason: "\(error)")
    }
  }

  func authenticate(username: String, password: String, extensions: SMTPExtensions) async throws {
    if extensions.authMechanisms.contains("PLAIN") {
      var credentials = Data([0])
      credentials.append(Data(username.utf8))
      credentials.append(0)
      credentials.append(Data(password.utf8))
      let encoded = credentials.base64EncodedString()
      // RFC 4954: an initial response that would push the line past the 512-octet limit goes in a
      // separate continuation instead.
      if encoded.utf8.count + "AUTH PLAIN ".utf8.count + 2 <= 512 {
        try await command("AUTH PLAIN \(encoded)", expect: [235], label: "AUTH PLAIN")
      } else {
        try await command("AUTH PLAIN", expect: [334])
        try await command(encoded, expect: [235], label: "AUTH PLAIN (credentials)")
      }
    } else {
      try await command("AUTH LOGIN", expect: [334])
      try await command(Data(username.utf8).base64EncodedString(), expect: [334], label: "AUTH LOGIN (user name)")
      try await command(Data(password.utf8).base64EncodedString(), expect: [235], label: "AUTH LOGIN (password)")
    }
  }

  /// The message is already accepted at this point, so a server that mishandles QUIT must not turn a delivered
  /// mail into a reported failure.
  func quit() async {
    _ = try? await exchange("QUIT", label: "QUIT", timeout: .seconds(5))
    channel.close(promise: nil)
  }

  func abort() {
    channel.close(promise: nil)
  }
}

/// The extensions advertised in the EHLO reply.
struct SMTPExtensions: Sendable, Equatable {
  /// Keyword (upper-cased) to its parameters.
  var keywords: [String: [String]] = [:]

  init() {}

  init(ehloReply reply: SMTPReply) {
    // The first line is the greeting ("250-mail.example.com Hello"), not an extension.
    for line in reply.lines.dropFirst() {
      // Some old servers write "AUTH=PLAIN LOGIN".
      let words = line.split(whereSeparator: { $0 == " " || $0 == "=" }).map(String.init)
      guard let keyword = words.first?.uppercased() else { continue }
      keywords[keyword, default: []].append(contentsOf: words.dropFirst().map { $0.uppercased() })
    }
  }

  func supports(_ keyword: String) -> Bool { keywords[keyword.uppercased()] != nil }

  var authMechanisms: Set<String> { Set(keywords["AUTH"] ?? []) }
}

/// One complete, possibly multi-line, SMTP reply.
struct SMTPReply: Sendable, Equatable {
  var code: Int
  /// The text of each line, without the code and separator.
  var lines: [String]

  var text: String { lines.joined(separator: " / ") }
}

/// A command's bytes (nil for "just wait for the next reply") and where its reply goes.
struct SMTPClientRequest: Sendable {
  var bytes: ByteBuffer?
  var reply: EventLoopPromise<SMTPReply>
}

/// Splits the server's bytes into replies and hands each to the oldest waiting request.
final class SMTPClientHandler: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = ByteBuffer
  typealias OutboundIn = SMTPClientRequest
  typealias OutboundOut = ByteBuffer

  struct ConnectionClosed: Error {}

  /// The connection closed before the TLS handshake finished. NIOSSL reports the handshake error and
  /// the close in an order that depends on timing, so the close itself is taken as the TLS failure.
  struct TLSHandshakeIncomplete: Error {}

  struct ProtocolViolation: Error {
    var reason: String
  }

  // Bounds that keep a hostile or broken server from making us buffer without limit. RFC 5321 allows 512 octets
  // per reply line; real servers stay far below these.
  private static let maxLineLength = 4096
  private static let maxLinesPerReply = 200
  private static let maxUnclaimedReplies = 4

  private var inbound = ByteBuffer()
  private var partialCode: Int?
  private var partialLines: [String] = []
  private var waiting = CircularBuffer<EventLoopPromise<SMTPReply>>()
  private var unclaimed = CircularBuffer<SMTPReply>()
  private var terminalError: (any Error)?
  /// A TLS handler sits in front and has not reported a finished handshake yet.
  var awaitingTLS: Bool
  private let outcome: ConnectionOutcome

  init(awaitingTLS: Bool = false, outcome: ConnectionOutcome = ConnectionOutcome()) {
    self.awaitingTLS = awaitingTLS
    self.outcome = outcome
  }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if case .handshakeCompleted? = event as? TLSUserEvent { awaitingTLS = false }
    context.fireUserInboundEventTriggered(event)
  }

  /// Whether anything has arrived that no request has consumed yet.
  var hasBufferedInput: Bool {
    inbound.readableBytes > 0 || partialCode != nil || !unclaimed.isEmpty
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    var bytes = Self.unwrapInboundIn(data)
    inbound.writeBuffer(&bytes)
    do {
      try parseReplies()
    } catch {
      fail(context: context, error: error)
    }
  }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    let request = Self.unwrapOutboundIn(data)
    if let terminalError {
      request.reply.fail(terminalError)
      promise?.fail(terminalError)
      return
    }
    waiting.append(request.reply)
    if let bytes = request.bytes {
      context.write(Self.wrapOutboundOut(bytes), promise: promise)
    } else {
      promise?.succeed(())
    }
    deliverUnclaimed()
  }

  func channelInactive(context: ChannelHandlerContext) {
    if terminalError == nil { terminalError = awaitingTLS ? TLSHandshakeIncomplete() : ConnectionClosed() }
    outcome.record(terminalError ?? ConnectionClosed())
    failAll(terminalError ?? ConnectionClosed())
    context.fireChannelInactive()
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    fail(context: context, error: error)
  }

  private func fail(context: ChannelHandlerContext, error: any Error) {
    if terminalError == nil { terminalError = error }
    outcome.record(terminalError ?? error)
    failAll(error)
    context.close(promise: nil)
  }

  private func failAll(_ error: any Error) {
    while let promise = waiting.popFirst() {
      promise.fail(error)
    }
  }

  private func deliverUnclaimed() {
    while !waiting.isEmpty, let reply = unclaimed.popFirst() {
      waiting.removeFirst().succeed(reply)
    }
  }

  private func parseReplies() throws {
    while let newline = inbound.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
      var line = inbound.readString(length: newline - inbound.readerIndex) ?? ""
      inbound.moveReaderIndex(forwardBy: 1)
      if line.hasSuffix("\r") { line.removeLast() }
      try consume(line: line)
    }
    guard inbound.readableBytes <= Self.maxLineLength else {
      throw ProtocolViolation(reason: "reply line longer than \(Self.maxLineLength) bytes")
    }
    inbound.discardReadBytes()
  }

  private func consume(line: String) throws {
    let utf8 = Array(line.utf8.prefix(4))
    guard utf8.count >= 3, utf8[0..<3].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
      utf8.count == 3 || utf8[3] == UInt8(ascii: " ") || utf8[3] == UInt8(ascii: "-")
    else {
      throw ProtocolViolation(reason: "malformed reply line \"\(line.prefix(80))\"")
    }
    let code = Int(line.prefix(3))!
    let isLast = utf8.count == 3 || utf8[3] == UInt8(ascii: " ")
    if let partialCode, partialCode != code {
      throw ProtocolViolation(reason: "multi-line reply changed code from \(partialCode) to \(code)")
    }
    partialCode = code
    partialLines.append(String(line.dropFirst(4)))
    guard partialLines.count <= Self.maxLinesPerReply else {
      throw ProtocolViolation(reason: "reply longer than \(Self.maxLinesPerReply) lines")
    }
    guard isLast else { return }

    let reply = SMTPReply(code: code, lines: partialLines)
    partialCode = nil
    partialLines = []
    if let promise = waiting.popFirst() {
      promise.succeed(reply)
    } else {
      // Normally only the greeting, which can arrive before we ask for it. Anything else is answered to the
      // next command, whose code check then reports it.
      unclaimed.append(reply)
      guard unclaimed.count <= Self.maxUnclaimedReplies else {
        throw ProtocolViolation(reason: "server sent replies nobody asked for")
      }
    }
  }
}

@available(*, unavailable)
extension SMTPClientHandler: Sendable {}

// MARK: - Addresses

/// An address with an optional display name, as in `Mamori <mamori@example.co.jp>`.
struct SMTPMailbox: Sendable, Equatable {
  var displayName: String?
  var address: String

  var domain: String {
    address.lastIndex(of: "@").map { String(address[address.index(after: $0)...]) } ?? ""
  }

  init(displayName: String?, address: String) {
    self.displayName = displayName
    self.address = address
  }

  init(parsing raw: String, field: String) throws {
    guard !raw.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
      throw SMTPError.invalidMessage("the \(field) address contains a line break (header injection attempt?)")
    }
    let text = raw.trimmingCharacters(in: .whitespaces)
    var name: String?
    var address = text
    if text.hasSuffix(">"), let open = text.lastIndex(of: "<") {
      address = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
      var rawName = text[..<open].trimmingCharacters(in: .whitespaces)
      if rawName.count >= 2, rawName.hasPrefix("\""), rawName.hasSuffix("\"") {
        rawName = String(rawName.dropFirst().dropLast())
          .replacingOccurrences(of: "\\\"", with: "\"")
          .replacingOccurrences(of: "\\\\", with: "\\")
      }
      if rawName.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
        throw SMTPError.invalidMessage("the \(field) display name contains control characters")
      }
      name = rawName.isEmpty ? nil : rawName
    }
    try Self.validate(address: address, field: field)
    self.init(displayName: name, address: address)
  }

  private static func validate(address: String, field: String) throws {
    let forbidden: Set<Unicode.Scalar> = ["<", ">", "(", ")", ",", ";", "\"", "\\"]
    guard !address.isEmpty, address.utf8.count <= 254,
      !address.unicodeScalars.contains(where: {
        forbidden.contains($0) || $0.properties.isWhitespace || $0.properties.generalCategory == .control
      }),
      let at = address.lastIndex(of: "@"),
      at != address.startIndex, address.index(after: at) != address.endIndex
    else {
      throw SMTPError.invalidMessage("the \(field) address \"\(address)\" is not a valid e-mail address")
    }
  }
}

// MARK: - Message format

/// RFC 5322 / MIME rendering of a plain-text UTF-8 message.
enum SMTPMessageFormat {
  /// RFC 2047 allows 75 characters per encoded-word and 76 per line; 39 bytes of text become a 64-character
  /// word, which still fits after "Subject: " on the first line.
  static let maxEncodedWordBytes = 39
  static let maxLineLength = 76

  static func render(
    _ message: MailMessage,
    from sender: SMTPMailbox,
    to recipient: SMTPMailbox,
    date: Date,
    timeZone: TimeZone,
    messageID: String
  ) throws -> String {
    if message.subject.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) {
      throw SMTPError.invalidMessage("the Subject contains a line break (header injection attempt?)")
    }
    let headers = [
      "Date: \(rfc5322Date(date, timeZone: timeZone))",
      mailboxHeader("From", sender),
      mailboxHeader("To", recipient),
      unstructuredHeader("Subject", message.subject),
      "Message-ID: \(messageID)",
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=UTF-8",
      "Content-Transfer-Encoding: base64",
    ]
    return headers.joined(separator: "\r\n") + "\r\n\r\n" + base64Body(message.body)
  }

  /// The DATA section: dot-stuffed, ending with the lone "." line.
  static func dataPayload(_ content: String) -> ByteBuffer {
    var lines = content.components(separatedBy: "\r\n")
    if lines.last == "" { lines.removeLast() }
    var buffer = ByteBuffer()
    for line in lines {
      if line.hasPrefix(".") { buffer.writeStaticString(".") }
      buffer.writeString(line)
      buffer.writeStaticString("\r\n")
    }
    buffer.writeStaticString(".\r\n")
    return buffer
  }

  static func makeMessageID(senderDomain: String, fallbackDomain: String) -> String {
    let domain = isDotAtomOrLiteral(senderDomain) ? senderDomain
      : isDotAtomOrLiteral(fallbackDomain) ? fallbackDomain : "localhost"
    let unique = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    return "<\(unique)@\(domain)>"
  }

  private static func isDotAtomOrLiteral(_ domain: String) -> Bool {
    guard !domain.isEmpty, domain.allSatisfy(\.isASCII) else { return false }
    if domain.hasPrefix("["), domain.hasSuffix("]") { return true }
    return domain.unicodeScalars.allSatisfy {
      CharacterSet.alphanumerics.contains($0) || "-.".unicodeScalars.contains($0)
    }
  }

  /// `Tue, 03 Jun 2025 09:05:00 +0900`, built by hand so that neither the process locale nor a shared
  /// DateFormatter can change it.
  static func rfc5322Date(_ date: Date, timeZone: TimeZone) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    calendar.locale = Locale(identifier: "en_US_POSIX")
    let parts = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute, .second], from: date)
    let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    let offsetMinutes = timeZone.secondsFromGMT(for: date) / 60
    let sign = offsetMinutes < 0 ? "-" : "+"
    let zone = sign + two(abs(offsetMinutes) / 60) + two(abs(offsetMinutes) % 60)
    return "\(days[parts.weekday! - 1]), \(two(parts.day!)) \(months[parts.month! - 1]) \(parts.year!) "
      + "\(two(parts.hour!)):\(two(parts.minute!)):\(two(parts.second!)) \(zone)"
  }

  static func mailboxHeader(_ name: String, _ mailbox: SMTPMailbox) -> String {
    guard let displayName = mailbox.displayName else {
      return "\(name): \(mailbox.address)"
    }
    var tokens: [String]
    if needsEncoding(displayName) {
      tokens = encodedWords(displayName)
    } else if displayName.unicodeScalars.contains(where: { "()<>[]:;@\\,.\"".unicodeScalars.contains($0) }) {
      let escaped = displayName
        .replacingOccurrences(of: "\\", with: "\\\\")
        .replacingOccurrences(of: "\"", with: "\\\"")
      tokens = ["\"\(escaped)\""]
    } else {
      tokens = displayName.split(separator: " ").map(String.init)
    }
    tokens.append("<\(mailbox.address)>")
    return fold(name, tokens)
  }

  static func unstructuredHeader(_ name: String, _ value: String) -> String {
    let words = value.split(separator: " ", omittingEmptySubsequences: false)
    // A run of more than a line's width cannot be folded, so it is encoded (which splits it) instead.
    if needsEncoding(value) || words.contains(where: { $0.utf8.count > maxLineLength - name.utf8.count - 2 }) {
      return fold(name, encodedWords(value))
    }
    // Folding only inserts CRLF before an existing space, so unfolding gives back the exact text.
    var result = "\(name):"
    var lineLength = result.utf8.count
    for (index, word) in words.enumerated() {
      let piece = " " + word
      if index > 0, !word.isEmpty, lineLength + piece.utf8.count > maxLineLength {
        result += "\r\n"
        lineLength = 0
      }
      result += piece
      lineLength += piece.utf8.count
    }
    return result
  }

  /// Text needs RFC 2047 when it is not printable ASCII or could be mistaken for an encoded-word.
  static func needsEncoding(_ text: String) -> Bool {
    text.unicodeScalars.contains { $0.value < 0x20 || $0.value > 0x7E } || text.contains("=?")
  }

  /// `=?UTF-8?B?...?=` words of at most `maxEncodedWordBytes` bytes of text each, never splitting a character.
  static func encodedWords(_ text: String) -> [String] {
    var chunks: [[UInt8]] = []
    var current: [UInt8] = []
    func append(_ bytes: [UInt8]) {
      if current.count + bytes.count > maxEncodedWordBytes, !current.isEmpty {
        chunks.append(current)
        current = []
      }
      current += bytes
    }
    for character in text {
      let bytes = Array(String(character).utf8)
      if bytes.count <= maxEncodedWordBytes {
        append(bytes)
      } else {
        // A grapheme cluster longer than a whole word (long emoji sequences) is split between scalars instead.
        for scalar in character.unicodeScalars { append(Array(String(scalar).utf8)) }
      }
    }
    if !current.isEmpty || chunks.isEmpty { chunks.append(current) }
    return chunks.map { "=?UTF-8?B?\(Data($0).base64EncodedString())?=" }
  }

  /// Joins tokens with spaces, starting a continuation line where the next token would pass the line limit.
  static func fold(_ name: String, _ tokens: [String]) -> String {
    var result = "\(name):"
    var lineLength = result.utf8.count
    for (index, token) in tokens.enumerated() {
      if index > 0, lineLength + 1 + token.utf8.count > maxLineLength {
        result += "\r\n"
        lineLength = 0
      }
      result += " " + token
      lineLength += 1 + token.utf8.count
    }
    return result
  }

  /// Base64 of the body in canonical CRLF form (RFC 2045 §6.8), in lines of 76 characters.
  static func base64Body(_ body: String) -> String {
    let canonical = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
      .replacingOccurrences(of: "\n", with: "\r\n")
    let encoded = Data(canonical.utf8).base64EncodedString()
    var lines: [Substring] = []
    var start = encoded.startIndex
    while start < encoded.endIndex {
      let end = encoded.index(start, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
      lines.append(encoded[start..<end])
      start = end
    }
    return lines.map { $0 + "\r\n" }.joined()
  }
}
