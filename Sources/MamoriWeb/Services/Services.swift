import Foundation
import Logging

/// The clock, behind an interface so that tests can fix "now" and walk it past timeouts.
public protocol AppClock: Sendable {
  func now() -> Date
}

public struct SystemClock: AppClock {
  public init() {}
  public func now() -> Date { Date() }
}

/// The side effects a running Mamori depends on.
public struct AppServices: Sendable {
  public var clock: any AppClock
  /// nil when no SMTP server is configured.
  public var mailer: (any Mailer)?
  /// nil: configure() keeps files in `<data directory>/evidence`.
  public var files: (any FileStore)?
  /// nil: configure() reads uploads in a child `mamori sandbox-parse` of the running executable.
  public var uploads: (any UploadParsing)?

  public init(
    clock: any AppClock = SystemClock(), mailer: (any Mailer)? = nil, files: (any FileStore)? = nil,
    uploads: (any UploadParsing)? = nil
  ) {
    self.clock = clock
    self.mailer = mailer
    self.files = files
    self.uploads = uploads
  }
}

/// Where uploaded files (evidence) are kept: outside the web root, under names Mamori chooses, so that
/// an upload can never be served as a page or overwrite another.
public protocol FileStore: Sendable {
  func put(_ data: Data, key: String) async throws
  func get(key: String) async throws -> Data?
  /// How to send a stored file: from its path, in chunks, when it is on disk, so that a download never
  /// holds a whole file in memory.
  func content(key: String) async throws -> StoredContent?
  func delete(key: String) async throws
}

public enum StoredContent: Sendable {
  case file(path: String)
  case data(Data)
}

/// Files in a folder of the data directory (`<data>/evidence`), created with owner-only permissions.
public struct DirectoryFileStore: FileStore {
  public let folder: URL

  public init(folder: URL) { self.folder = folder }

  func url(_ key: String) throws -> URL {
    // Keys are Mamori's own (UUIDs); anything else is refused rather than joined into a path.
    guard !key.isEmpty, key.allSatisfy({ $0.isHexDigit || $0 == "-" }) else { throw CocoaError(.fileNoSuchFile) }
    return folder.appendingPathComponent(key)
  }

  public func put(_ data: Data, key: String) async throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    let target = try url(key)
    // Atomic, so that a crash never leaves half a file; keys are fresh UUIDs, so nothing is overwritten.
    try data.write(to: target, options: [.atomic])
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target.path)
  }

  public func get(key: String) async throws -> Data? {
    let target = try url(key)
    guard FileManager.default.fileExists(atPath: target.path) else { return nil }
    return try Data(contentsOf: target)
  }

  public func content(key: String) async throws -> StoredContent? {
    let target = try url(key)
    return FileManager.default.fileExists(atPath: target.path) ? .file(path: target.path) : nil
  }

  public func delete(key: String) async throws {
    let target = try url(key)
    if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
  }
}

