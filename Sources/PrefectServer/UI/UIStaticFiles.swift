import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// One UI bundle served as Prefect 3.9.1 serves it (FastAPI's `frontend` route over Starlette's
/// `StaticFiles`): files by path, `index.html` for a directory, and `index.html` again for any
/// path a browser navigates to that is no file, so the UI's own router takes it.
///
/// Text files have `/PREFECT_UI_SERVE_BASE_REPLACE_PLACEHOLDER` replaced by the bundle's base,
/// as Prefect's `create_ui_static_subpath` does to its copy; here it happens as a file is first
/// read, and the result is kept in memory, so the bundle's own directory is never written.
final class UIStaticFiles: Sendable {
    static let placeholder = "/PREFECT_UI_SERVE_BASE_REPLACE_PLACEHOLDER"
    private static let replacedExtensions: Set<String> = ["txt", "html", "css", "js", "json"]

    struct File: Sendable {
        let body: ByteBuffer
        let contentType: String
        let etag: String
    }

    let directory: URL
    private let replacement: String
    private let files = Mutex<[String: File]>([:])

    init(directory: URL, base: String) {
        self.directory = directory.standardizedFileURL
        self.replacement = base == "/" ? "" : base
    }

    /// The answer for `relativePath` (percent-encoded, from the bundle's base).
    func respond(to request: Request, relativePath: String, fullPath: String) -> Response {
        let components = relativePath.split(separator: "/", omittingEmptySubsequences: true)
        let decoded = components.map { $0.removingPercentEncoding }
        // A name is one path component after decoding: `%2f` may not add a level, nor `..` leave one.
        let names = decoded.compactMap { $0 }.filter { $0 != "." }
        guard names.count == decoded.count - decoded.filter({ $0 == "." }).count,
            !names.contains(where: { $0 == ".." || $0.contains("/") || $0.contains("\0") })
        else {
            return Self.notFound()
        }
        let target = names.reduce(directory) { $0.appendingPathComponent($1) }
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: target.path, isDirectory: &isDirectory)
        let isGetOrHead = request.method == .get || request.method == .head
        if exists, isDirectory.boolValue, let index = file(target.appendingPathComponent("index.html")) {
            guard isGetOrHead else { return Self.methodNotAllowed() }
            guard fullPath.hasSuffix("/") else { return Self.redirect(to: fullPath + "/", query: request.uri.query) }
            return answer(index, to: request)
        }
        if exists, !isDirectory.boolValue, let file = file(target) {
            guard isGetOrHead else { return Self.methodNotAllowed() }
            return answer(file, to: request)
        }
        guard isGetOrHead else { return Self.notFound() }
        if UIRequest.acceptsHTML(request), let index = file(directory.appendingPathComponent("index.html")) {
            return answer(index, to: request)
        }
        return Self.notFound()
    }

    /// The file at `url`, read (and its placeholder replaced) once.
    private func file(_ url: URL) -> File? {
        let path = url.standardizedFileURL.path
        guard path.hasPrefix(directory.path + "/") else { return nil }
        if let cached = files.withLock({ $0[path] }) { return cached }
        guard var data = FileManager.default.contents(atPath: path) else { return nil }
        let pathExtension = url.pathExtension.lowercased()
        if Self.replacedExtensions.contains(pathExtension), let text = String(data: data, encoding: .utf8),
            text.contains(Self.placeholder)
        {
            data = Data(text.replacingOccurrences(of: Self.placeholder, with: replacement).utf8)
        }
        let digest = SHA256.hash(data: data).prefix(16).map { String(format: "%02x", $0) }.joined()
        let file = File(body: ByteBuffer(bytes: data), contentType: UIMediaTypes.contentType(pathExtension: pathExtension), etag: "\"\(digest)\"")
        files.withLock { $0[path] = file }
        return file
    }

    private func answer(_ file: File, to request: Request) -> Response {
        var headers: HTTPFields = [.contentType: file.contentType, .eTag: file.etag, .acceptRanges: "bytes"]
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: {
            $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "") == file.etag
        }) {
            return Response(status: .notModified, headers: [.eTag: file.etag])
        }
        headers[.contentLength] = String(file.body.readableBytes)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: request.method == .head ? ByteBuffer() : file.body))
    }

    static func notFound() -> Response { JSONResponse.make(["detail": "Not Found"], status: .notFound) }

    static func methodNotAllowed() -> Response { JSONResponse.make(["detail": "Method Not Allowed"], status: .methodNotAllowed) }

    static func redirect(to path: String, query: String?) -> Response {
        let location = query.map { path + "?" + $0 } ?? path
        return Response(status: .temporaryRedirect, headers: [.location: location])
    }
}
