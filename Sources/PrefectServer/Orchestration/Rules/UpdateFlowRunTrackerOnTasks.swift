import Foundation
import PrefectSchemas

/// A task run that starts records its flow run's run count, so a later flow retry can be told
/// apart (Prefect's `UpdateFlowRunTrackerOnTasks`).
struct UpdateFlowRunTrackerOnTasks: OrchestrationRule {
    var fromStates: Set<StateType?> { StateTypes.all }
    var toStates: Set<StateType?> { StateTypes.of(.running) }

    func afterTransition(_ context: inout OrchestrationContext<TaskRun>) throws {
        guard context.run.flowRunID != nil else { return }
        guard let flowRun = try context.flowRun() else {
            throw OrchestrationFailure.flowRunGone(taskRunID: context.run.id)
        }
        context.run.flowRunRunCount = flowRun.runCount
    }
}

/// A rule could not complete because data it depends on is gone.
enum OrchestrationFailure: Error, CustomStringConvertible {
    case flowRunGone(taskRunID: UUID)

    var description: String {
        switch self {
        case .flowRunGone(let id):
            "Unable to read flow run associated with task run: \(id.prefectString), this flow run might have been deleted"
        }
    }
}
