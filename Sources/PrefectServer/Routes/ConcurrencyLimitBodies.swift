import Foundation
import GRDB
import Hummingbird
import PrefectSchemas

/// The bodies of `/v2/concurrency_limits/…` and `/concurrency_limits/…`, checked as Prefect
/// 3.9.1's models and `Body(...)` parameters check theirs, in their order.
enum ConcurrencyLimitBodies {
    /// `/increment` and `/increment-with-lease`.
    struct Acquire: Sendable {
        var names: [String]
        var slots: Int
        var rateLimit: Bool
        var leaseDuration: Double
        var holder: ConcurrencyLeaseHolder?
    }

    /// `/decrement`.
    struct Release: Sendable {
        var names: [String]
        var slots: Int
        var occupancySeconds: Double?
    }

    /// The v1 `/increment` and `/decrement`.
    struct TagSlots: Sendable {
        var names: [String]
        var taskRunID: UUID
    }

    static let defaultLeaseDuration = 300.0
    static let modes = ["concurrency", "rate_limit"]
    static let holderTypes = ["flow_run", "task_run", "deployment"]

    /// `ConcurrencyLimitV2Create`.
    static func create(from request: Request) async throws -> GlobalConcurrencyLimitStore.Create {
        var body = try await ActionBody.read(request, allowed: v2Members)
        body.require("name", "limit")
        checkV2(&body)
        let name = body.string("name") ?? ""
        var create = GlobalConcurrencyLimitStore.Create(name: name, limit: 0)
        try body.throwErrors()
        create.limit = body.object["limit"]?.intValue ?? 0
        create.active = body.object["active"]?.boolValue ?? true
        create.activeSlots = body.object["active_slots"]?.intValue ?? 0
        create.deniedSlots = body.object["denied_slots"]?.intValue ?? 0
        create.slotDecayPerSecond = body.object["slot_decay_per_second"]?.doubleValue ?? 0
        return create
    }

    /// `ConcurrencyLimitV2Update`: the columns the body sets. A null for a column that cannot be
    /// null is Prefect's integrity conflict.
    static func changes(from request: Request) async throws -> GlobalConcurrencyLimitStore.Changes {
        var body = try await ActionBody.read(request, allowed: v2Members)
        checkV2(&body)
        try body.throwErrors()
        var changes: GlobalConcurrencyLimitStore.Changes = []
        for key in ["active", "name", "limit", "active_slots", "denied_slots", "slot_decay_per_second"] {
            guard let value = body.object[key] else { continue }
            switch value {
            case .null: throw RouteEnvironment.integrityConflict
            case .bool(let flag): changes.append((key, flag.databaseValue))
            case .int(let number): changes.append((key, number.databaseValue))
            case .double(let number): changes.append((key, number.databaseValue))
            case .string(let text): changes.append((key, text.databaseValue))
            default: continue
            }
        }
        return changes
    }

    static func acquire(from request: Request, withLease: Bool) async throws -> Acquire {
        var body = try await ActionBody.read(request, allowed: nil)
        checkSlots(&body)
        checkNames(&body)
        body.checkType("mode", .string)
        body.checkLiteral("mode", modes)
        if withLease {
            body.checkType("lease_duration", .number)
            body.checkNumber("lease_duration", atLeast: 60, atMost: 86_400)
            checkHolder(&body)
        }
        try body.throwErrors()
        return Acquire(
            names: body.strings("names"), slots: Int(body.object["slots"]?.intValue ?? 1),
            rateLimit: body.string("mode") == "rate_limit",
            leaseDuration: body.object["lease_duration"]?.doubleValue ?? defaultLeaseDuration,
            holder: holder(body.object["holder"]))
    }

    static func release(from request: Request) async throws -> Release {
        var body = try await ActionBody.read(request, allowed: nil)
        checkSlots(&body)
        checkNames(&body)
        body.checkType("occupancy_seconds", .number)
        body.checkNumber("occupancy_seconds", atLeast: 0, strictly: true)
        try body.throwErrors()
        return Release(
            names: body.strings("names"), slots: Int(body.object["slots"]?.intValue ?? 1),
            occupancySeconds: body.object["occupancy_seconds"]?.doubleValue)
    }

    /// `decrement-with-lease`'s `lease_id`.
    static func leaseID(from request: Request) async throws -> UUID {
        var body = try await ActionBody.read(request, allowed: nil)
        body.require("lease_id")
        body.checkType("lease_id", .uuid)
        try body.throwErrors()
        return body.string("lease_id").flatMap(UUID.init(uuidString:)) ?? UUID.version4()
    }

    /// `leases/{id}/renew`'s `lease_duration`.
    static func leaseDuration(from request: Request) async throws -> Double {
        let data = try await APIBody.read(request)
        guard !data.isEmpty else { return defaultLeaseDuration }
        var body = try ActionBody.parse(data, allowed: nil)
        body.checkType("lease_duration", .number)
        body.checkNumber("lease_duration", atLeast: 60, atMost: 86_400)
        try body.throwErrors()
        return body.object["lease_duration"]?.doubleValue ?? defaultLeaseDuration
    }

