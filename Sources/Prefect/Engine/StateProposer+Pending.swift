import Foundation
import PrefectClient
import PrefectSchemas

extension StateProposer {
    /// Proposes Pending to a flow run last seen Scheduled (in the state with id
    /// `currentStateID`), so that the run starts at most once however stale that sight was.
    ///
    /// Prefect's rules let a run leave Completed (without a persisted result), Failed or
    /// Crashed for Pending (`HandleFlowTerminalStateTransitions`), so a Pending sent after
    /// another runner or worker took the run and finished it — the two fetched it in the same
    /// poll, or ours waited for a retry while an API replica restarted — is accepted and would
    /// run the body again. Such a Pending is told apart by what the server did to it: only a
    /// transition from Scheduled copies the scheduled time into the Pending state
    /// (`CopyScheduledTime`), and ours carries none. Then the state the run had before is put
    /// back (forced, as a copy) and the outcome is not accepted, so the caller does not start
    /// the run.
    func proposePending(currentStateID: UUID?) async throws -> Outcome {
        let outcome = try await propose(.pending(), currentStateID: currentStateID)
        guard case .flow(let flowRunID) = run, outcome.accepted, outcome.state.isPending,
            outcome.state.stateDetails.scheduledTime == nil
        else { return outcome }
        return try await restoreState(before: outcome.state, flowRunID: flowRunID)
    }

    /// Puts back the state a flow run had before `pending`, the Pending a late proposal gave it:
    /// the latest state Prefect's rules let a run leave for Pending other than from Scheduled —
    /// Completed, Failed, Crashed or Paused. Not simply the state before it in the history: the
    /// server stamps a state when it reads the request, so a proposal that waited for the run's
    /// row can carry an earlier time than the state it replaced. When there is none, the run
    /// stays Pending and the outcome is still not accepted.
    private func restoreState(before pending: State, flowRunID: UUID) async throws -> Outcome {
        let history = try await client.readFlowRunStates(flowRunID: flowRunID)
        let left: Set<StateType> = [.completed, .failed, .crashed, .paused]
        let earlier = history.filter { $0.id != pending.id && left.contains($0.type) }.max { $0.timestamp < $1.timestamp }
        guard let earlier else { return Outcome(state: pending, accepted: false) }
        var details = earlier.stateDetails
        details.transitionID = nil
        let copy = State.make(earlier.type, name: earlier.name, message: earlier.message, data: earlier.data, stateDetails: details)
        let restored = try await propose(copy, force: true, currentStateID: pending.id)
        return Outcome(state: restored.state, accepted: false)
    }
}
