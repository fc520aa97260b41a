import Hummingbird
import PrefectSchemas

/// `health`, `version`, `hello`, `admin/version` and `csrf-token` (Prefect's `api/root.py`,
/// `api/admin.py`, `api/csrf_token.py`).
enum HealthRoutes {
    /// The Prefect server version whose API this server implements.
    static let serverVersion = "3.9.1"

    static func register(on api: RouterGroup<PrefectRequestContext>) {
        api.get("health") { _, _ in JSONResponse.make(true) }
        api.get("version") { _, _ in JSONResponse.make(serverVersion) }
        api.get("admin/version") { _, _ in JSONResponse.make(serverVersion) }
        api.get("hello") { _, _ in JSONResponse.make("👋") }
        api.get("csrf-token") { request, _ -> Response in
            guard request.uri.queryParameters["client"] != nil else {
                throw APIError.validation(
                    [APIError.validationEntry(type: "missing", loc: ["query", "client"], msg: "Field required")],
                    requestBody: .null)
            }
            throw APIError.detail(.unprocessableContent, "CSRF protection is disabled.")
        }
    }
}
