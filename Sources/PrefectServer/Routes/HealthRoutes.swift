import Hummingbird
import PrefectSchemas

/// `health`, `version`, `hello` and `admin/version` (Prefect's `api/root.py`, `api/admin.py`).
enum HealthRoutes {
    /// The Prefect server version whose API this server implements.
    static let serverVersion = "3.9.1"

    static func register(on api: RouterGroup<PrefectRequestContext>) {
        api.get("health") { _, _ in JSONResponse.make(true) }
        api.get("version") { _, _ in JSONResponse.make(serverVersion) }
        api.get("admin/version") { _, _ in JSONResponse.make(serverVersion) }
        api.get("hello") { _, _ in JSONResponse.make("👋") }
    }
}
