import Foundation
import Logging
import PrefectClient
import PrefectSchemas

/// A running flow run's `prefect.flow-run.heartbeat` events, as Prefect 3.9.1's engine sends
/// them while a flow's body runs (`_send_heartbeats`, `prefect/flow_engine.py`): one when the
/// body starts, then one every ``PrefectRuntime/Configuration/heartbeatFrequency`` seconds, the
/// flow run as resource and its flow, deployment and tags as related resources. Prefect's
/// zombie-run automation marks a run Crashed when they stop coming.
struct FlowRunHeartbeat: Sendable {
    let event: Event
    let every: Double

    init?(flowRun: FlowRun, flowName: String, every: Double?) {
        guard let every else { return nil }
        self.every = every
        var related: [EventResource] = [
            ["prefect.resource.id": "prefect.flow.\(flowRun.flowID.prefectString)", "prefect.resource.role": "flow", "prefect.resource.name": flowName]
        ]
        if let deploymentID = flowRun.deploymentID {
            related.append(["prefect.resource.id": "prefect.deployment.\(deploymentID.prefectString)", "prefect.resource.role": "deployment"])
        }
        for tag in Set(flowRun.tags).sorted() {
            related.append(["prefect.resource.id": "prefect.tag.\(tag)", "prefect.resource.role": "tag"])
        }
        event = Event(
            event: "prefect.flow-run.heartbeat",
            resource: EventResource(labels: [
                "prefect.resource.id": "prefect.flow-run.\(flowRun.id.prefectString)", "prefect.resource.name": flowRun.name,
                "prefect.version": PrefectAPI.targetPrefectVersion,
            ]),
            related: related)
    }

    /// Sends heartbeats (`POST /events`: one request every few minutes needs no websocket)
    /// until the calling task is cancelled.
    func beat(_ client: PrefectClient, logger: Logger) async {
        while !Task.isCancelled {
            var next = event
            next.id = UUID.version4()
            next.occurred = Date()
            do {
                try await client.emitEvents([next])
            } catch {
                logger.debug("Failed to emit heartbeat: \(error)")
            }
            try? await Task.sleep(for: .wait(seconds: every))
        }
    }
}
