import Foundation
import GRDB
import Hummingbird
import PrefectSchemas

/// `/concurrency_limits` (Prefect's `api/concurrency_limits.py`): the v1 tag limits, which
/// Prefect 3.9.1 keeps as global limits named `tag:{tag}` with a long lease per task run
/// holding a slot; a limit's `active_slots` lists those task runs.
enum ConcurrencyLimitRoutes {
    /// `V1_LEASE_TTL`: a v1 client cannot renew its lease, so it lasts about a century.
    static let v1LeaseTTL: TimeInterval = 100 * 365 * 86_400

    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        let limits = api.group("concurrency_limits")

        limits.post("/") { request, _ -> Response in
            let clock = RequestClock(request)
            let (tag, limit) = try await ConcurrencyLimitBodies.tagLimit(from: request)
            let (answer, created) = try await env.write { db -> (JSONValue, Bool) in
                if let existing = try tagLimit(db, tag, now: clock.now) {
                    _ = try GlobalConcurrencyLimitStore.update(db, id: existing.id, [("limit", limit.databaseValue)], now: clock.now)
                    return (try v1View(db, id: existing.id, now: clock.now) ?? .null, false)
                }
                let name = GlobalConcurrencyLimitStore.Stored.tagPrefix + tag
                let stored = try GlobalConcurrencyLimitStore.create(db, .init(name: name, limit: limit), now: clock.now)
                return (try v1View(db, stored, now: clock.now) ?? .null, true)
            }
            return JSONResponse.make(answer, status: created ? .created : .ok)
        }

        limits.get(":id") { request, context -> Response in
            let clock = RequestClock(request)
            let id = try context.uuid("id")
            return JSONResponse.make(try found(await env.read { try v1View($0, id: id, now: clock.now) }))
        }

        limits.get("tag/:tag") { request, context -> Response in
            let clock = RequestClock(request)
            let tag = try context.string("tag")
            let view = try await env.read { db -> JSONValue? in
                try tagLimit(db, tag, now: clock.now).flatMap { try v1View(db, $0, now: clock.now) }
            }
            return JSONResponse.make(try found(view))
        }

        limits.post("filter") { request, _ -> Response in
            let clock = RequestClock(request)
            let page = try await ConcurrencyLimitBodies.page(from: request)
            let views = try await env.read { db -> [JSONValue] in
                // Prefect reads `limit + offset` global limits, keeps the tag limits among them, then pages.
                let stored = try GlobalConcurrencyLimitStore.page(db, limit: page.limit + page.offset, offset: 0, now: clock.now)
                let tagged = try stored.filter { $0.tag != nil }.compactMap { try v1View(db, $0, now: clock.now) }
                return Array(tagged.dropFirst(page.offset).prefix(page.limit))
            }
            return JSONResponse.make(JSONValue.array(views))
        }

        limits.post("tag/:tag/reset") { request, context -> Response in
            let clock = RequestClock(request)
            let tag = try context.string("tag")
            let override = try await ConcurrencyLimitBodies.slotOverride(from: request)
            let found = try await env.write { db -> Bool in
                guard let stored = try tagLimit(db, tag, now: clock.now) else { return false }
                // As Prefect: the leases go, their slots stay counted; each override takes a slot and a lease.
                try ConcurrencySlots.revokeLeases(db, limitID: stored.id, now: clock.now)
                for taskRunID in override ?? [] {
                    _ = try ConcurrencySlots.increment(db, limitIDs: [stored.id], slots: 1, now: clock.now)
                    _ = try ConcurrencySlots.createLease(
                        db, limitIDs: [stored.id], slots: 1, ttl: v1LeaseTTL, holder: ConcurrencyLeaseHolder(type: "task_run", id: taskRunID),
                        now: clock.now)
                }
                return true
            }
            guard found else { throw notFound }
            return JSONResponse.make(JSONValue.null)
        }

        limits.delete(":id") { request, context -> Response in
            let clock = RequestClock(request)
            let id = try context.uuid("id")
            guard try await env.write({ try delete($0, try GlobalConcurrencyLimitStore.read($0, id: id, now: clock.now), now: clock.now) })
            else { throw notFound }
            return JSONResponse.make(JSONValue.null)
        }

        limits.delete("tag/:tag") { request, context -> Response in
            let clock = RequestClock(request)
            let tag = try context.string("tag")
            guard try await env.write({ try delete($0, try tagLimit($0, tag, now: clock.now), now: clock.now) })
            else { throw notFound }
            return JSONResponse.make(JSONValue.null)
        }

        limits.post("increment") { request, _ -> Response in
            let clock = RequestClock(request)
            let body = try await ConcurrencyLimitBodies.tagSlots(from: request)
            let outcome = try await env.write { try TagSlots.increment($0, tags: body.names, taskRunID: body.taskRunID, now: clock.now) }
            switch outcome {
            case .acquired(let limits): return JSONResponse.make(JSONValue.array(limits))
            case .refused(let detail, let retryAfter):
                guard let retryAfter else { return JSONResponse.make(JSONValue.object(["detail": .string(detail)]), status: .locked) }
                return GlobalConcurrencyLimitRoutes.locked(retryAfter: retryAfter, detail: detail)
            }
        }

        limits.post("decrement") { request, _ -> Response in
            let clock = RequestClock(request)
            let body = try await ConcurrencyLimitBodies.tagSlots(from: request)
            let limits = try await env.write { try TagSlots.decrement($0, tags: body.names, taskRunID: body.taskRunID, now: clock.now) }
            return JSONResponse.make(JSONValue.array(limits))
        }
    }

    static let notFound = APIError.notFound("Concurrency limit not found")

    private static func found(_ view: JSONValue?) throws -> JSONValue {
        guard let view else { throw notFound }
        return view
    }

    /// The global limit `tag:{tag}`.
    private static func tagLimit(_ db: Database, _ tag: String, now: Date) throws -> GlobalConcurrencyLimitStore.Stored? {
        try GlobalConcurrencyLimitStore.read(db, name: GlobalConcurrencyLimitStore.Stored.tagPrefix + tag, now: now)
    }

    /// Deletes a limit and revokes its leases; false when there is none.
    private static func delete(_ db: Database, _ stored: GlobalConcurrencyLimitStore.Stored?, now: Date) throws -> Bool {
        guard let stored else { return false }
        try ConcurrencySlots.revokeLeases(db, limitID: stored.id, now: now)
        return try GlobalConcurrencyLimitStore.delete(db, id: stored.id, now: now)
    }

    /// The v1 `ConcurrencyLimit` of the `tag:` limit `id`; nil for none or another kind.
    static func v1View(_ db: Database, id: UUID, now: Date) throws -> JSONValue? {
        guard let stored = try GlobalConcurrencyLimitStore.read(db, id: id, now: now) else { return nil }
        return try v1View(db, stored, now: now)
    }

    static func v1View(_ db: Database, _ stored: GlobalConcurrencyLimitStore.Stored, now: Date) throws -> JSONValue? {
        guard let tag = stored.tag else { return nil }
        let holders = try ConcurrencySlots.holders(db, limitID: stored.id, now: now)
            .filter { $0.holder.type == "task_run" }.map { JSONValue.string($0.holder.id.prefectString) }
        return [
            "id": .string(stored.id.prefectString), "created": StoredTime.json(stored.created), "updated": StoredTime.json(stored.updated),
            "tag": .string(tag), "concurrency_limit": .int(stored.limit), "active_slots": .array(holders),
        ]
    }
}
