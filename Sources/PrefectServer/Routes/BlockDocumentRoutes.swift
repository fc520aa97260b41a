import Foundation
import GRDB
import Hummingbird
import PrefectSchemas

/// `/block_documents` (Prefect's `api/block_documents.py`): documents with their references'
/// data, secret fields obfuscated unless `include_secrets`.
enum BlockDocumentRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        let documents = api.group("block_documents")

        documents.post("/") { request, _ -> Response in
            let clock = RequestClock(request)
            let create = try await BlockBodies.blockDocumentCreate(from: request)
            let document = try await env.write { db -> BlockDocument? in
                if let name = create.name, try BlockDocumentStore.exists(db, blockTypeID: create.blockTypeID, name: name) {
                    throw APIError.detail(.conflict, "Block already exists")
                }
                let id = try badRequest { try BlockDocumentStore.create(db, create, now: clock.now) }
                return try BlockDocumentStore.read(db, id: id, includeSecrets: false)
            }
            return JSONResponse.make(try found(document), status: .created)
        }

        documents.post("filter") { request, _ -> Response in
            let body = try await APIBody.decodeFilter(BlockDocumentFilterBody.self, from: request)
            try Paging.checkSort(body.sort) { if case .unknown = $0 { true } else { false } }
            let page = try Paging.page(limit: body.limit, offset: body.offset)
            return JSONResponse.make(try await env.read { db in
                try BlockDocumentStore.read(
                    db, BlockDocumentStore.Selection(condition: body.condition(), order: body.order), page: page,
                    includeSecrets: body.includeSecrets ?? false)
            })
        }

        documents.post("count") { request, _ -> Response in
            let body = try await APIBody.decodeFilter(BlockDocumentFilterBody.self, from: request)
            return JSONResponse.make(try await env.read { try BlockDocumentStore.count($0, body.condition()) })
        }

        documents.get(":id") { request, context -> Response in
            let id = try context.uuid("id")
            let includeSecrets = try BlockTypeRoutes.includeSecrets(request)
            return JSONResponse.make(try found(await env.read { try BlockDocumentStore.read($0, id: id, includeSecrets: includeSecrets) }))
        }

        documents.delete(":id") { request, context -> Response in
            let id = try context.uuid("id")
            let clock = RequestClock(request)
            guard try await env.write({ try BlockDocumentStore.delete($0, id: id, now: clock.now) }) else { throw notFound }
            return JSONResponse.noContent()
        }

        documents.patch(":id") { request, context -> Response in
            let clock = RequestClock(request)
            let id = try context.uuid("id")
            let update = try await BlockBodies.blockDocumentUpdate(from: request)
            guard try await env.write({ db in try badRequest { try BlockDocumentStore.update(db, id: id, update, now: clock.now) } }) else {
                throw notFound
            }
            return JSONResponse.noContent()
        }
    }

    static let notFound = APIError.notFound("Block document not found")

    private static func found(_ document: BlockDocument?) throws -> BlockDocument {
        guard let document else { throw notFound }
        return document
    }

    /// Prefect's `ValueError`s of the block-document model, answered 400 with their text.
    private static func badRequest<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as BlockDocumentError {
            throw APIError.detail(.badRequest, error.detail)
        }
    }
}
