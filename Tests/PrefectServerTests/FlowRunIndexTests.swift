import Foundation
import GRDB
import PrefectSchemas
import Testing
@testable import PrefectServer

/// The query plans of the reads that use `flow_run`'s sparse indexes (migration
/// `v17-sparse-flow-run-indexes`): each still searches its index, so a run left out of an
/// index because the column is null costs the reads nothing.
@Suite("Sparse flow_run indexes")
struct FlowRunIndexTests {
    private static let id = UUID().prefectString

    /// A read and the index its plan must search.
    struct Read: CustomTestStringConvertible, Sendable {
        let index: String
        let sql: String
        let arguments: [String]
        var testDescription: String { index }

        /// `SELECT id FROM flow_run` under the condition the API builds for `filter`.
        static func filter(_ index: String, _ filter: String) throws -> Read {
            let decoded = try PrefectJSON.decode(FlowRunFilter.self, from: Data(filter.utf8))
            let condition = try #require(decoded.sqlCondition())
            return Read(
                index: index, sql: "SELECT flow_run.id FROM flow_run WHERE \(condition.sql)",
                arguments: condition.arguments.map { String(describing: $0.databaseValue) })
        }
    }

    static let reads: [Read] = {
        let day = "2026-12-01T00:00:00Z"
        return [
            (try? Read.filter("ix_flow_run__deployment_id", #"{"deployment_id": {"any_": ["\#(id)"]}}"#)),
            (try? Read.filter("ix_flow_run__parent_task_run_id", #"{"parent_task_run_id": {"any_": ["\#(id)"]}}"#)),
            (try? Read.filter("ix_flow_run__end_time", #"{"end_time": {"after_": "\#(day)"}}"#)),
            (try? Read.filter("ix_flow_run__next_scheduled_start_time", #"{"next_scheduled_start_time": {"before_": "\#(day)"}}"#)),
            (try? Read.filter("ix_flow_run__start_time", #"{"start_time": {"is_null_": false}}"#)),
            Read(
                index: "uq_flow_run__flow_id_idempotency_key",
                sql: "SELECT body FROM flow_run WHERE flow_id = ? AND idempotency_key = ?", arguments: [id, "key"]),
            Read(
                index: "ix_flow_run__work_queue_id_state_type",
                sql: "SELECT COUNT(*) FROM flow_run WHERE work_queue_id = ? AND state_name = 'Late'", arguments: [id]),
            Read(
                index: "ix_flow_run__work_queue_id_state_type",
                sql: "SELECT work_queue_id, COUNT(*) FROM flow_run WHERE work_queue_id IN (?, ?) AND state_type IN ('RUNNING', 'PENDING') GROUP BY work_queue_id",
                arguments: [id, UUID().prefectString]),
        ].compactMap { $0 }
    }()

    @Test("every filter on a sparse column is answered from its index")
    func readsSearchTheirIndex() async throws {
        #expect(Self.reads.count == 8)
        let harness = try OrchestrationHarness()
        defer { harness.close() }
        for read in Self.reads {
            let plan = try await harness.database.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(read.sql)", arguments: StatementArguments(read.arguments))
                    .map { row -> String in row["detail"] }
            }
            #expect(plan.contains { $0.hasPrefix("SEARCH flow_run USING") && $0.contains("INDEX \(read.index) ") }, "\(read.index): \(plan)")
        }
    }

    @Test("the indexes on columns a new run leaves null hold only the rows that have a value")
    func sparseIndexesArePartial() async throws {
        let harness = try OrchestrationHarness()
        defer { harness.close() }
        let sparse = [
            "ix_flow_run__deployment_id", "ix_flow_run__parent_task_run_id", "ix_flow_run__end_time",
            "ix_flow_run__next_scheduled_start_time", "ix_flow_run__start_time", "uq_flow_run__flow_id_idempotency_key",
            "ix_flow_run__work_queue_id_state_type",
        ]
        try await harness.database.pool.read { db in
            for index in sparse {
                let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", arguments: [index])
                #expect(sql?.hasSuffix("WHERE \(Self.column(of: index)) IS NOT NULL") == true, "\(index): \(sql ?? "missing")")
            }
            #expect(try !db.indexes(on: "flow_run").map(\.name).contains("ix_flow_run__work_queue_id"))
        }
    }

    private static func column(of index: String) -> String {
        switch index {
        case "uq_flow_run__flow_id_idempotency_key": "idempotency_key"
        case "ix_flow_run__work_queue_id_state_type": "work_queue_id"
        default: String(index.dropFirst("ix_flow_run__".count))
        }
    }
}
