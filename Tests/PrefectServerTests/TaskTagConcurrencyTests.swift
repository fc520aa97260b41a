import Foundation
import GRDB
import PrefectSchemas
@testable import PrefectServer
import Testing

/// The task policy's tag rules (Prefect's `SecureTaskConcurrencySlots` and
/// `ReleaseTaskConcurrencySlots`). Prefect 3.9.1 on SQLite cannot answer these transitions (its
/// rule opens a second write transaction and times out as "database is locked"), so they are
/// checked here against the rule's code rather than a recording.
@Suite("Task-tag concurrency rules")
struct TaskTagConcurrencyTests {
    let harness: OrchestrationHarness

    init() throws { harness = try OrchestrationHarness() }

    private func limit(_ name: String, _ value: Int64, active: Bool = true) throws {
        _ = try harness.database.pool.write { db in
            try GlobalConcurrencyLimitStore.create(db, .init(name: name, limit: value, active: active), now: Date())
        }
    }

    /// The limit's active slots and the task runs its leases name.
    private func slots(_ name: String) throws -> (active: Int64, holders: [UUID]) {
        try harness.database.pool.read { db in
            guard let stored = try GlobalConcurrencyLimitStore.read(db, name: name, now: Date()) else { return (-1, []) }
            return (stored.activeSlots, try ConcurrencySlots.holders(db, limitID: stored.id, now: Date()).map(\.holder.id))
        }
    }

    @Test("a full tag makes the next task wait; finishing gives the slot back")
    func waitAndRelease() throws {
        defer { harness.close() }
        try limit("tag:t", 1)
        try limit("tag:off", 0, active: false)
        let flow = try harness.flowRun(.running())
        let first = try harness.taskRun(.pending(), flowRunID: flow.id, tags: ["t", "off", "free"])
        let second = try harness.taskRun(.pending(), flowRunID: flow.id, tags: ["t"])
        let untracked = try harness.taskRun(.pending(), flowRunID: flow.id, tags: ["free"])

        #expect(try harness.propose(.running(), to: first).status == .accept, "an inactive limit of 0 is ignored")
        #expect(try slots("tag:t") == (1, [first.id]))

        let wait = try harness.propose(.running(), to: second)
        #expect(wait.status == .wait)
        #expect(wait.reason == "Concurrency limit reached for tags: t")
        if case .wait(let details) = wait.details {
            // avg_slot_occupancy_seconds starts at 2: round(clamped_poisson_interval(2)) is 2 or 3.
            #expect((1...3).contains(details.delaySeconds))
        } else {
            Issue.record("no wait details")
        }
        #expect(try harness.taskRun(id: second.id)?.state?.type == .pending)
        #expect(try harness.propose(.running(), to: untracked).status == .accept)

        #expect(try harness.propose(.completed(), to: first).status == .accept)
        #expect(try slots("tag:t") == (0, []))
        #expect(try harness.propose(.running(), to: second).status == .accept)
        #expect(try slots("tag:t") == (1, [second.id]))
        #expect(try harness.propose(.failed(), to: second, force: true).status == .accept, "forced: the minimal policy releases too")
        #expect(try slots("tag:t") == (0, []))
    }

    @Test("an active limit of 0 aborts; a deactivated one lets the task run")
    func zeroLimit() throws {
        defer { harness.close() }
        try limit("tag:z", 0)
        let flow = try harness.flowRun(.running())
        let task = try harness.taskRun(.pending(), flowRunID: flow.id, tags: ["z"])
        let aborted = try harness.propose(.running(), to: task)
        #expect(aborted.status == .abort)
        #expect(aborted.reason == "The concurrency limit on tag \"z\" is 0 and will deadlock if the task tries to run again.")
        try harness.database.pool.write { db in
            guard let stored = try GlobalConcurrencyLimitStore.read(db, name: "tag:z", now: Date()) else { return }
            _ = try GlobalConcurrencyLimitStore.update(db, id: stored.id, [("active", false.databaseValue)], now: Date())
        }
        #expect(try harness.propose(.running(), to: task).status == .accept)
    }

    @Test("a slot taken through the v1 API is the same slot the rule counts")
    func sharedWithV1() throws {
        defer { harness.close() }
        try limit("tag:shared", 1)
        let flow = try harness.flowRun(.running())
        let task = try harness.taskRun(.pending(), flowRunID: flow.id, tags: ["shared"])
        let holder = UUID()
        let taken = try harness.database.pool.write { try TagSlots.increment($0, tags: ["shared"], taskRunID: holder, now: Date()) }
        guard case .acquired(let limits) = taken else { Issue.record("not acquired"); return }
        #expect(limits.count == 1)
        #expect(try harness.propose(.running(), to: task).status == .wait)
        _ = try harness.database.pool.write { try TagSlots.decrement($0, tags: ["shared"], taskRunID: holder, now: Date()) }
        #expect(try harness.propose(.running(), to: task).status == .accept)
    }
}
