import Foundation
import GRDB
import PrefectSchemas

/// Creating a flow run: Prefect's `api/flow_runs.create_flow_run` with
/// `models.flow_runs.create_flow_run`.
enum FlowRunCreation {
    /// Creates the run and proposes its first state with `force` (Pending when none is given);
    /// a run with the same flow and `idempotency_key` is returned as it is instead. With a
    /// `work_pool_name` the run goes to that pool's `work_queue_name`, or to its default queue.
    static func create(
        _ db: Database, _ create: FlowRunCreate, now: Date, apiVersion: String?, createdBy: CreatedBy? = nil
    ) throws -> (run: FlowRun, json: Data, created: Bool) {
        if let (run, json) = try existing(db, flowID: create.flowID, idempotencyKey: create.idempotencyKey, now: now) {
            return (run, json, false)
        }
        var queue: WorkQueue?
        if let pool = create.workPoolName {
            if let name = create.workQueueName {
                queue = try WorkQueueStore.named(db, pool: pool, name: name)
            } else if let id = try WorkPoolStore.named(db, pool).defaultQueueID {
                queue = try WorkQueueStore.read(db, id: id)
            }
        }
        let labels = try self.labels(db, flowID: create.flowID, deploymentID: create.deploymentID, user: create.labels)
        var run = FlowRun(
            id: UUID.version4(), created: now, updated: now, name: create.name ?? RunNames.make(), flowID: create.flowID,
            deploymentID: create.deploymentID, workQueueName: create.workQueueName, flowVersion: create.flowVersion,
            parameters: create.parameters, idempotencyKey: create.idempotencyKey, context: create.context,
            empiricalPolicy: create.empiricalPolicy.withServerDefaults(), tags: create.tags, labels: labels,
            parentTaskRunID: create.parentTaskRunID, infrastructureDocumentID: create.infrastructureDocumentID,
            // Created through an insert that lets the database enforce the idempotency key,
            // Prefect's run keeps `job_variables` null; created directly, its ORM default `{}`.
            workQueueID: queue?.id, jobVariables: create.jobVariables ?? ((create.idempotencyKey ?? "").isEmpty ? [:] : nil))
        run.createdBy = createdBy
        let state = create.state?.makeState(now: now) ?? .new(.pending, now: now)
        return try insert(db, run, state: state, now: now, apiVersion: apiVersion)
    }

    /// The run with this flow and idempotency key, as answered, when there is one.
    static func existing(_ db: Database, flowID: UUID, idempotencyKey: String?, now: Date) throws -> (run: FlowRun, json: Data)? {
        guard let key = idempotencyKey, let existing = try FlowRunStore.read(db, flowID: flowID, idempotencyKey: key, now: now) else {
            return nil
        }
        return (existing, try answer(db, existing, encoded: ServerJSON.encode(existing), now: now))
    }

    /// Inserts `run` and proposes `state` with `force`, as `models.flow_runs.create_flow_run` does.
    static func insert(_ db: Database, _ run: FlowRun, state: State, now: Date, apiVersion: String?) throws -> (run: FlowRun, json: Data, created: Bool) {
        let outcome = try FlowRunOrchestration.setState(
            db, run: run, state: state, force: true, now: now, apiVersion: apiVersion, write: .insert)
        return (outcome.run, try answer(db, outcome.run, encoded: outcome.runJSON(), now: now), true)
    }

    /// `with_system_labels_for_flow_run`: a run of a deployment takes the deployment's labels
    /// and its ids; any other run its flow's labels and the flow's id; the user's labels win.
    static func labels(_ db: Database, flowID: UUID, deploymentID: UUID?, user: JSONObject) throws -> JSONObject {
        if let deploymentID, let deployment = try DeploymentStore.read(db, id: deploymentID) {
            return labels(of: deployment, user: user)
        }
        var labels = try FlowStore.labels(db, id: flowID)
        labels["prefect.flow.id"] = .string(flowID.prefectString)
        labels.merge(user) { _, given in given }
        return labels
    }

    /// `with_system_labels_for_deployment_flow_run`: the deployment's labels, its flow's and
    /// its own id, then the user's.
    static func labels(of deployment: DeploymentStore.Stored, user: JSONObject = [:]) -> JSONObject {
        var labels = deployment.labels
        labels["prefect.flow.id"] = .string(deployment.flowID.prefectString)
        labels["prefect.deployment.id"] = .string(deployment.id.prefectString)
        labels.merge(user) { _, given in given }
        return labels
    }

    /// The answer for `run`: as encoded, or, for a run in a work queue, as the read routes
    /// answer it (with its queue's name and pool), its estimates taken after the write (as
    /// ``SetStateOutcome/runJSON()`` takes them).
    private static func answer(_ db: Database, _ run: FlowRun, encoded: Data, now: Date) throws -> Data {
        guard run.workQueueID != nil else { return encoded }
        return try RunJSON.read(db, table: "flow_run", id: run.id, now: max(now, Date())) ?? encoded
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
