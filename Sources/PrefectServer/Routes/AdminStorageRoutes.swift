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
            var body = try await ActionBody.read(request, allowed: nil, model: true)
            body.require("default_result_storage_block_id")
            body.checkType("default_result_storage_block_id", .uuid)
            try body.throwErrors()
            let id = body.string("default_result_storage_block_id").flatMap(UUIDText.parse) ?? UUID.version4()
            let stored = try await env.write { db -> JSONValue in
                // `validate_server_default_result_storage_block`: the document must exist and its
                // schema must be able to write results.
                guard let document = try BlockDocumentStore.read(db, id: id, includeSecrets: false) else {
                    throw APIError.notFound("Block document \(id.prefectString) not found.")
                }
                guard document.blockSchema?.capabilities.contains("write-path") == true else {
                    throw APIError.detail(.unprocessableContent, "Block document \(id.prefectString) cannot be used for result storage.")
                }
                let value: JSONValue = ["default_result_storage_block_id": .string(id.prefectString)]
                try ConfigurationStore.write(db, key: ConfigurationStore.defaultResultStorageKey, value: value, now: Date())
                return value
            }
            return JSONResponse.make(stored)
        }

        api.delete("admin/storage") { _, _ -> Response in
            _ = try await env.write { try ConfigurationStore.delete($0, key: ConfigurationStore.defaultResultStorageKey) }
            return JSONResponse.noContent()
        }
    }
}
