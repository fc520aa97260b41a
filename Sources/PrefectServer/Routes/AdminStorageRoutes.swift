import Foundation
import Hummingbird
import PrefectSchemas

/// `/admin/storage` (Prefect's `api/admin.py`): the server's default result storage block.
enum AdminStorageRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        api.get("admin/storage") { _, _ -> Response in
            let stored = try await env.read { try ConfigurationStore.read($0, key: ConfigurationStore.defaultResultStorageKey) }
            return JSONResponse.make(stored ?? ["default_result_storage_block_id": .null])
        }

        api.put("admin/storage") { request, _ -> Response in
            var body = try await ActionBody.read(request, allowed: nil)
            body.require("default_result_storage_block_id")
            body.checkType("default_result_storage_block_id", .uuid)
            try body.throwErrors()
            let id = body.string("default_result_storage_block_id").flatMap(UUID.init(uuidString:))?.prefectString ?? ""
            // `validate_server_default_result_storage_block`: the block document must exist and
            // its schema must have the `write-path` capability. The embedded server serves no
            // block documents yet, so every id is one Prefect would not find.
            throw APIError.notFound("Block document \(id) not found.")
        }

        api.delete("admin/storage") { _, _ -> Response in
            _ = try await env.write { try ConfigurationStore.delete($0, key: ConfigurationStore.defaultResultStorageKey) }
            return JSONResponse.noContent()
        }
    }
}
