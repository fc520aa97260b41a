import Foundation
import GRDB
import PrefectSchemas

/// Creating a task run: Prefect's `api/task_runs.create_task_run` with
/// `models.task_runs.create_task_run`.
enum TaskRunCreation {
    /// Creates the run and proposes its first state with `force` (Pending when none is given);
    /// the task run with the same flow run, task key and dynamic key is returned as it is instead.
    /// A background task run created Scheduled comes with its delivery to the task workers.
    static func create(
        _ db: Database, _ create: TaskRunCreate, now: Date, apiVersion: String?
    ) throws -> (run: TaskRun, json: Data, created: Bool, delivery: BackgroundTaskQueues.Delivery?) {
        if let existing = try TaskRunStore.read(
            db, flowRunID: create.flowRunID, taskKey: create.taskKey, dynamicKey: create.dynamicKey, now: now)
        {
            return (existing, try ServerJSON.encode(existing), false, nil)
        }
        var labels: JSONObject = [:]
        if let flowRunID = create.flowRunID {
            labels = try FlowRunStore.read(db, id: flowRunID, now: now)?.labels ?? [:]
            labels["prefect.flow-run.id"] = .string(flowRunID.prefectString)
        }
        labels.merge(create.labels) { _, client in client }
        let run = TaskRun(
            id: create.id ?? UUID.version4(), created: now, updated: now, name: create.name ?? RunNames.make(),
            flowRunID: create.flowRunID, taskKey: create.taskKey, dynamicKey: create.dynamicKey, cacheKey: create.cacheKey,
            cacheExpiration: create.cacheExpiration, taskVersion: create.taskVersion, empiricalPolicy: create.empiricalPolicy,
            tags: create.tags, labels: labels, taskInputs: create.taskInputs)
        let state = create.state?.makeState(now: now) ?? .new(.pending, now: now)
        let outcome = try TaskRunOrchestration.setState(
            db, run: run, state: state, force: true, now: now, apiVersion: apiVersion, write: .insert)
        return (outcome.run, try outcome.runJSON(), true, try outcome.backgroundDelivery())
    }
}
