import Foundation
import HTTPTypes
import PrefectSchemas
import Synchronization

/// The served routes as Starlette matches Prefect's: literal segments, `{id}` and
/// `{schedule_id}` parameters that match only a UUID (Prefect's `{id:uuid}` convertor), other
/// parameters that match any segment, and the trailing slash each route is written with in
/// Prefect's OpenAPI document (`/api/flows/` creates a flow, `/api/flows/filter` reads them).
///
/// Hummingbird ignores trailing slashes and answers 404 for a known path with another
/// method; ``RouteShapeMiddleware`` uses this table to answer as Starlette does instead.
final class RouteTable: Sendable {
    enum Segment: Equatable {
        case literal(String)
        case uuid
        case any
    }

    struct Route {
        let method: HTTPRequest.Method
        let segments: [Segment]
        let trailingSlash: Bool
    }

    /// How a request's method and path meet the table.
    enum Resolution: Equatable {
        /// A route serves it.
        case served
        /// Its path is a route's, for other methods only: 405.
        case otherMethods
        /// Its path is a route's with the trailing slash toggled: 307 to that path.
        case redirect(String)
        /// No route has its path (left to the router: 404, or a websocket route).
        case unknown
    }

    private let routes = Mutex<[Route]>([])

    /// Loads `served` (`METHOD /api/path/{param}` pairs, as Hummingbird lists them), each
    /// with the trailing slash Prefect's document gives its path.
    func load(_ served: [(method: HTTPRequest.Method, path: String)]) {
        let slashed = Self.slashedPaths
        let table = served.map { method, path in
            let segments = Self.segments(path)
            return Route(method: method, segments: segments.map(Self.segment), trailingSlash: slashed.contains(Self.key(segments)))
        }
        routes.withLock { $0 = table }
    }

    func resolve(method: HTTPRequest.Method, path: String) -> Resolution {
        let trailing = path.count > 1 && path.hasSuffix("/")
        let parts = Self.segments(path)
        return routes.withLock { routes in
            let matching = routes.filter { Self.matches($0.segments, parts) }
            let sameSlash = matching.filter { $0.trailingSlash == trailing }
            if sameSlash.contains(where: { $0.method == method || ($0.method == .get && method == .head) }) { return .served }
            if !sameSlash.isEmpty { return .otherMethods }
            if !matching.isEmpty { return .redirect(trailing ? String(path.dropLast()) : path + "/") }
            return .unknown
        }
    }

    private static func matches(_ route: [Segment], _ parts: [Substring]) -> Bool {
        guard route.count == parts.count else { return false }
        for (segment, part) in zip(route, parts) {
            switch segment {
            case .literal(let text): if part != text { return false }
            case .uuid: if UUIDText.parsePathParameter(String(part)) == nil { return false }
            case .any: if part.isEmpty { return false }
            }
        }
        return true
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    private static func segment(_ part: Substring) -> Segment {
        guard part.hasPrefix("{") || part.hasPrefix(":") else { return .literal(String(part)) }
        let name = part.trimmingCharacters(in: CharacterSet(charactersIn: "{}:"))
        return name == "id" || name == "schedule_id" ? .uuid : .any
    }

    /// A path with its parameters' names erased, to compare Hummingbird's paths with the document's.
    private static func key<S: Sequence>(_ parts: S) -> String where S.Element == Substring {
        parts.map { $0.hasPrefix("{") || $0.hasPrefix(":") ? "{}" : String($0) }.joined(separator: "/")
    }

    /// The paths of Prefect's document (``OpenAPIDocument``) that end in a slash.
    private static let slashedPaths: Set<String> = {
        guard case .object(let paths)? = RequestSchemas.document["paths"] else { return [] }
        // The document's paths are below its server, `/api`.
        return Set(paths.keys.filter { $0.hasSuffix("/") }.map { key(segments("/api" + $0)) })
    }()
}
