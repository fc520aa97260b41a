import Foundation
import GRDB
import Hummingbird
import PrefectSchemas

/// `/block_schemas` (Prefect's `api/block_schemas.py`) and `/block_capabilities`
/// (`api/block_capabilities.py`): schemas by id and checksum, newest first.
enum BlockSchemaRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        let schemas = api.group("block_schemas")

        schemas.post("/") { request, _ -> Response in
            let clock = RequestClock(request)
            let create = try await BlockBodies.blockSchemaCreate(from: request)
            let (schema, existed) = try await env.write { db -> (BlockSchema, Bool) in
                guard try BlockTypeStore.read(db, id: create.blockTypeID) != nil else {
                    throw APIError.notFound("Block type \(create.blockTypeID.prefectString) not found.")
                }
                let checksum = BlockSchemaChecksum.checksum(create.fields)
                if let existing = try BlockSchemaStore.read(db, checksum: checksum, version: create.version) {
                    return (try BlockSchemaAssembly.schema(db, existing), true)
                }
                do {
                    let stored = try BlockSchemaStore.create(
                        db, fields: create.fields, blockTypeID: create.blockTypeID, capabilities: create.capabilities,
                        version: create.version, now: clock.now)
                    // Prefect answers a created schema with what it stored plus the references and
                    // definitions as they were sent (all of them, not only those it kept); a later
                    // read rebuilds them from the stored references.
                    var answer = try BlockSchemaAssembly.schema(db, stored)
                    answer.fields = stored.fields
                    answer.fields["block_schema_references"] = create.fields["block_schema_references"] ?? [:]
                    if let definitions = create.fields["definitions"], definitions != .null { answer.fields["definitions"] = definitions }
                    return (answer, false)
                } catch BlockSchemaCreationError.missingBlockType(let detail) {
                    throw APIError.detail(.conflict, detail)
                } catch BlockSchemaCreationError.missingDefinition(let detail) {
                    throw APIError.detail(.badRequest, detail)
                }
            }
            return JSONResponse.make(schema, status: existed ? .ok : .created)
        }

        schemas.delete(":id") { _, context -> Response in
            let id = try context.uuid("id")
            try await env.write { db in
                guard let stored = try BlockSchemaStore.read(db, id: id) else { throw notFound }
                if try BlockTypeStore.read(db, id: stored.blockTypeID)?.isProtected == true {
                    throw APIError.detail(.forbidden, "Block schemas for protected block types cannot be deleted.")
                }
                try ConfigurationStore.clearDefaultResultStorage(db, ifItsDocument: "block_schema_id", is: id)
                _ = try BlockSchemaStore.delete(db, id: id)
            }
            return JSONResponse.noContent()
        }

        schemas.post("filter") { request, _ -> Response in
            let body = try await APIBody.decodeFilter(BlockSchemaFilterBody.self, from: request)
            let page = try Paging.page(limit: body.limit, offset: body.offset)
            return JSONResponse.make(try await env.read { db in
                var lookups = BlockLookups()
                return try BlockSchemaStore.filter(db, body.blockSchemas?.sqlCondition(), page: page).map {
                    try BlockSchemaAssembly.schema(db, $0, &lookups)
                }
            })
        }

        schemas.get(":id") { _, context -> Response in
            let id = try context.uuid("id")
            return JSONResponse.make(try await env.read { db in
                guard let stored = try BlockSchemaStore.read(db, id: id) else { throw notFound }
                return try BlockSchemaAssembly.schema(db, stored)
            })
        }

        schemas.get("checksum/:checksum") { request, context -> Response in
            let checksum = try context.string("checksum")
            let version = request.uri.queryParameters.get("version")
            return JSONResponse.make(try await env.read { db in
                guard let stored = try BlockSchemaStore.read(db, checksum: checksum, version: version) else { throw notFound }
                return try BlockSchemaAssembly.schema(db, stored)
            })
        }

        api.get("block_capabilities/") { _, _ -> Response in
            JSONResponse.make(try await env.read { try BlockSchemaStore.capabilities($0) })
        }
    }

    static let notFound = APIError.notFound("Block schema not found")
}
