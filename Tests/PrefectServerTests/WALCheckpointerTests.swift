import Foundation
import GRDB
import PrefectSchemas
@testable import PrefectServer
import Testing

/// The WAL is checkpointed by the database's own checkpointing connection, beside the writer:
/// the writer's automatic checkpoint is only a backstop, and what was written survives a reopen.
@Suite("WAL checkpoints beside the writer")
struct WALCheckpointerTests {
    @Test("commits hand checkpoints to the checkpointer; the writer's own is a backstop")
    func checkpointsBesideTheWriter() async throws {
        let harness = try OrchestrationHarness()
        defer { harness.close() }
        let backstop = try await harness.database.pool.write { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") }
        #expect(backstop == WALCheckpointer.writerBackstopPages)
        let before = harness.database.checkpointer.completedCheckpoints
        for index in 0..<(3 * WALCheckpointer.commitsPerCheckpoint) {
            try await harness.database.pool.write { db in
                _ = try FlowStore.create(db, FlowCreate(name: "checkpointed-\(index)"), now: Date())
            }
        }
        let deadline = Date().addingTimeInterval(10)
        while harness.database.checkpointer.completedCheckpoints < before + 1, Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(harness.database.checkpointer.completedCheckpoints >= before + 1)
    }

    @Test("rows written while checkpoints run are all there after a reopen")
    func survivesReopen() async throws {
        let harness = try OrchestrationHarness()
        defer { harness.close() }
        let path = harness.database.path
        let count = 5 * WALCheckpointer.commitsPerCheckpoint + 7
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                group.addTask {
                    try await harness.database.pool.write { db in
                        _ = try FlowStore.create(db, FlowCreate(name: "reopened-\(index)"), now: Date())
                    }
                }
            }
            try await group.waitForAll()
        }
        try harness.database.close()
        let reopened = try PrefectDatabase.open(path: path)
        defer { try? reopened.close() }
        let stored = try await reopened.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM flow WHERE name LIKE 'reopened-%'") }
        #expect(stored == count)
        let integrity = try await reopened.pool.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") }
        #expect(integrity == "ok")
    }
}
