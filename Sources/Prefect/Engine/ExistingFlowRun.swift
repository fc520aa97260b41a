import Foundation
import PrefectClient
import PrefectSchemas

extension FlowRunEngine {
    /// Runs the flow run `flowRunID`, made elsewhere (a schedule, a deployment's
    /// `create_flow_run_from_deployment`, the UI's Run button), as Prefect's `run_flow` does with
    /// an existing `flow_run` (`prefect/flow_engine.py`): the run takes the flow's retries and
    /// retry delay where it has none and the flow's version; its `parameters` are decoded into
    /// the flow's input (a run whose parameters do not fit ends Failed, naming them); a run
    /// still Scheduled is proposed Pending; then Running and the body, as for a run the engine
    /// made itself.
    ///
    /// - Parameter read: the run as just read, when the caller has it (saves reading it again).
    /// - Throws: only when the run cannot be read or updated.
    func run(existing flowRunID: UUID, read: FlowRun? = nil) async throws -> FlowRunOutcome<Output> {
        let client = try await runtime.client()
        let flowRun: FlowRun
        if let read, read.id == flowRunID {
            flowRun = read
        } else {
            flowRun = try await client.readFlowRun(flowRunID: flowRunID)
        }
        var policy = flowRun.empiricalPolicy
        if policy.retries == nil { policy.retries = flow.retries }
        if policy.retryDelay == nil { policy.retryDelay = flow.retryDelaySeconds }
        try await client.updateFlowRun(flowRunID: flowRunID, flowVersion: flow.version, empiricalPolicy: policy)
        let logger = runtime.runLogger(
            label: "prefect.flow_runs", runName: flowRun.name, kind: "Flow run", flowRunID: flowRunID, taskRunID: nil)
        let scope = FlowRunScope(
            id: flowRunID, name: flowRun.name, parameters: flowRun.parameters, runtime: runtime, client: client,
            logger: logger)
        let run = Attempts(engine: self, client: client, logger: logger, scope: scope, state: flowRun.state)
        run.heartbeat = FlowRunHeartbeat(flowRun: flowRun, flowName: flow.name, every: runtime.configuration.heartbeatFrequency)
        logger.info("Beginning flow run '\(flowRun.name)' for flow '\(flow.name)'")
        let input: Input
        do {
            input = try RunParameters.decode(Input.self, from: flowRun.parameters)
        } catch {
            let message = "Validation of flow parameters failed with error:"
            logger.error("\(message) \(error)")
            await run.failBeforeRunning("\(message) \(type(of: error)): \(error)")
            await flush()
            return run.outcome(.failure(error))
        }
        run.entersPendingFirst = flowRun.state?.isScheduled ?? true
        let result = await runAttempts(run, input, client: client, topLevel: true)
        await flush()
        return run.outcome(result)
    }
}
