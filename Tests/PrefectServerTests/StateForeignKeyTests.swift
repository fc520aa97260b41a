import Foundation
import GRDB
import GRDBSQLite
import PrefectSchemas
import Testing
@testable import PrefectServer

/// A state's reference to its run is deferred by the schema (migration
/// `v16-deferred-state-foreign-keys`), not by a pragma that would make the writer compile its
/// statements again after every create.
@Suite("Deferred state foreign keys")
struct StateForeignKeyTests {
    @Test("creating flow and task runs leaves the writer's prepared statements compiled")
    func createsKeepStatementsPrepared() async throws {
        let harness = try OrchestrationHarness()
        defer { harness.close() }
        let reprepares = try await harness.database.groupCommit.write { db -> Int32 in
            let probe = try db.cachedStatement(sql: "SELECT count(*) FROM flow_run_state")
            _ = try Int.fetchOne(probe)
            let (flow, _) = try FlowStore.create(db, FlowCreate(name: "statements"), now: Date())
            let flowRun = try FlowRunCreation.create(db, FlowRunCreate(flowID: flow.id), now: Date(), apiVersion: nil)
            _ = try TaskRunCreation.create(
                db, TaskRunCreate(flowRunID: flowRun.run.id, taskKey: "task", dynamicKey: "0"), now: Date(), apiVersion: nil)
            #expect(try Int.fetchOne(probe) == 1)
            return sqlite3_stmt_status(probe.sqliteStatement, SQLITE_STMTSTATUS_REPREPARE, 0)
        }
        #expect(reprepares == 0)
    }

    @Test("the migration keeps every state and defers its reference to the run")
    func migrationKeepsStates() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prefect-fk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let queue = try DatabaseQueue(path: directory.appendingPathComponent("old.db").path)
        let migrator = StorageMigrations.makeMigrator()
        try migrator.migrate(queue, upTo: "v15-saved-searches")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO flow (id, name, created, updated, tags, body) VALUES ('f', 'flow', 1, 1, '[]', x'7B7D');
                INSERT INTO flow_run (id, flow_id, name, created, updated, tags, body) VALUES ('r', 'f', 'run', 1, 1, '[]', x'7B7D');
                INSERT INTO flow_run_state (id, flow_run_id, type, name, timestamp, body) VALUES ('s1', 'r', 'PENDING', 'Pending', 2, x'01');
                INSERT INTO flow_run_state (id, flow_run_id, type, name, timestamp, body) VALUES ('s2', 'r', 'RUNNING', NULL, 3, x'02');
                INSERT INTO task_run (id, flow_run_id, task_key, dynamic_key, name, created, updated, tags, body)
                    VALUES ('t', 'r', 'k', '0', 'task', 1, 1, '[]', x'7B7D');
                INSERT INTO task_run_state (id, task_run_id, type, name, timestamp, body) VALUES ('s3', 't', 'COMPLETED', 'Completed', 4, x'03');
                """)
        }
        let statesBefore = try queue.read { try Row.fetchAll($0, sql: Self.allStates) }
        try migrator.migrate(queue)
        try queue.read { db in
            #expect(try Row.fetchAll(db, sql: Self.allStates) == statesBefore)
            for (table, index) in [
                ("flow_run_state", "ix_flow_run_state__flow_run_id_timestamp"), ("task_run_state", "ix_task_run_state__task_run_id_timestamp"),
            ] {
                let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = ?", arguments: [table]) ?? ""
                #expect(sql.contains("ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED"))
                #expect(try db.indexes(on: table).map(\.name).contains(index))
            }
        }
        try queue.write { db in
            try db.execute(sql: "DELETE FROM flow_run WHERE id = 'r'")
            #expect(try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM flow_run_state) + (SELECT count(*) FROM task_run_state)") == 0)
        }
        #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try db.execute(sql: "INSERT INTO flow_run_state (id, flow_run_id, type, timestamp, body) VALUES ('s4', 'gone', 'PENDING', 5, x'04')")
            }
        }
    }

    private static let allStates = """
        SELECT id, flow_run_id AS run_id, type, name, timestamp, body FROM flow_run_state
        UNION ALL SELECT id, task_run_id, type, name, timestamp, body FROM task_run_state ORDER BY id
        """
}
