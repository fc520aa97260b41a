import Foundation
import GRDB
import PrefectSchemas

/// `set_state` for task runs: Prefect's `models.task_runs.set_task_run_state`, with the core
/// task policy, or the minimal one when forced, or the background one for a `deferred` state.
enum TaskRunOrchestration {
    /// Proposes `state` for the task run inside the caller's write transaction; nil when the run
    /// does not exist.
    static func setState(
        _ db: Database, taskRunID: UUID, state: State, force: Bool, now: Date, apiVersion: String?
    ) throws -> SetStateOutcome<TaskRun>? {
        guard let run = try TaskRunStore.read(db, id: taskRunID, now: now) else { return nil }
        return try setState(db, run: run, state: state, force: force, now: now, apiVersion: apiVersion)
    }

    static func setState(
        _ db: Database, run: TaskRun, state: State, force: Bool, now: Date, apiVersion: String?, write: RunWrite = .update
    ) throws -> SetStateOutcome<TaskRun> {
        try RunOrchestration.setState(
            TaskRunStore.self, db, run: run, state: state,
            policy: state.stateDetails.deferred == true ? Policies.backgroundTask : force ? Policies.minimalTask : Policies.coreTask,
            global: Policies.globalTask, now: now, apiVersion: apiVersion, write: write)
    }
}

extension SetStateOutcome where Run == TaskRun {
    /// The background task run this transition scheduled, for the task workers, as the answer
    /// shows it; nil when it scheduled none.
    func backgroundDelivery() throws -> BackgroundTaskQueues.Delivery? {
        guard let enqueue else { return nil }
        return BackgroundTaskQueues.Delivery(entry: .init(taskKey: run.taskKey, body: try runJSON()), lane: enqueue)
    }
}
