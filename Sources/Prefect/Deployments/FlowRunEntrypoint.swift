public import Foundation
import PrefectClient
import PrefectSchemas

/// The other side of a runner's or worker's flow-run process: the program started again with
/// `PREFECT__FLOW_RUN_ID` in its environment runs that one flow run and exits, as
/// `python -m prefect.engine` does (`prefect/flow_engine.py`'s `_main`).
public enum FlowRunEntrypoint {
    /// The variable Prefect's runner and workers set to the run a process is to execute.
    public static let variable = "PREFECT__FLOW_RUN_ID"

    /// The flow run this process was started for, or nil when it was not started by a runner
    /// or worker.
    public static var flowRunID: UUID? {
        ProcessInfo.processInfo.environment[variable].flatMap { UUID(uuidString: $0) }
    }

    /// The variable Prefect's workers (and this SDK's runner and worker) set to the name of the
    /// run's flow.
    static let flowNameVariable = "PREFECT__FLOW_NAME"

    /// Runs the flow run `flowRunID` with the deployment (among `deployments`) whose flow made
    /// it: the first deployment of the flow `PREFECT__FLOW_NAME` names — or, when that is unset,
    /// of the run's flow as the server has it — runs it.
    ///
    /// - Returns: the process's exit status: 0 when the run completed, 1 otherwise.
    public static func run(_ flowRunID: UUID, deployments: [PrefectDeployment], runtime: PrefectRuntime) async -> Int32 {
        let logger = Logger(label: "prefect.flow_runs")
        do {
            let client = try await runtime.client()
            let flowRun = try await client.readFlowRun(flowRunID: flowRunID)
            let flowName: String
            if let named = ProcessInfo.processInfo.environment[flowNameVariable], !named.isEmpty {
                flowName = named
            } else {
                flowName = try await client.readFlow(flowID: flowRun.flowID).name
            }
            guard let deployment = deployments.first(where: { $0.flowName == flowName }) else {
                logger.error("No flow named '\(flowName)' in this program: its deployments run \(deployments.map(\.flowName))")
                return 1
            }
            let ending = try await deployment.runFlowRun(flowRunID, flowRun, runtime)
            await runtime.shutdown()
            return ending.failed ? 1 : 0
        } catch {
            logger.error("Flow run \(flowRunID.prefectString) could not be run: \(error)")
            await runtime.shutdown()
            return 1
        }
    }
}
