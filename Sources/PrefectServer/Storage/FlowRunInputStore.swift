import Foundation
import GRDB
import PrefectSchemas

/// Flow-run input in table `flow_run_input` (Prefect's `models/flow_run_input.py`).
enum FlowRunInputStore {
    enum CreateOutcome { case created, keyTaken, noSuchFlowRun }

    static func create(_ db: Database, flowRunID: UUID, key: String, value: String, sender: String?, now: Date) throws -> CreateOutcome {
        let exists = try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM flow_run WHERE id = ?)", arguments: [flowRunID.prefectString]) ?? false
        guard exists else { return .noSuchFlowRun }
        let taken = try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM flow_run_input WHERE flow_run_id = ? AND key = ?)",
            arguments: [flowRunID.prefectString, key]) ?? false
        guard !taken else { return .keyTaken }
        let stamp = StoredTime.truncated(now)
        let input = FlowRunInput(id: UUID.version4(), created: stamp, updated: stamp, flowRunID: flowRunID, key: key, value: value, sender: sender)
        try db.execute(
            sql: "INSERT INTO flow_run_input (id, flow_run_id, key, created, body) VALUES (?, ?, ?, ?, ?)",
            arguments: [input.id.prefectString, flowRunID.prefectString, key, StoredTime.micros(stamp), try ServerJSON.encode(input)])
        return .created
    }

    static func read(_ db: Database, flowRunID: UUID, key: String) throws -> FlowRunInput? {
        try Data.fetchOne(
            db, sql: "SELECT body FROM flow_run_input WHERE flow_run_id = ? AND key = ?",
            arguments: [flowRunID.prefectString, key]
        ).map { try PrefectJSON.decode(FlowRunInput.self, from: $0) }
    }

    /// Inputs whose key starts with `prefix`, minus `excludeKeys`, oldest first.
    static func filter(_ db: Database, flowRunID: UUID, prefix: String, limit: Int, excludeKeys: [String]) throws -> [Data] {
        let excluded = SQLCondition.notIn("key", excludeKeys)
        return try Data.fetchAll(
            db,
            sql: """
                SELECT body FROM flow_run_input WHERE flow_run_id = ? AND key LIKE ? ESCAPE '\\' AND \(excluded.sql)
                ORDER BY created LIMIT ?
                """,
            arguments: StatementArguments([flowRunID.prefectString, SQLCondition.escapeLike(prefix) + "%"] + excluded.arguments + [limit]))
    }

    static func delete(_ db: Database, flowRunID: UUID, key: String) throws -> Bool {
        try db.execute(
            sql: "DELETE FROM flow_run_input WHERE flow_run_id = ? AND key = ?", arguments: [flowRunID.prefectString, key])
        return db.changesCount > 0
    }
}
