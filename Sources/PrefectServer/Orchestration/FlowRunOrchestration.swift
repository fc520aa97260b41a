import Foundation
import GRDB
import PrefectSchemas

/// `set_state` for flow runs: Prefect's `models.flow_runs.set_flow_run_state`, with the core
/// flow policy, or the minimal one when forced.
enum FlowRunOrchestration {
    /// Proposes `state` for the flow run inside the caller's write transaction; nil when the run
    /// does not exist.
    static func setState(
        _ db: Database, flowRunID: UUID, state: State, force: Bool, now: Date, apiVersion: String?, clientVersion: String? = nil
    ) throws -> SetStateOutcome<FlowRun>? {
        guard let run = try FlowRunStore.read(db, id: flowRunID, now: now) else { return nil }
        return try setState(db, run: run, state: state, force: force, now: now, apiVersion: apiVersion, clientVersion: clientVersion)
    }

    /// Proposes `state` through `policy` (a service's own policy) and the global transforms.
    static func setState(
        _ db: Database, run: FlowRun, state: State, policy: OrchestrationPolicy<FlowRun>, now: Date
    ) throws -> SetStateOutcome<FlowRun> {
        try RunOrchestration.setState(
            FlowRunStore.self, db, run: run, state: state, policy: policy, global: Policies.globalFlow, now: now,
            apiVersion: nil, write: .update)
    }

    static func setState(
        _ db: Database, run: FlowRun, state: State, force: Bool, now: Date, apiVersion: String?, clientVersion: String? = nil,
        write: RunWrite = .update
    ) throws -> SetStateOutcome<FlowRun> {
        try RunOrchestration.setState(
            FlowRunStore.self, db, run: run, state: state, policy: force ? Policies.minimalFlow : Policies.coreFlow,
            global: Policies.globalFlow, now: now, apiVersion: apiVersion, clientVersion: clientVersion, write: write)
    }
}
