import Foundation
import GRDB
import Hummingbird
import PrefectSchemas

/// `/block_types` (Prefect's `api/block_types.py`): block types by id and slug, their
/// documents, and the system types' installation.
enum BlockTypeRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        let blockTypes = api.group("block_types")

        blockTypes.post("/") { request, _ -> Response in
            let clock = RequestClock(request)
            let create = try await BlockBodies.blockTypeCreate(from: request)
            do {
                let created = try await env.write { db in
                    let created = try BlockTypeStore.create(db, create, now: clock.now)
                    // Announced here, not in the store: Prefect's registration of its system
                    // blocks at startup makes no events a client can see.
                    try ServerEvents.emit(db, BlockEvents.blockType(.created, created, now: clock.now))
                    return created
                }
                return JSONResponse.make(created, status: .created)
            } catch let error as APIError where error.status == .conflict {
                throw APIError.detail(.conflict, "Block type with name \"\(create.name)\" already exists")
            }
        }

        blockTypes.get(":id") { _, context -> Response in
            let id = try context.uuid("id")
            return JSONResponse.make(try found(await env.read { try BlockTypeStore.read($0, id: id) }))
        }

        blockTypes.get("slug/:slug") { _, context -> Response in
            let slug = try context.string("slug")
            return JSONResponse.make(try found(await env.read { try BlockTypeStore.read($0, slug: slug) }))
        }

        blockTypes.post("filter") { request, _ -> Response in
            let body = try await APIBody.decodeFilter(BlockTypeFilterBody.self, from: request)
            let page = try Paging.page(limit: body.limit, offset: body.offset)
            return JSONResponse.make(try await env.read { db in
                var parts = SQLConditionList()
                parts.add(body.blockTypes?.sqlCondition())
                if let schemas = body.blockSchemas {
                    var exists = SQLConditionList()
                    exists.add(SQLCondition(sql: "block_schema.block_type_id = block_type.id"))
                    exists.add(schemas.sqlCondition())
                    parts.add(SQLConditionList.exists("block_schema", exists))
                }
                return try BlockTypeStore.filter(db, parts.combined(.and), page: page)
            })
        }

        blockTypes.patch(":id") { request, context -> Response in
            let clock = RequestClock(request)
            let id = try context.uuid("id")
            let changes = try await BlockBodies.blockTypeChanges(from: request)
            guard try await env.write({ db in
                guard let current = try BlockTypeStore.read(db, id: id) else { return false }
                // `_should_update_block_type`: only a real change is written.
                let differs = changes.contains { change in
                    switch change.column {
                    case "logo_url": change.value != current.logoURL
                    case "documentation_url": change.value != current.documentationURL
                    case "description": change.value != current.description
                    default: change.value != current.codeExample
                    }
                }
                if differs, try BlockTypeStore.update(db, id: id, changes, now: clock.now), let updated = try BlockTypeStore.read(db, id: id) {
                    try ServerEvents.emit(db, BlockEvents.blockType(.updated, updated, now: clock.now))
                }
                return true
            }) else { throw notFound }
            return JSONResponse.noContent()
        }

        blockTypes.delete(":id") { request, context -> Response in
            let id = try context.uuid("id")
            let clock = RequestClock(request)
            try await env.write { db in
                guard let blockType = try BlockTypeStore.read(db, id: id) else { throw notFound }
                guard !blockType.isProtected else {
                    throw APIError.detail(.forbidden, "protected block types cannot be deleted.")
                }
                try ServerEvents.emit(db, BlockEvents.blockType(.deleted, blockType, now: clock.now))
                try ConfigurationStore.clearDefaultResultStorage(db, ifItsDocument: "block_type_id", is: id)
                _ = try BlockTypeStore.delete(db, id: id)
            }
            return JSONResponse.noContent()
        }

        blockTypes.get("slug/:slug/block_documents") { request, context -> Response in
            let slug = try context.string("slug")
            let includeSecrets = try includeSecrets(request)
            return JSONResponse.make(try await env.read { db in
                guard let blockType = try BlockTypeStore.read(db, slug: slug) else { throw notFound }
                // A `BlockDocumentFilter` on the type, which leaves anonymous documents out.
                let condition = conditions(
                    SQLCondition(sql: "block_document.is_anonymous = 0"), .isIn("block_document.block_type_id", [blockType.id])
                ).combined(.and)
                return try BlockDocumentStore.read(
                    db, BlockDocumentStore.Selection(condition: condition), page: Page(limit: -1, offset: 0), includeSecrets: includeSecrets)
            })
        }

        blockTypes.get("slug/:slug/block_documents/name/:name") { request, context -> Response in
            let slug = try context.string("slug")
            let name = try context.string("name")
            let includeSecrets = try includeSecrets(request)
            let document = try await env.read { db in
                try BlockDocumentStore.read(
                    db,
                    BlockDocumentStore.Selection(condition: SQLConditionList.exists("block_type", conditions(
                        SQLCondition(sql: "block_type.id = block_document.block_type_id"), .isIn("block_type.slug", [slug]),
                        .isIn("block_document.name", [name])))),
                    page: Page(limit: 1, offset: 0), includeSecrets: includeSecrets
                ).first
            }
            guard let document else { throw APIError.notFound("Block document not found") }
            return JSONResponse.make(document)
        }

        blockTypes.post("install_system_block_types") { _, _ -> Response in
            try await env.write { try SystemBlockRegistration.register($0, now: Date(), protectedOnly: true) }
            return JSONResponse.make(JSONValue.null)
        }
    }

    static let notFound = APIError.notFound("Block type not found")

    private static func found(_ blockType: BlockType?) throws -> BlockType {
        guard let blockType else { throw notFound }
        return blockType
    }

    private static func conditions(_ parts: SQLCondition...) -> SQLConditionList {
        var list = SQLConditionList()
        list.add(parts)
        return list
    }

    /// The `include_secrets` query parameter (false unless given), read as FastAPI reads a bool.
    static func includeSecrets(_ request: Request) throws -> Bool {
        guard let text = request.uri.queryParameters.get("include_secrets") else { return false }
        switch text.lowercased() {
        case "true", "1", "yes", "on", "t", "y": return true
        case "false", "0", "no", "off", "f", "n": return false
        default:
            throw APIError.validation(
                [APIError.validationEntry(
                    type: "bool_parsing", loc: ["query", "include_secrets"], msg: "Input should be a valid boolean, unable to interpret input",
                    input: .string(text))],
                requestBody: .null)
        }
    }
}
