import Foundation
import HTTPTypes
import Hummingbird
import PrefectSchemas

/// Prefect's `CsrfMiddleware` (`api/middleware.py`): a write needs the `Prefect-Csrf-Token`
/// its `Prefect-Csrf-Client` was given, or it is refused with 403.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = PrefectRequestContext
    let env: RouteEnvironment

    private static let writes: Set<HTTPRequest.Method> = [.post, .put, .patch, .delete]
    private static let tokenHeader = HTTPField.Name("Prefect-Csrf-Token")
    private static let clientHeader = HTTPField.Name("Prefect-Csrf-Client")

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard Self.writes.contains(request.method) else { return try await next(request, context) }
        guard let token = Self.tokenHeader.flatMap({ request.headers[$0] }) else {
            return JSONResponse.make(["detail": "Missing CSRF token."], status: .forbidden)
        }
        guard let client = Self.clientHeader.flatMap({ request.headers[$0] }) else {
            return JSONResponse.make(["detail": "Missing client identifier."], status: .forbidden)
        }
        let now = Date()
        let stored = try await env.read { try CSRFTokenStore.current($0, client: client, now: now) }
        guard let stored, ConstantTime.equal(stored, token) else {
            var response = JSONResponse.make(["detail": "Invalid CSRF token or client identifier."], status: .forbidden)
            response.headers[.accessControlAllowOrigin] = "*"
            return response
        }
        return try await next(request, context)
    }
}

/// Prefect's `token_validation` middleware (`api/server.py`): with an auth string set, every
/// request but `GET /api/health` and `GET /api/ready` needs it as HTTP basic auth, or is
/// answered 401 `{"exception_message": "Unauthorized"}`.
struct BasicAuthMiddleware: RouterMiddleware {
    typealias Context = PrefectRequestContext
    let authString: String

    private static let open: Set<String> = ["/api/health", "/api/ready"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .get, Self.open.contains(request.uri.path) { return try await next(request, context) }
        guard let header = request.headers[.authorization] else { return Self.unauthorized }
        let parts = header.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0] == "Basic", let data = Data(base64Encoded: String(parts[1])),
              let decoded = String(data: data, encoding: .utf8), ConstantTime.equal(decoded, authString)
        else { return Self.unauthorized }
        return try await next(request, context)
    }

    private static var unauthorized: Response {
        JSONResponse.make(["exception_message": "Unauthorized"], status: .unauthorized)
    }
}

/// Comparison that takes as long however early two secrets differ (`hmac.compare_digest`).
enum ConstantTime {
    static func equal(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}
