import Foundation
import Hummingbird
import PrefectSchemas

/// `GET /csrf-token?client=…` (Prefect's `api/csrf_token.py`): a new token for the client
/// while CSRF protection is on, Prefect's 422 "CSRF protection is disabled." while it is off.
enum CSRFTokenRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment, options: PrefectServerOptions) {
        api.get("csrf-token") { request, _ -> Response in
            guard let client = request.uri.queryParameters["client"].map(String.init) else {
                throw APIError.validation(
                    [APIError.validationEntry(type: "missing", loc: ["query", "client"], msg: "Field required")],
                    requestBody: .null)
            }
            guard options.csrfProtectionEnabled else {
                throw APIError.detail(.unprocessableContent, "CSRF protection is disabled.")
            }
            let now = Date()
            let token = try await env.write { try CSRFTokenStore.issue($0, client: client, lifetime: options.csrfTokenExpiration, now: now) }
            return JSONResponse.make(token)
        }
    }
}
