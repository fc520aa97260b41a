import Foundation
import HTTPTypes
import Hummingbird

/// What Prefect 3.9.1 reads from a request to the UI (`_is_html_navigation` in
/// `prefect/server/api/server.py`, `_is_frontend_navigation_request` in FastAPI).
enum UIRequest {
    /// The cookie in which the UI keeps the browser's choice of v1 or v2.
    static let versionCookie = "prefect_ui_version"

    /// A browser opening a page: `GET`/`HEAD` that is a navigation or asks for HTML.
    static func isHTMLNavigation(_ request: Request) -> Bool {
        guard request.method == .get || request.method == .head else { return false }
        let mode = request.headers[HTTPField.Name("sec-fetch-mode")!]
        let destination = request.headers[HTTPField.Name("sec-fetch-dest")!]
        if mode == "navigate" || destination == "document" || destination == "iframe" { return true }
        return (request.headers[.accept] ?? "").lowercased().contains("text/html")
    }

    /// Whether `Accept` names HTML with a quality above 0: a missing file is then the UI's
    /// `index.html`, for the UI's router to show.
    static func acceptsHTML(_ request: Request) -> Bool {
        for item in (request.headers[.accept] ?? "").split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type = parts.first, type == "text/html" || type == "application/xhtml+xml" else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if quality != 0 { return true }
        }
        return false
    }

    /// The value of cookie `name`, if the request sends it.
    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }
}
