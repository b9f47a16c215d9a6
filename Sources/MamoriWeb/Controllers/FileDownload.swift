import Foundation
import Vapor

/// A stored file (evidence, a scanned pledge) sent as a download: streamed from disk in chunks, off the
/// event loop, with the length known up front; always an attachment, never rendered in Mamori's origin.
enum FileDownload {
  static func attachment(_ req: Request, key: String, fileName: String, contentType: String, fallback: String) async throws -> Response {
    let response: Response
    switch try await req.mamori.files.content(key: key) {
    case .file(let path)?:
      response = try await req.fileio.asyncStreamFile(at: path)
    case .data(let data)?:
      response = Response(status: .ok, body: .init(data: data))
    case nil:
      throw Abort(.notFound)
    }
    let type = contentType.split(separator: "/").map(String.init)
    response.headers.contentType = type.count == 2 ? HTTPMediaType(type: type[0], subType: type[1]) : .binary
    // The name in both plain and RFC 5987 form.
    let ascii = String(fileName.unicodeScalars.filter { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 }.map(Character.init))
    let encoded = fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
    response.headers.replaceOrAdd(
      name: .contentDisposition, value: "attachment; filename=\"\(ascii.isEmpty ? fallback : ascii)\"; filename*=UTF-8''\(encoded)")
    response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
    return response
  }
}
