/// The `Content-Type` of a bundle file by its extension, as Starlette's `FileResponse` gives it
/// from Python's `mimetypes` (text types with `charset=utf-8`).
enum UIMediaTypes {
    private static let types: [String: String] = [
        "html": "text/html; charset=utf-8",
        "js": "text/javascript; charset=utf-8",
        "mjs": "text/javascript; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "json": "application/json",
        "map": "application/json",
        "txt": "text/plain; charset=utf-8",
        "svg": "image/svg+xml",
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "gif": "image/gif",
        "webp": "image/webp",
        "ico": "image/vnd.microsoft.icon",
        "woff": "font/woff",
        "woff2": "font/woff2",
        "ttf": "font/ttf",
        "otf": "font/otf",
        "webmanifest": "application/manifest+json",
        "xml": "application/xml",
        "wasm": "application/wasm",
    ]

    static func contentType(pathExtension: String) -> String {
        types[pathExtension] ?? "text/plain; charset=utf-8"
    }
}
