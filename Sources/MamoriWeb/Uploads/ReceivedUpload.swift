import Foundation
import MamoriCore
import NIOCore
import NIOPosix
import Vapor

/// Limits of a multipart upload, declared once.
enum UploadLimits {
  /// The largest file accepted (workbooks, answer files, catalogs, evidence).
  static let maximumFileBytes = UploadParser.maximumBytes
  /// The whole request: the file plus its form fields and multipart framing.
  static let maximumRequestBytes = maximumFileBytes + (64 << 10)
  /// A text field of an upload form (the CSRF token, an item id).
  static let maximumFieldBytes = 4 << 10
  static let maximumFields = 16
}

/// An upload as the handler receives it: small text fields in memory, the file on disk.
struct ReceivedUpload: Sendable {
  var fields: [String: String]
  var file: ReceivedFile?
}

/// The uploaded file, in a private temporary file that ``remove()`` deletes; handlers remove it when done.
struct ReceivedFile: Sendable {
  var fileName: String
  var url: URL
  var size: Int

  func data() throws -> Data { try Data(contentsOf: url) }
  func remove() { try? FileManager.default.removeItem(at: url) }
}

enum UploadFailure: Error, Equatable {
  case tooLarge
  case malformed
}

extension Request {
  /// Reads a multipart upload without holding it in memory: text fields up to a few KiB each, the part
  /// named `file` streamed to a temporary file, everything counted against `UploadLimits`. The form's
  /// CSRF token is compared here, because streamed routes skip the middleware's body check; nothing
  /// received is returned unless it matches.
  func receiveUpload(maximumFileBytes: Int = UploadLimits.maximumFileBytes) async throws -> ReceivedUpload {
    guard let type = headers.contentType, type.type == "multipart", type.subType == "form-data",
      let boundary = type.parameters["boundary"], !boundary.isEmpty, boundary.utf8.count <= 200
    else { throw Abort(.unsupportedMediaType) }
    let directory = FileManager.default.temporaryDirectory
    let receiver = UploadReceiver(
      boundary: boundary, fileURL: directory.appendingPathComponent("mamori-upload-\(UUID.random().uuidString)"),
      maximumFileBytes: maximumFileBytes, fileIO: application.fileio, eventLoop: eventLoop)
    let promise = eventLoop.makePromise(of: Void.self)
    let loop = eventLoop
    let body = self.body
    // A streamed body calls back on the event loop; a collected one (tests, small bodies) calls back on
    // whichever thread drains it, so draining starts on the loop too: the receiver never leaves it.
    loop.execute {
      body.drain { result in
        switch result {
        case .buffer(let buffer):
          return receiver.consume(buffer).flatMapErrorThrowing { error in
            promise.fail(error)
            throw error
          }
        case .error(let error):
          promise.fail(error)
          return loop.makeSucceededVoidFuture()
        case .end:
          promise.completeWith(receiver.finish())
          return loop.makeSucceededVoidFuture()
        }
      }
    }
    do {
      try await promise.futureResult.get()
    } catch {
      receiver.discard()
      switch error {
      case UploadFailure.tooLarge: throw Abort(.payloadTooLarge)
      case UploadFailure.malformed: throw Abort(.badRequest)
      default: throw error
      }
    }
    let upload = receiver.result()
    if csrfCheckPending {
      guard let provided = upload.fields[CSRFMiddleware.fieldName] ?? headers.first(name: CSRFMiddleware.headerName),
        Secrets.constantTimeEquals(provided, csrfToken)
      else {
        upload.file?.remove()
        throw Abort(.forbidden, reason: "csrf")
      }
      csrfCheckPending = false
    }
    return upload
  }
}

/// The state of one upload being received. Every method runs on the request's event loop, which is why
/// the mutable state needs no lock.
private final class UploadReceiver: @unchecked Sendable {
  let parser: MultipartParser
  let fileURL: URL
  let maximumFileBytes: Int
  let fileIO: NonBlockingFileIO
  let eventLoop: any EventLoop

