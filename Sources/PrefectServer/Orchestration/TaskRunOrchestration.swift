import Foundation
import GRDB
import PrefectSchemas

/// `set_state` for task runs: Prefect's `models.task_runs.set_task_run_state`.
enum TaskRunOrchestration {
    static func setState(
        _ db: Database, taskRunID: UUID, state: State, force: Bool, now: Date, apiVersion: String?
    ) throws -> (result: OrchestrationResult, run: TaskRun)? {
        guard let run = try TaskRunStore.read(db, id: taskRunID, now: now) else { return nil }
        return try setState(db, run: run, state: state, force: force, now: now, apiVersion: apiVersion)
    }

    static func setState(
        _ db: Database, run: TaskRun, state: State, force: Bool, now: Date, apiVersion: String?
    ) throws -> (result: OrchestrationResult, run: TaskRun) {
        var context = OrchestrationContext(run: run, proposedState: state, db: db, now: now, apiVersion: apiVersion)
        try Orchestrator.orchestrate(
            &context, policy: force ? Policies.minimalTask : Policies.coreTask, global: Policies.globalTask
        ) { context in
            try RunStateValidation.validate(&context) { state in
                try TaskRunStore.insertState(db, state, taskRunID: run.id)
            }
        }
        if let error = context.orchestrationError { throw error }
        if context.run != run {
            context.run.updated = StoredTime.truncated(now)
            try TaskRunStore.save(db, context.run)
        }
        context.run.computeEstimates(now: now)
        return (OrchestrationResult(state: context.validatedState, status: context.status, details: context.details), context.run)
    }
}
