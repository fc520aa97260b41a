import Foundation
import GRDB
import PrefectSchemas

/// Creating a flow run: Prefect's `api/flow_runs.create_flow_run` with
/// `models.flow_runs.create_flow_run`.
enum FlowRunCreation {
    /// Creates the run and proposes its first state with `force` (Pending when none is given);
    /// a run with the same flow and `idempotency_key` is returned as it is instead.
    static func create(_ db: Database, _ create: FlowRunCreate, now: Date, apiVersion: String?) throws -> (run: FlowRun, json: Data, created: Bool) {
        if let key = create.idempotencyKey,
            let existing = try FlowRunStore.read(db, flowID: create.flowID, idempotencyKey: key, now: now)
        {
            return (existing, try ServerJSON.encode(existing), false)
        }
        if let pool = create.workPoolName {
            let detail = create.workQueueName.map { "Work pool queue '\(pool)/\($0)' not found." } ?? "Work pool '\(pool)' not found."
            throw APIError.notFound(detail)
        }
        var labels = try FlowStore.labels(db, id: create.flowID)
        labels["prefect.flow.id"] = .string(create.flowID.prefectString)
        labels.merge(create.labels) { _, user in user }
        let run = FlowRun(
            id: UUID(), created: now, updated: now, name: create.name ?? RunNames.make(), flowID: create.flowID,
            deploymentID: create.deploymentID, workQueueName: create.workQueueName, flowVersion: create.flowVersion,
            parameters: create.parameters, idempotencyKey: create.idempotencyKey, context: create.context,
            empiricalPolicy: create.empiricalPolicy.withServerDefaults(), tags: create.tags, labels: labels,
            parentTaskRunID: create.parentTaskRunID, infrastructureDocumentID: create.infrastructureDocumentID,
            jobVariables: create.jobVariables ?? [:])
        let state = create.state?.makeState(now: now) ?? .new(.pending, now: now)
        let outcome = try FlowRunOrchestration.setState(
            db, run: run, state: state, force: true, now: now, apiVersion: apiVersion, write: .insert)
        return (outcome.run, try outcome.runJSON(), true)
    }
}

extension FlowRunPolicy {
    /// Absent `pause_keys` and `resuming` take the server model's defaults (an empty set,
    /// false), as Prefect's `FlowRunPolicy` fills them.
    func withServerDefaults() -> FlowRunPolicy {
        var policy = self
        policy.pauseKeys = policy.pauseKeys ?? []
        policy.resuming = policy.resuming ?? false
        return policy
    }
}