    /// The v1 `ConcurrencyLimitCreate`: its tag and limit.
    static func tagLimit(from request: Request) async throws -> (tag: String, limit: Int64) {
        var body = try await ActionBody.read(request, allowed: ["tag", "concurrency_limit"])
        body.require("tag", "concurrency_limit")
        body.checkType("tag", .string)
        body.checkType("concurrency_limit", .integer)
        try body.throwErrors()
        return (body.string("tag") ?? "", body.object["concurrency_limit"]?.intValue ?? 0)
    }

    /// The v1 `/increment` and `/decrement` bodies.
    static func tagSlots(from request: Request) async throws -> TagSlots {
        var body = try await ActionBody.read(request, allowed: nil)
        body.require("names")
        body.checkType("names", .stringList)
        body.require("task_run_id")
        body.checkType("task_run_id", .uuid)
        try body.throwErrors()
        return TagSlots(names: body.strings("names"), taskRunID: body.string("task_run_id").flatMap(UUID.init(uuidString:)) ?? UUID.version4())
    }

    /// The v1 reset's `slot_override`: task run ids, or nil.
    static func slotOverride(from request: Request) async throws -> [UUID]? {
        let data = try await APIBody.read(request)
        guard !data.isEmpty else { return nil }
        var body = try ActionBody.parse(data, allowed: nil)
        body.checkType("slot_override", .uuidList)
        try body.throwErrors()
        return body.object["slot_override"]?.arrayValue?.compactMap { $0.stringValue.flatMap(UUID.init(uuidString:)) }
    }

    /// `limit` and `offset` of the `/filter` routes.
    static func page(from request: Request) async throws -> Page {
        let data = try await APIBody.read(request)
        guard !data.isEmpty else { return try Paging.page(limit: nil, offset: nil) }
        var body = try ActionBody.parse(data, allowed: nil)
        body.checkType("limit", .integer)
        body.checkType("offset", .integer)
        try body.throwErrors()
        return try Paging.page(limit: body.object["limit"]?.intValue.map(Int.init), offset: body.object["offset"]?.intValue.map(Int.init))
    }

    private static let v2Members: Set<String> = ["active", "name", "limit", "active_slots", "denied_slots", "slot_decay_per_second"]

    private static func checkV2(_ body: inout ActionBody) {
        body.checkType("active", .bool)
        body.checkType("name", .string)
        body.checkName("name")
        for key in ["limit", "active_slots", "denied_slots"] {
            body.checkType(key, .integer)
            body.checkInteger(key, atLeast: 0)
        }
        body.checkType("slot_decay_per_second", .number)
        body.checkNumber("slot_decay_per_second", atLeast: 0)
    }

    private static func checkSlots(_ body: inout ActionBody) {
        body.require("slots")
        body.checkType("slots", .integer)
        body.checkInteger("slots", atLeast: 0, strictly: true)
    }

    private static func checkNames(_ body: inout ActionBody) {
        body.require("names")
        body.checkType("names", .stringList)
        body.checkMinimumCount("names", 1)
    }

    private static func checkHolder(_ body: inout ActionBody) {
        guard let value = body.object["holder"], value != .null else { return }
        guard case .object(let members) = value else {
            body.fail("holder", type: "model_type", msg: "Input should be a valid dictionary or instance of ConcurrencyLeaseHolder")
            return
        }
        for (key, member) in members where key != "type" && key != "id" {
            body.append(APIError.validationEntry(type: "extra_forbidden", loc: ["body", "holder", .string(key)], msg: "Extra inputs are not permitted", input: member))
        }
        switch members["type"] {
        case nil:
            body.append(APIError.validationEntry(type: "missing", loc: ["body", "holder", "type"], msg: "Field required", input: value))
        case .string(let kind)? where holderTypes.contains(kind):
            break
        case let other?:
            body.append(APIError.validationEntry(
                type: "literal_error", loc: ["body", "holder", "type"], msg: "Input should be \(ActionBody.alternatives(holderTypes))", input: other))
        }
        switch members["id"] {
        case nil:
            body.append(APIError.validationEntry(type: "missing", loc: ["body", "holder", "id"], msg: "Field required", input: value))
        case .string(let text)? where UUIDText.parse(text) != nil:
            break
        case .string(let text)?:
            body.append(APIError.validationEntry(type: "uuid_parsing", loc: ["body", "holder", "id"], msg: UUIDParsingError.message(text), input: .string(text)))
        case let other?:
            body.append(APIError.validationEntry(
                type: "uuid_type", loc: ["body", "holder", "id"], msg: "UUID input should be a string, bytes or UUID object", input: other))
        }
    }

    private static func holder(_ value: JSONValue?) -> ConcurrencyLeaseHolder? {
        guard let kind = value?["type"]?.stringValue, let id = value?["id"]?.stringValue.flatMap(UUID.init(uuidString:)) else { return nil }
        return ConcurrencyLeaseHolder(type: kind, id: id)
    }
}
