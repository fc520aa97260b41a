import Foundation
import PrefectClient
import PrefectSchemas

/// Proposes states for one run and obeys the server's answer, as Prefect's `propose_state`
/// (`prefect/utilities/engine`) does — and makes every proposal count once.
///
/// - WAIT: sleeps the given delay and proposes again.
/// - ABORT: throws ``ProposalAborted``.
/// - REJECT: the run is in the state the server answered with.
/// - Each proposal carries a fresh `state_details.transition_id`. A proposal is never sent
///   again blindly after an answer was lost (`PrefectHTTPClient.resendsUnansweredRequests`
///   is off for it): the run is read back, and a current state with our transition id means
///   the proposal was taken, a current state that is neither ours nor the one before means
///   the server put the run somewhere else (a REJECT whose answer was lost), and only an
///   unchanged state sends the proposal again. A re-sent proposal the server had taken after
///   all comes back as REJECT "already made this state transition" with our transition id,
///   which is taken as accepted too (Prefect's `PreventDuplicateTransitions`).
struct StateProposer: Sendable {
    enum Run: Sendable {
        case flow(UUID)
        case task(UUID)
    }

    struct Outcome: Sendable {
        /// The run's state after the proposal.
        var state: State
        /// Whether that is the proposed state.
        var accepted: Bool
    }

    let client: PrefectClient
    let run: Run
    /// How often an unanswered proposal is sent again before the failure is thrown.
    var maxResends = 10

    /// Proposes `state` to a run currently in the state with id `currentStateID`.
    func propose(_ state: State, force: Bool = false, currentStateID: UUID?) async throws -> Outcome {
        var proposal = state
        let transitionID = UUID.version4()
        proposal.stateDetails.transitionID = transitionID
        var resends = 0
        while true {
            let result: OrchestrationResult
            do {
                result = try await PrefectHTTPClient.$resendsUnansweredRequests.withValue(false) {
                    try await send(proposal, force: force)
                }
            } catch where Self.isUnanswered(error) && resends < maxResends {
                resends += 1
                let current = try await readState()
                if let current, current.stateDetails.transitionID == transitionID {
                    return Outcome(state: current, accepted: true)
                }
                if let current, current.id != currentStateID {
                    return Outcome(state: current, accepted: false)
                }
                continue
            }
            switch result.status {
            case .accept:
                return Outcome(state: result.state ?? proposal, accepted: true)
            case .wait:
                let delay: Double
                if case .wait(let details) = result.details { delay = Double(details.delaySeconds) } else { delay = 1 }
                try await Task.sleep(for: .wait(seconds: delay))
            case .abort:
                throw ProposalAborted(reason: result.details.reason ?? "The server aborted the run.", state: result.state)
            case .reject:
                guard let current = result.state else {
                    throw ProposalAborted(reason: result.details.reason ?? "The server rejected the state.", state: nil)
                }
                return Outcome(state: current, accepted: current.stateDetails.transitionID == transitionID)
            case .unknown(let status):
                throw ProposalAborted(reason: "The server answered an unknown status \(status).", state: result.state)
            }
        }
    }

    /// Proposes `state` (forced) so that cancelling the calling task does not stop the
    /// proposal — for Cancelled and Crashed after the run's own task was cancelled, as Prefect
    /// shields them with `CancelScope(shield=True)`. `nil` when it could not be recorded.
    func proposeShielded(_ state: State, currentStateID: UUID?) async -> Outcome? {
        let proposer = self
        return try? await shielded { try await proposer.propose(state, force: true, currentStateID: currentStateID) }
    }

    private func send(_ state: State, force: Bool) async throws -> OrchestrationResult {
        switch run {
        case .flow(let id): try await client.setFlowRunState(flowRunID: id, state: state, force: force)
        case .task(let id): try await client.setTaskRunState(taskRunID: id, state: state, force: force)
        }
    }

    private func readState() async throws -> State? {
        switch run {
        case .flow(let id): try await client.readFlowRun(flowRunID: id).state
        case .task(let id): try await client.readTaskRun(taskRunID: id).state
        }
    }

    /// A failure after which the server may or may not have taken the proposal.
    static func isUnanswered(_ error: any Error) -> Bool {
        switch error {
        case let error as PrefectTransportError: error.kind.mayHaveReachedServer
        case let error as PrefectHTTPStatusError: PrefectHTTPClient.gatewayStatusCodes.contains(error.statusCode)
        default: false
        }
    }
}

/// The server answered ABORT (or something the engine cannot go on from).
struct ProposalAborted: Error, Sendable {
    let reason: String
    let state: State?
}
