import Foundation
import GRDB
import PrefectSchemas
@testable import PrefectServer

/// A throw-away database and the model-level calls the orchestration tests make: create runs
/// in a given state (forced, as creation does), then propose states as `set_state` does.
struct OrchestrationHarness {
    let database: PrefectDatabase
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("prefect-orch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        database = try PrefectDatabase.open(path: directory.appendingPathComponent("test.db").path)
    }

    func close() {
        try? database.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A flow run whose current state is `state` (nil: a run that never had a state).
    func flowRun(
        _ state: State?, retries: Int? = nil, retryDelay: Int? = nil, parentTaskRunID: UUID? = nil,
        deploymentID: UUID? = nil, infrastructurePid: String? = nil
    ) throws -> FlowRun {
        try database.pool.write { db in
            let (flow, _) = try FlowStore.create(db, FlowCreate(name: "flow-\(UUID().uuidString)"), now: Date())
            var run = FlowRun(
                id: UUID(), created: Date(), updated: Date(), name: "run", flowID: flow.id, deploymentID: deploymentID,
                empiricalPolicy: FlowRunPolicy(retries: retries, retryDelay: retryDelay), parentTaskRunID: parentTaskRunID,
                infrastructurePid: infrastructurePid)
            try FlowRunStore.insert(db, run)
            if let state {
                run = try FlowRunOrchestration.setState(
                    db, run: run, state: state.restamped(), force: true, now: StoredTime.truncated(Date()), apiVersion: nil).run
            }
            return run
        }
    }

    /// A task run of `flowRunID` whose current state is `state`.
    func taskRun(
        _ state: State?, flowRunID: UUID?, retries: Int? = nil, retryDelay: JSONValue? = nil, cacheKey: String? = nil,
        tags: [String] = []
    ) throws -> TaskRun {
        try database.pool.write { db in
            var run = TaskRun(
                id: UUID(), created: Date(), updated: Date(), name: "task", flowRunID: flowRunID, taskKey: "key-\(UUID().uuidString)",
                dynamicKey: "0", cacheKey: cacheKey, empiricalPolicy: TaskRunPolicy(retries: retries, retryDelay: retryDelay), tags: tags)
            try TaskRunStore.insert(db, run)
            if let state {
                run = try TaskRunOrchestration.setState(
                    db, run: run, state: state.restamped(), force: true, now: StoredTime.truncated(Date()), apiVersion: nil).run
            }
            return run
        }
    }

    @discardableResult
    func propose(_ state: State, to run: FlowRun, force: Bool = false, apiVersion: String? = "0.8.4") throws -> OrchestrationResult {
        try proposeFlow(state, runID: run.id, force: force, apiVersion: apiVersion).result
    }

    func proposeFlow(_ state: State, runID: UUID, force: Bool = false, apiVersion: String? = "0.8.4") throws -> (result: OrchestrationResult, run: FlowRun) {
        try database.pool.write { db in
            guard let outcome = try FlowRunOrchestration.setState(
                db, flowRunID: runID, state: state.restamped(), force: force, now: StoredTime.truncated(Date()), apiVersion: apiVersion)
            else { throw HarnessError.missing }
            return (outcome.result, outcome.run)
        }
    }

    @discardableResult
    func propose(_ state: State, to run: TaskRun, force: Bool = false) throws -> OrchestrationResult {
        try proposeTask(state, runID: run.id, force: force).result
    }

    func proposeTask(_ state: State, runID: UUID, force: Bool = false) throws -> (result: OrchestrationResult, run: TaskRun) {
        try database.pool.write { db in
            guard let outcome = try TaskRunOrchestration.setState(
                db, taskRunID: runID, state: state.restamped(), force: force, now: StoredTime.truncated(Date()), apiVersion: "0.8.4")
            else { throw HarnessError.missing }
            return (outcome.result, outcome.run)
        }
    }

    func flowRun(id: UUID) throws -> FlowRun? {
        try database.pool.read { try FlowRunStore.read($0, id: id, now: Date()) }
    }

    func taskRun(id: UUID) throws -> TaskRun? {
        try database.pool.read { try TaskRunStore.read($0, id: id, now: Date()) }
    }

    enum HarnessError: Error { case missing }
}

extension State {
    /// The state as the server makes it from a proposal: a new id, now.
    func restamped() -> State {
        var copy = self
        copy.id = UUID()
        copy.timestamp = StoredTime.truncated(Date())
        return copy
    }

    func withTransitionID(_ id: UUID) -> State {
        var copy = self
        copy.stateDetails.transitionID = id
        return copy
    }

    func withData(_ data: JSONValue?) -> State {
        var copy = self
        copy.data = data
        return copy
    }
}

extension OrchestrationResult {
    var reason: String? { details.reason }
}
