import Foundation
import GRDB
import HTTPTypes
import PrefectSchemas

/// The flow runs of deployments: `create_flow_run_from_deployment`, the scheduled runs a
/// runner polls for, and `_delete_scheduled_runs` (Prefect's `api/deployments.py` and
/// `models/deployments.py`).
enum DeploymentRuns {
    /// `_delete_scheduled_runs`: the deployment's runs that are Scheduled (but not
    /// AwaitingConcurrencySlot) and never ran; only auto-scheduled ones, only future ones, when asked.
    static func deleteScheduled(_ db: Database, deploymentID: UUID, autoScheduledOnly: Bool, futureOnly: Bool, now: Date) throws {
        var sql = """
            DELETE FROM flow_run WHERE deployment_id = ? AND state_type = 'SCHEDULED' AND state_name != 'AwaitingConcurrencySlot'
            AND COALESCE(json_extract(CAST(body AS TEXT), '$.run_count'), 0) = 0
            """
        var arguments: [any DatabaseValueConvertible] = [deploymentID.prefectString]
        if autoScheduledOnly { sql += " AND json_extract(CAST(body AS TEXT), '$.auto_scheduled') = 1" }
        if futureOnly {
            sql += " AND next_scheduled_start_time > ?"
            arguments.append(StoredTime.micros(now))
        }
        try db.execute(sql: sql, arguments: StatementArguments(arguments))
    }

    /// A run of `deployment`: its parameters under the request's (hydrated), its tags with the
    /// request's, its labels, version, queue (or the request's queue of the same pool, created
    /// when missing) and infrastructure, Scheduled now unless a state is given. A run with the
    /// same flow and idempotency key is answered as it is.
    static func create(
        _ db: Database, deployment: DeploymentStore.Stored, _ create: DeploymentFlowRunCreate, now: Date, apiVersion: String?
    ) throws -> (json: Data, created: Bool) {
        var parameters = deployment.parameters
        parameters.merge(create.parameters) { _, given in given }
        do {
            parameters = try ParameterHydration.hydrate(parameters, db)
        } catch let failure as ParameterHydration.Failure {
            throw APIError.detail(.badRequest, "Error hydrating flow run parameters: \(failure.message)")
        }
        if create.enforceParameterSchema ?? deployment.enforceParameterSchema {
            guard case .object(let schema)? = deployment.body["parameter_openapi_schema"] else {
                throw APIError.detail(
                    .conflict,
                    "Error updating deployment: Cannot update parameters because parameter schema enforcement is enabled and the deployment does not have a valid parameter schema.")
            }
            do {
                try ParameterSchemaValidation.validate(parameters, schema: schema, ignoreRequired: false)
            } catch {
                throw error.apiError(.conflict, prefix: "Error creating flow run")
            }
        }
        if let pool = deployment.workPoolName, let template = try WorkPoolStore.read(db, name: pool)?.baseJobTemplate {
            do {
                try JobVariableValidation.validate(
                    template: template, [deployment.jobVariables, create.jobVariables ?? [:]], ignoreRequired: false)
            } catch {
                throw error.apiError(.unprocessableContent, prefix: "Error creating flow run")
            }
        }
        var queueID = deployment.workQueueID
        var queueName = deployment.workQueueName
        if let requested = create.workQueueName {
            guard deployment.workQueueID != nil, let pool = deployment.workPoolName else {
                throw APIError.detail(
                    .badRequest,
                    "Cannot create flow run in work queue \(requested) because deployment \(deployment.id.prefectString) is not associated with a work pool. Please remove work_pool_name and try again.")
            }
            queueID = try WorkQueueStore.id(db, pool: pool, name: requested, createIfMissing: true, now: now)
            queueName = requested
        }
        if let (_, json) = try FlowRunCreation.existing(db, flowID: deployment.flowID, idempotencyKey: create.idempotencyKey, now: now) {
            return (json, false)
        }
        var tags = deployment.tags
        for tag in create.tags where !tags.contains(tag) { tags.append(tag) }
        var run = FlowRun(
            id: UUID(), created: now, updated: now, name: create.name ?? RunNames.make(), flowID: deployment.flowID,
            deploymentID: deployment.id, deploymentVersion: deployment.version, workQueueName: queueName,
            parameters: parameters, idempotencyKey: create.idempotencyKey, context: create.context,
            empiricalPolicy: create.empiricalPolicy.withServerDefaults(), tags: tags,
            labels: try FlowRunCreation.labels(db, flowID: deployment.flowID, deploymentID: deployment.id, user: create.labels),
            parentTaskRunID: create.parentTaskRunID,
            infrastructureDocumentID: create.infrastructureDocumentID ?? deployment.infrastructureDocumentID,
            workQueueID: queueID, jobVariables: create.jobVariables ?? [:])
        run.deploymentVersion = deployment.version
        let state = create.state?.makeState(now: now) ?? .new(.scheduled, details: StateDetails(scheduledTime: StoredTime.truncated(now)), now: now)
        let outcome = try FlowRunCreation.insert(db, run, state: state, now: now, apiVersion: apiVersion)
        return (outcome.json, outcome.created)
    }

    /// `get_scheduled_flow_runs_for_deployments`: their Scheduled runs due by `before`, earliest
    /// first; the deployments are marked READY and polled.
    static func scheduled(_ db: Database, deploymentIDs: [UUID], before: Date?, page: Page, now: Date) throws -> Data {
        let filter = FlowRunFilter(
            deploymentID: FlowRunFilterDeploymentId(any: deploymentIDs),
            state: FlowRunFilterState(type: FlowRunFilterStateType(any: [.scheduled])),
            nextScheduledStartTime: FlowRunFilterNextScheduledStartTime(before: before))
        let json = try FlowRunStore.filterJSON(db, RunQuery(flowRuns: filter), sort: .nextScheduledStartTimeAsc, page: page, now: now)
        try DeploymentStore.markReady(db, ids: deploymentIDs, now: now)
        return json
    }
}
