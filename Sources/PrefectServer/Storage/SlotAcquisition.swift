import Foundation
import GRDB
import HTTPTypes
import PrefectClient
import PrefectSchemas

/// Taking slots of global limits by name, as Prefect's `_acquire_concurrency_slots` and
/// `_generate_concurrency_locked_response` (`api/concurrency_limits_v2.py`) do.
enum SlotAcquisition {
    enum Outcome: Sendable {
        /// Every active limit gave its slots; all limits called by the names.
        case acquired([GlobalConcurrencyLimitStore.Stored])
        /// One had no room: its denied slots grew, and the client should retry after this many seconds.
        case locked(retryAfter: Double)
    }

    static func acquire(_ db: Database, names: [String], slots: Int, rateLimit: Bool, now: Date) throws -> Outcome {
        let limits = try GlobalConcurrencyLimitStore.read(db, names: names, now: now)
        let active = limits.filter(\.active)
        if active.contains(where: { $0.limit < Int64(slots) }) {
            throw APIError.detail(.unprocessableContent, "Slots requested is greater than the limit")
        }
        let nonDecaying = active.filter { $0.slotDecayPerSecond == 0 }.map(\.name)
        if rateLimit, !nonDecaying.isEmpty {
            throw APIError.detail(
                .unprocessableContent,
                "Only concurrency limits with slot decay can be used for rate limiting. The following limits do not have a decay configured: "
                    + PythonRepr.string(nonDecaying.joined(separator: ",")))
        }
        if try ConcurrencySlots.increment(db, limitIDs: active.map(\.id), slots: slots, now: now) {
            return .acquired(limits)
        }
        try ConcurrencySlots.deny(db, limitIDs: active.map(\.id), slots: slots, now: now)
        return .locked(retryAfter: retryAfter(active, slots: slots))
    }

    /// The jittered wait the most blocked limit asks for.
    static func retryAfter(_ active: [GlobalConcurrencyLimitStore.Stored], slots: Int) -> Double {
        func blockingSlots(_ limit: GlobalConcurrencyLimitStore.Stored) -> Double {
            let wanted = Double(slots) + Double(limit.deniedSlots)
            return limit.slotDecayPerSecond > 0 ? wanted : wanted / Double(max(limit.limit, 1))
        }
        guard let blocking = active.max(by: { blockingSlots($0) < blockingSlots($1) }) else { return 0 }
        let average: Double
        if blocking.slotDecayPerSecond == 0 {
            let maximum = ConcurrencyWaits.current.maximum(forLimitNamed: blocking.name)
            average = min(min(blocking.avgSlotOccupancySeconds, maximum) * blockingSlots(blocking), maximum)
        } else {
            average = blockingSlots(blocking) / blocking.slotDecayPerSecond
        }
        var generator = SystemRandomNumberGenerator()
        return RetryPolicy.clampedPoissonInterval(average: average, clampingFactor: 0.3, using: &generator)
    }

    /// `MinimalConcurrencyLimitResponse`.
    static func minimal(id: UUID, name: String, limit: Int64) -> JSONValue {
        ["id": .string(id.prefectString), "name": .string(name), "limit": .int(limit)]
    }
}
