import Foundation
import Hummingbird

/// `GET /api/openapi.json`: Prefect's OpenAPI document, cut to the routes served here
/// (``OpenAPIDocument``, written by `scripts/generate-openapi.py`).
enum OpenAPIRoutes {
    private static let document = Data(OpenAPIDocument.json.utf8)

    static func register(on api: RouterGroup<PrefectRequestContext>) {
        api.get("openapi.json") { _, _ in JSONResponse.raw(document) }
    }
}
