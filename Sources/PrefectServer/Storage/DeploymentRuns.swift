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

    /// Why a run of a deployment was not made: the single route answers each with its status
    /// and detail, the bulk route with its message (Prefect words them differently).
    enum Failure: Error {
        case hydration(String)
        case noParameterSchema
        case parameters(ParameterSchemaValidation.Failure)
        case jobVariables(ParameterSchemaValidation.Failure)
        case queueWithoutPool(queue: String, deploymentID: UUID)

        /// `POST /deployments/{id}/create_flow_run`'s answer.
        var apiError: APIError {
            switch self {
            case .hydration(let message): APIError.detail(.badRequest, "Error hydrating flow run parameters: \(message)")
            case .noParameterSchema:
                APIError.detail(
                    .conflict,
                    "Error updating deployment: Cannot update parameters because parameter schema enforcement is enabled and the deployment does not have a valid parameter schema.")
            case .parameters(let failure): failure.apiError(.conflict, prefix: "Error creating flow run")
            case .jobVariables(let failure): failure.apiError(.unprocessableContent, prefix: "Error creating flow run")
            case .queueWithoutPool(let queue, let deploymentID):
                APIError.detail(
                    .badRequest,
                    "Cannot create flow run in work queue \(queue) because deployment \(deploymentID.prefectString) is not associated with a work pool. Please remove work_pool_name and try again.")
            }
        }

        /// The `error` of a FAILED result of `POST /deployments/{id}/create_flow_run/bulk`.
        var bulkMessage: String {
            switch self {
            case .hydration(let message): message
            case .noParameterSchema: "Parameter schema enforcement is enabled but deployment has no valid schema."
            case .parameters(.invalid(let message)): "Parameter validation failed: \(message)"
            case .parameters(.circular): "Invalid schema: circular references detected."
            case .jobVariables(.invalid(let message)): "Error creating flow run: \(message)"
            case .jobVariables(.circular): "Invalid schema: Unable to validate schema with circular references."
            case .queueWithoutPool(let queue, _):
                "Cannot create flow run in work queue \(queue) because deployment is not associated with a work pool."
            }
        }
    }

    /// A run of `deployment`: its parameters under the request's (hydrated), its tags with the
    /// request's, its labels, version, queue (or the request's queue of the same pool, created
    /// when missing) and infrastructure, Scheduled now unless a state is given. A run with the
    /// same flow and idempotency key is answered as it is. `createdBy` is the automation whose
    /// action asked for the run.
    ///
    /// - Throws: ``Failure`` for what Prefect refuses, database errors as they come.
    static func create(
        _ db: Database, deployment: DeploymentStore.Stored, _ create: DeploymentFlowRunCreate, now: Date, apiVersion: String?,
        createdBy: CreatedBy? = nil
    ) throws -> (json: Data, created: Bool, id: UUID?) {
        var parameters = deployment.parameters
        parameters.merge(create.parameters) { _, given in given }
        do {
            parameters = try ParameterHydration.hydrate(parameters, db)
        } catch let failure as ParameterHydration.Failure {
            throw Failure.hydration(failure.message)
        }
        if create.enforceParameterSchema ?? deployment.enforceParameterSchema {
            guard case .object(let schema)? = deployment.body["parameter_openapi_schema"] else { throw Failure.noParameterSchema }
            do {
                try ParameterSchemaValidation.validate(parameters, schema: schema, ignoreRequired: false)
            } catch {
                throw Failure.parameters(error)
            }
        }
        if let pool = deployment.workPoolName, let stored = try WorkPoolStore.read(db, name: pool)?.baseJobTemplate {
            let template = try JobVariableValidation.resolvingBlockDefaults(stored, db)
            do {
                try JobVariableValidation.validate(
                    template: template, [deployment.jobVariables, create.jobVariables ?? [:]], ignoreRequired: false)
            } catch {
                throw Failure.jobVariables(error)
            }
        }
        var queueID = deployment.workQueueID
        var queueName = deployment.workQueueName
        if let requested = create.workQueueName {
            guard deployment.workQueueID != nil, let pool = deployment.workPoolName else {
                throw Failure.queueWithoutPool(queue: requested, deploymentID: deployment.id)
            }
            queueID = try WorkQueueStore.id(db, pool: pool, name: requested, createIfMissing: true, now: now)
            queueName = requested
        }
        if let (run, json) = try FlowRunCreation.existing(db, flowID: deployment.flowID, idempotencyKey: create.idempotencyKey, now: now) {
            return (json, false, run.id)
        }
        var tags = deployment.tags
        for tag in create.tags where !tags.contains(tag) { tags.append(tag) }
        var run = FlowRun(
            id: UUID.version4(), created: now, updated: now, name: create.name ?? RunNames.make(), flowID: deployment.flowID,
            deploymentID: deployment.id, deploymentVersion: deployment.version, workQueueName: queueName,
            parameters: parameters, idempotencyKey: create.idempotencyKey, context: create.context,
            empiricalPolicy: create.empiricalPolicy.withServerDefaults(), tags: tags,
            labels: FlowRunCreation.labels(of: deployment, user: create.labels),
            parentTaskRunID: create.parentTaskRunID,
            infrastructureDocumentID: create.infrastructureDocumentID ?? deployment.infrastructureDocumentID,
            workQueueID: queueID, jobVariables: create.jobVariables ?? [:])
        run.deploymentVersion = deployment.version
        run.createdBy = createdBy
        let state = create.state?.makeState(now: now) ?? .new(.scheduled, details: StateDetails(scheduledTime: StoredTime.truncated(now)), now: now)
        let outcome = try FlowRunCreation.insert(db, run, state: state, now: now, apiVersion: apiVersion)
        return (outcome.json, outcome.created, outcome.run.id)
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
