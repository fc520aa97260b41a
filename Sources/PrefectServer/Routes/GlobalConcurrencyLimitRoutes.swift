import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import PrefectSchemas

/// `/v2/concurrency_limits` (Prefect's `api/concurrency_limits_v2.py`): global concurrency
/// limits by id or name, slots taken and given back with or without a lease, lease renewal.
enum GlobalConcurrencyLimitRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        let limits = api.group("v2/concurrency_limits")

        limits.post("/") { request, _ -> Response in
            let clock = RequestClock(request)
            let create = try await ConcurrencyLimitBodies.create(from: request)
            let stored = try await env.write { try GlobalConcurrencyLimitStore.create($0, create, now: clock.now) }
            return JSONResponse.make(stored.core, status: .created)
        }

        limits.get(":id_or_name") { request, context -> Response in
            let clock = RequestClock(request)
            let key = try context.string("id_or_name")
            let stored = try await env.read { try GlobalConcurrencyLimitStore.read($0, idOrName: key, now: clock.now) }
            return JSONResponse.make(try found(stored).response)
        }

        limits.post("filter") { request, _ -> Response in
            let clock = RequestClock(request)
            let page = try await ConcurrencyLimitBodies.page(from: request)
            let stored = try await env.read {
                try GlobalConcurrencyLimitStore.page($0, limit: page.limit, offset: page.offset, now: clock.now)
            }
            return JSONResponse.make(JSONValue.array(stored.map(\.response)))
        }

        limits.patch(":id_or_name") { request, context -> Response in
            let clock = RequestClock(request)
            let key = try context.string("id_or_name")
            let changes = try await ConcurrencyLimitBodies.changes(from: request)
            let updated = try await env.write { db -> Bool in
                guard let stored = try GlobalConcurrencyLimitStore.read(db, idOrName: key, now: clock.now) else { return false }
                return try GlobalConcurrencyLimitStore.update(db, id: stored.id, changes, now: clock.now)
            }
            guard updated else { throw notFound }
            return JSONResponse.noContent()
        }

        limits.delete(":id_or_name") { request, context -> Response in
            let clock = RequestClock(request)
            let key = try context.string("id_or_name")
            let deleted = try await env.write { db -> Bool in
                guard let stored = try GlobalConcurrencyLimitStore.read(db, idOrName: key, now: clock.now) else { return false }
                return try GlobalConcurrencyLimitStore.delete(db, id: stored.id, now: clock.now)
            }
            guard deleted else { throw notFound }
            return JSONResponse.noContent()
        }

        limits.post("increment") { request, _ -> Response in
            let clock = RequestClock(request)
            let acquire = try await ConcurrencyLimitBodies.acquire(from: request, withLease: false)
            let outcome = try await env.write {
                try SlotAcquisition.acquire($0, names: acquire.names, slots: acquire.slots, rateLimit: acquire.rateLimit, now: clock.now)
            }
            switch outcome {
            case .acquired(let limits):
                return JSONResponse.make(minimal(limits))
            case .locked(let retryAfter):
                return locked(retryAfter: retryAfter)
            }
        }

        limits.post("increment-with-lease") { request, _ -> Response in
            let clock = RequestClock(request)
            let acquire = try await ConcurrencyLimitBodies.acquire(from: request, withLease: true)
            let grant = try await env.write { db -> LeaseGrant in
                let outcome = try SlotAcquisition.acquire(
                    db, names: acquire.names, slots: acquire.slots, rateLimit: acquire.rateLimit, now: clock.now)
                switch outcome {
                case .acquired(let limits):
                    let lease = try ConcurrencySlots.createLease(
                        db, limitIDs: limits.map(\.id), slots: acquire.slots, ttl: acquire.leaseDuration, holder: acquire.holder,
                        now: clock.now)
                    return .leased(lease, limits)
                case .locked(let retryAfter):
                    return .locked(retryAfter: retryAfter)
                }
            }
            switch grant {
            case .leased(let lease, let limits):
                return JSONResponse.make(JSONValue.object(["lease_id": .string(lease.prefectString), "limits": minimal(limits)]))
            case .locked(let retryAfter):
                return locked(retryAfter: retryAfter)
            }
        }

        limits.post("decrement") { request, _ -> Response in
            let clock = RequestClock(request)
            let release = try await ConcurrencyLimitBodies.release(from: request)
            let limits = try await env.write { db -> [GlobalConcurrencyLimitStore.Stored] in
                let limits = try GlobalConcurrencyLimitStore.read(db, names: release.names, now: clock.now)
                guard !limits.isEmpty else { return [] }
                try ConcurrencySlots.decrement(
                    db, limitIDs: limits.filter(\.active).map(\.id), slots: release.slots, occupancySeconds: release.occupancySeconds,
                    now: clock.now)
                return limits
            }
            return JSONResponse.make(minimal(limits))
        }

        limits.post("decrement-with-lease") { request, _ -> Response in
            let clock = RequestClock(request)
            let leaseID = try await ConcurrencyLimitBodies.leaseID(from: request)
            try await env.write { db in
                guard let lease = try ConcurrencySlots.lease(db, id: leaseID) else { return }
                let occupancy = lease.created.map { clock.now.timeIntervalSince($0) }
                try ConcurrencySlots.decrement(
                    db, limitIDs: lease.limitIDs, slots: lease.slots, occupancySeconds: occupancy, now: clock.now)
                try ConcurrencySlots.revokeLease(db, id: leaseID)
            }
            return JSONResponse.noContent()
        }

        limits.post("leases/:lease_id/renew") { request, context -> Response in
            let clock = RequestClock(request)
            let leaseID = try context.uuid("lease_id")
            let duration = try await ConcurrencyLimitBodies.leaseDuration(from: request)
            let renewed = try await env.write { try ConcurrencySlots.renewLease($0, id: leaseID, ttl: duration, now: clock.now) }
            guard renewed else { throw APIError.detail(.gone, "Lease not found - it may have expired or been revoked") }
            return JSONResponse.noContent()
        }
    }

    static let notFound = APIError.notFound("Concurrency Limit not found")

    /// What `increment-with-lease` answers: the lease on the limits, or when to retry.
    private enum LeaseGrant: Sendable {
        case leased(UUID, [GlobalConcurrencyLimitStore.Stored])
        case locked(retryAfter: Double)
    }

    /// The limits as `MinimalConcurrencyLimitResponse`s.
    private static func minimal(_ limits: [GlobalConcurrencyLimitStore.Stored]) -> JSONValue {
        .array(limits.map { SlotAcquisition.minimal(id: $0.id, name: $0.name, limit: $0.limit) })
    }

    private static func found(_ stored: GlobalConcurrencyLimitStore.Stored?) throws -> GlobalConcurrencyLimitStore.Stored {
        guard let stored else { throw notFound }
        return stored
    }

    /// 423 `{"detail": "Locked"}` with `Retry-After` in seconds, as Python writes a float.
    static func locked(retryAfter: Double, detail: String = "Locked") -> Response {
        var response = JSONResponse.make(JSONValue.object(["detail": .string(detail)]), status: .locked)
        response.headers[.retryAfter] = PythonRepr.float(retryAfter)
        return response
    }
}

extension HTTPResponse.Status {
    /// 423, what Prefect answers a slot request it cannot serve yet.
    static let locked = HTTPResponse.Status(code: 423, reasonPhrase: "Locked")
}
