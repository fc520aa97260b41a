import Foundation
import PrefectSchemas

/// What flow runs and task runs share: the fields the global orchestration policy and the
/// storage keep up to date (Prefect's ORM `Run` mixin).
protocol OrchestratedRun: Sendable, Codable, Equatable {
    var id: UUID { get }
    var state: State? { get set }
    var stateID: UUID? { get set }
    var stateType: StateType? { get set }
    var stateName: String? { get set }
    var runCount: Int { get set }
    var expectedStartTime: Date? { get set }
    var nextScheduledStartTime: Date? { get set }
    var startTime: Date? { get set }
    var endTime: Date? { get set }
    var totalRunTime: Seconds { get set }
    var estimatedRunTime: Seconds { get set }
    var estimatedStartTimeDelta: Seconds { get set }
    var updated: Date? { get set }
    /// Writes this run's ids into a state's details (Prefect's `UpdateStateDetails`).
    func stampRunIDs(on details: inout StateDetails)
}

extension FlowRun: OrchestratedRun {
    func stampRunIDs(on details: inout StateDetails) {
        details.flowRunID = id
    }
}

extension TaskRun: OrchestratedRun {
    func stampRunIDs(on details: inout StateDetails) {
        details.flowRunID = flowRunID
        details.taskRunID = id
    }
}

extension OrchestratedRun {
    /// Fills the two fields Prefect computes when it reads a run (see ``RunEstimates``).
    mutating func computeEstimates(now: Date) {
        let estimates = RunEstimates(self, now: now)
        estimatedRunTime = estimates.runTime
        estimatedStartTimeDelta = estimates.startTimeDelta
    }
}
