import GRDB
import Hummingbird
import PrefectSchemas

/// `health`, `ready`, `version`, `hello` and `admin/version` (Prefect's `api/server.py`,
/// `api/root.py`, `api/admin.py`).
enum HealthRoutes {
    /// The Prefect server version whose API this server implements.
    static let serverVersion = "3.9.1"
    /// `SERVER_API_VERSION`, which `GET /api/version` answers.
    static let apiVersion = "0.8.4"

    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        api.get("health") { _, _ in JSONResponse.make(true) }
        api.get("ready") { _, _ -> Response in
            // `perform_readiness_check`: whether the database answers.
            do {
                _ = try await env.database.pool.read { try Int.fetchOne($0, sql: "SELECT 1") }
                return JSONResponse.make(JSONValue.object(["message": "OK"]))
            } catch {
                return JSONResponse.make(JSONValue.object(["message": "Database is not available"]), status: .serviceUnavailable)
            }
        }
        api.get("version") { _, _ in JSONResponse.make(apiVersion) }
        api.get("admin/version") { _, _ in JSONResponse.make(serverVersion) }
        api.get("hello") { _, _ in JSONResponse.make("👋") }
    }
}
