import Foundation
import GRDB
import PrefectSchemas
@testable import PrefectServer
import Synchronization
import Testing

/// Group commit: writes that wait while the writer is busy share one transaction, each is
/// answered after that commit, and a write that fails (by throwing, or by leaving a foreign key
/// unresolved) fails alone.
@Suite("Group commit of the API's writes")
struct GroupCommitTests {
    /// Counts the writer's commits.
    final class CommitCounter: TransactionObserver, Sendable {
        let commits = Atomic<Int>(0)
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseDidCommit(_ db: Database) { commits.add(1, ordering: .relaxed) }
        func databaseDidRollback(_ db: Database) {}
    }

    struct Refused: Error {}

    /// Holds the writer until `release` is called, so that the writes sent meanwhile queue up.
    final class WriterHold: Sendable {
        private let released = Atomic<Bool>(false)
        private let held = Atomic<Bool>(false)

        init(_ pool: DatabasePool) async throws {
            pool.asyncWriteWithoutTransaction { [self] _ in
                held.store(true, ordering: .releasing)
                while !released.load(ordering: .acquiring) { usleep(1_000) }
            }
            while !held.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(1)) }
        }
        func release() { released.store(true, ordering: .releasing) }
    }

    /// Sends `count` writes while the writer is held, waits until all of them queued, then lets
    /// them run; returns each write's outcome and the commits they took.
    static func grouped<T: Sendable>(
        _ database: PrefectDatabase, count: Int, _ body: @escaping @Sendable (Int, Database) throws -> T
    ) async throws -> (outcomes: [Result<T, any Error>], commits: Int) {
        let counter = CommitCounter()
        database.pool.add(transactionObserver: counter, extent: .observerLifetime)
        let hold = try await WriterHold(database.pool)
        let outcomes = try await withThrowingTaskGroup(of: (Int, Result<T, any Error>).self) { group in
            for index in 0..<count {
                group.addTask {
                    do {
                        return (index, .success(try await database.groupCommit.write { try body(index, $0) }))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            while database.groupCommit.waitingWrites < count { try await Task.sleep(for: .milliseconds(1)) }
            hold.release()
            var outcomes = [Result<T, any Error>?](repeating: nil, count: count)
            for try await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes.compactMap { $0 }
        }
        return (outcomes, counter.commits.load(ordering: .relaxed))
    }

    static func flowNames(_ database: PrefectDatabase, prefix: String) async throws -> [String] {
        try await database.pool.read {
            try String.fetchAll($0, sql: "SELECT name FROM flow WHERE name LIKE ? ORDER BY created, rowid", arguments: ["\(prefix)%"])
        }
    }

    @Test("writes queued behind a busy writer share commits of at most maximumGroup, each answered with its own result")
    func shareOneCommit() async throws {
        let harness = try OrchestrationHarness()
        defer { harness.close() }
        let count = GroupCommit.maximumGroup + 3
        let (outcomes, commits) = try await Self.grouped(harness.database, count: count) { index, db in
            try FlowStore.create(db, FlowCreate(name: "grouped-\(index)"), now: Date()).0.name
        }
        #expect(commits == 2)
        #expect(outcomes.map { try? $0.get() } == (0..<count).map { "grouped-\($0)" })
        #expect(Set(try await Self.flowNames(harness.database, prefix: "grouped-")) == Set((0..<count).map { "grouped-\($0)" }))
    }

    @Test("a write that throws is rolled back alone; the rest of its group commits")
    func failureStaysAlone() async throws {
        let harness = try OrchestrationHarness()
        defer { harness.close() }
        let (outcomes, _) = try await Self.grouped(harness.database, count: 6) { index, db in
            _ = try FlowStore.create(db, FlowCreate(name: "mixed-\(index)"), now: Date())
            if index == 2 { throw Refused() }
            return index
        }
        for (index, outcome) in outcomes.enumerated() {
            if index == 2 {
                #expect(throws: Refused.self) { try outcome.get() }
            } else {
                #expect((try? outcome.get()) == index)
            }
        }
        let stored = try await Self.flowNames(harness.database, prefix: "mixed-")
        #expect(Set(stored) == Set([0, 1, 3, 4, 5].map { "mixed-\($0)" }))
    }

    @Test("a write leaving a deferred foreign key unresolved fails alone with SQLITE_CONSTRAINT_FOREIGNKEY")
    func deferredForeignKeyFailsAlone() async throws {
        let harness = try OrchestrationHarness()
        defer { harness.close() }
        let (outcomes, commits) = try await Self.grouped(harness.database, count: 5) { index, db in
            _ = try FlowStore.create(db, FlowCreate(name: "deferred-\(index)"), now: Date())
            if index == 1 {
                // A state of a run that does not exist: only the commit would have caught it.
                try FlowRunStore.insertState(db, .new(.pending, now: Date()), runID: UUID())
            }
            return index
        }
        #expect(commits == 1)
        for (index, outcome) in outcomes.enumerated() {
            if index == 1 {
                #expect(throws: DatabaseError.self) { try outcome.get() }
                if case .failure(let error as DatabaseError) = outcome {
                    #expect(error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY)
                }
            } else {
                #expect((try? outcome.get()) == index)
            }
        }
        let stored = try await Self.flowNames(harness.database, prefix: "deferred-")
        #expect(Set(stored) == Set([0, 2, 3, 4].map { "deferred-\($0)" }))
        let orphans = try await harness.database.pool.read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM flow_run_state WHERE flow_run_id NOT IN (SELECT id FROM flow_run)")
        }
        #expect(orphans == 0)
    }

    @Test("a write alone in its transaction that leaves a foreign key unresolved fails at its commit")
    func aloneForeignKey() async throws {
        let harness = try OrchestrationHarness()
        defer { harness.close() }
        await #expect(throws: DatabaseError.self) {
            try await harness.database.groupCommit.write { db in
                    try FlowRunStore.insertState(db, .new(.pending, now: Date()), runID: UUID())
            }
        }
        let states = try await harness.database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM flow_run_state") }
        #expect(states == 0)
        let name = try await harness.database.groupCommit.write { db in
            try FlowStore.create(db, FlowCreate(name: "after-failure"), now: Date()).0.name
        }
        #expect(name == "after-failure")
    }
}
