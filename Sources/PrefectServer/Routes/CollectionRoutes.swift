import Foundation
import Hummingbird

/// `GET /api/collections/views/{view}` (Prefect's `api/collections.py`): Prefect fetches views
/// from its collection registry on GitHub and falls back to the one it ships,
/// `aggregate-worker-metadata` (``WorkerMetadata``); the embedded server never goes out to the
/// network and answers with that one. Another known view is 404 "Requested content missing"
/// (where Prefect, offline, lets a 500 out); an unknown view is Prefect's 404.
enum CollectionRoutes {
    private static let workerMetadata = Data(WorkerMetadata.json.utf8)
    private static let knownViews: Set<String> = [
        "aggregate-block-metadata", "aggregate-flow-metadata", "aggregate-worker-metadata", "demo-flows",
    ]

    static func register(on api: RouterGroup<PrefectRequestContext>) {
        api.get("collections/views/:view") { _, context -> Response in
            let view = try context.string("view")
            guard knownViews.contains(view) else { throw APIError.notFound("View \(view) not found in registry") }
            guard view == "aggregate-worker-metadata" else { throw APIError.notFound("Requested content missing for view \(view)") }
            return JSONResponse.raw(workerMetadata)
        }
    }
}