  var received = 0
  var headers: [(String, String)] = []
  var partName: String?
  var partFileName: String?
  var isFilePart = false
  var fieldBytes: [UInt8] = []
  var fields: [String: String] = [:]
  var fileHandle: NIOFileHandle?
  var fileName: String?
  var fileSize = 0
  var pending: ByteBuffer?
  var failure: UploadFailure?

  init(boundary: String, fileURL: URL, maximumFileBytes: Int, fileIO: NonBlockingFileIO, eventLoop: any EventLoop) {
    self.parser = MultipartParser(boundary: boundary)
    self.fileURL = fileURL
    self.maximumFileBytes = maximumFileBytes
    self.fileIO = fileIO
    self.eventLoop = eventLoop
    parser.onHeader = { [unowned self] name, value in headers.append((name, value)) }
    parser.onBody = { [unowned self] buffer in body(&buffer) }
    parser.onPartComplete = { [unowned self] in partComplete() }
  }

  func startPart() {
    let parsed = HTTPHeaders(headers)
    headers = []
    let disposition = parsed.contentDisposition
    partName = disposition?.name
    partFileName = disposition?.filename
    isFilePart = partName == "file"
    fieldBytes = []
  }

  func body(_ buffer: inout ByteBuffer) {
    if partName == nil, isFilePart == false, !headers.isEmpty { startPart() }
    guard failure == nil else { return }
    if isFilePart {
      fileSize += buffer.readableBytes
      guard fileSize <= maximumFileBytes else {
        failure = .tooLarge
        return
      }
      if pending == nil { pending = ByteBuffer() }
      pending!.writeBuffer(&buffer)
    } else {
      fieldBytes += buffer.readableBytesView
      if fieldBytes.count > UploadLimits.maximumFieldBytes { failure = .tooLarge }
    }
  }

  func partComplete() {
    if partName == nil, isFilePart == false, !headers.isEmpty { startPart() }
    defer {
      partName = nil
      partFileName = nil
      isFilePart = false
      fieldBytes = []
    }
    guard failure == nil else { return }
    if isFilePart {
      fileName = partFileName ?? ""
    } else if let name = partName {
      guard fields.count < UploadLimits.maximumFields else {
        failure = .malformed
        return
      }
      fields[name] = String(decoding: fieldBytes, as: UTF8.self)
    }
  }

  /// Feeds one chunk to the parser and writes whatever of the file it produced.
  func consume(_ buffer: ByteBuffer) -> EventLoopFuture<Void> {
    received += buffer.readableBytes
    guard received <= UploadLimits.maximumRequestBytes else { return eventLoop.makeFailedFuture(UploadFailure.tooLarge) }
    do {
      try parser.execute(buffer)
    } catch {
      return eventLoop.makeFailedFuture(UploadFailure.malformed)
    }
    if let failure { return eventLoop.makeFailedFuture(failure) }
    return flush()
  }

  func flush() -> EventLoopFuture<Void> {
    guard let chunk = pending, chunk.readableBytes > 0 else { return eventLoop.makeSucceededVoidFuture() }
    pending = nil
    let handle: NIOFileHandle
    if let open = fileHandle {
      handle = open
    } else {
      do {
        // 0600: another local user must not read what was uploaded.
        handle = try NIOFileHandle(
          _deprecatedPath: fileURL.path, mode: .write, flags: .allowFileCreation(posixMode: 0o600))
      } catch {
        return eventLoop.makeFailedFuture(error)
      }
      fileHandle = handle
    }
    return fileIO.write(fileHandle: handle, buffer: chunk, eventLoop: eventLoop)
  }

  func finish() -> EventLoopFuture<Void> {
    if let failure { return eventLoop.makeFailedFuture(failure) }
    return flush().flatMapThrowing { [self] in
      try fileHandle?.close()
      fileHandle = nil
    }
  }

  func result() -> ReceivedUpload {
    guard let fileName, fileSize > 0 else {
      discard()
      return ReceivedUpload(fields: fields, file: nil)
    }
    return ReceivedUpload(fields: fields, file: ReceivedFile(fileName: fileName, url: fileURL, size: fileSize))
  }

  func discard() {
    try? fileHandle?.close()
    fileHandle = nil
    try? FileManager.default.removeItem(at: fileURL)
  }
}
