import Foundation
import GRDB
import PrefectSchemas

/// `set_state` for flow runs: Prefect's `models.flow_runs.set_flow_run_state`.
enum FlowRunOrchestration {
    /// Proposes `state` for the flow run inside the caller's write transaction.
    ///
    /// - Returns: nil when the run does not exist; otherwise the result and the run as saved.
    static func setState(
        _ db: Database, flowRunID: UUID, state: State, force: Bool, now: Date, apiVersion: String?
    ) throws -> (result: OrchestrationResult, run: FlowRun)? {
        guard let run = try FlowRunStore.read(db, id: flowRunID, now: now) else { return nil }
        return try setState(db, run: run, state: state, force: force, now: now, apiVersion: apiVersion)
    }

    static func setState(
        _ db: Database, run: FlowRun, state: State, force: Bool, now: Date, apiVersion: String?
    ) throws -> (result: OrchestrationResult, run: FlowRun) {
        var context = OrchestrationContext(run: run, proposedState: state, db: db, now: now, apiVersion: apiVersion)
        try Orchestrator.orchestrate(
            &context, policy: force ? Policies.minimalFlow : Policies.coreFlow, global: Policies.globalFlow
        ) { context in
            try RunStateValidation.validate(&context) { state in
                try FlowRunStore.insertState(db, state, flowRunID: run.id)
            }
        }
        if let error = context.orchestrationError { throw error }
        if context.run != run {
            context.run.updated = StoredTime.truncated(now)
            try FlowRunStore.save(db, context.run)
        }
        context.run.computeEstimates(now: now)
        return (OrchestrationResult(state: context.validatedState, status: context.status, details: context.details), context.run)
    }
}
