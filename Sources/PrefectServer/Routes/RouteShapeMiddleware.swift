import Foundation
import HTTPTypes
import Hummingbird
import PrefectSchemas

/// What Starlette's router answers before any handler runs, which Hummingbird's does not: a
/// known path with another method is 405 `Method Not Allowed`; a path that is a route's with
/// its trailing slash toggled is a 307 redirect to that route (`redirect_slashes`); a served
/// route checks the request's `X-PREFECT-API-VERSION` (``APIVersionHeader``).
struct RouteShapeMiddleware: RouterMiddleware {
    typealias Context = PrefectRequestContext
    let table: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        switch table.resolve(method: request.method, path: request.uri.path) {
        case .served:
            try APIVersionHeader.check(request)
            return try await next(request, context)
        case .unknown:
            return try await next(request, context)
        case .otherMethods:
            return JSONResponse.make(JSONValue.object(["detail": "Method Not Allowed"]), status: .methodNotAllowed)
        case .redirect(let path):
            var location = path
            if let query = request.uri.query, !query.isEmpty { location += "?" + query }
            if let authority = request.head.authority {
                location = "\(request.head.scheme ?? "http")://\(authority)\(location)"
            }
            return Response(status: .temporaryRedirect, headers: [.location: location])
        }
    }
}

/// Prefect's `EnforceMinimumAPIVersion` dependency (`server/api/dependencies.py`): on every
/// route of its API routers (not `/api/health` or `/api/version`), a `X-PREFECT-API-VERSION`
/// header must read `x.y.z` and be at least 0.8.0, or the request is a 400.
enum APIVersionHeader {
    static let minimum = [0, 8, 0]
    private static let name = HTTPField.Name("X-PREFECT-API-VERSION")
    private static let exempt: Set<String> = ["/api/health", "/api/version", "/api/openapi.json"]

    static func check(_ request: Request) throws {
        guard let name, let value = request.headers[name], !value.isEmpty, !exempt.contains(request.uri.path) else { return }
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        let numbers = parts.compactMap { Int(String($0).trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, numbers.count == 3 else {
            throw APIError.detail(
                .badRequest,
                "Invalid X-PREFECT-API-VERSION header format.Expected header in format 'x.y.z' but received \(value)")
        }
        if numbers.lexicographicallyPrecedes(minimum) {
            throw APIError.detail(
                .badRequest,
                "The request specified API version \(value) but this server requires version "
                    + minimum.map(String.init).joined(separator: ".") + " or higher.")
        }
    }
}
