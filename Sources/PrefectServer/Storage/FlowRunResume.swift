import Foundation
import GRDB
import PrefectSchemas

/// `POST /flow_runs/{id}/resume` (Prefect's `api/flow_runs.resume_flow_run`): a paused run
/// proposes Running, or Scheduled "Resuming" when it was suspended; run input declared by the
/// pause is stored once the resume is accepted.
enum FlowRunResume {
    static func resume(_ db: Database, flowRunID: UUID, runInput: JSONObject?, clock: RequestClock) throws -> OrchestrationResult {
        guard let run = try FlowRunStore.read(db, id: flowRunID, now: clock.now) else {
            throw APIError.objectNotFound("Flow run with id \(flowRunID.prefectString) not found")
        }
        guard let state = run.state, state.type == .paused else {
            return OrchestrationResult(
                state: nil, status: .abort, details: .abort(StateAbortDetails(reason: "Cannot resume a flow run that is not paused.")))
        }
        let keyset = state.stateDetails.runInputKeyset
        if let keyset, !keyset.isEmpty {
            let reject = { (reason: String) in
                OrchestrationResult(state: state, status: .reject, details: .abort(StateAbortDetails(reason: reason)))
            }
            guard let schemaKey = keyset["schema"],
                let schema = try FlowRunInputStore.read(db, flowRunID: flowRunID, key: schemaKey)
            else { return reject("Run input schema not found.") }
            guard (try? PrefectJSON.decode(JSONValue.self, from: Data(schema.value.utf8))) != nil else {
                return reject("Run input schema is not valid JSON.")
            }
        }
        var details = StateDetails()
        let proposed: State
        if state.stateDetails.pauseReschedule {
            details.scheduledTime = clock.now
            proposed = .new(.scheduled, name: "Resuming", details: details, now: clock.now)
        } else {
            proposed = .new(.running, now: clock.now)
        }
        let result = try FlowRunOrchestration.setState(
            db, run: run, state: proposed, force: false, now: clock.now, apiVersion: clock.apiVersion
        ).result
        if let keyset, let responseKey = keyset["response"], let runInput, !runInput.isEmpty, result.status == .accept {
            _ = try FlowRunInputStore.create(
                db, flowRunID: flowRunID, key: responseKey,
                value: String(decoding: try ServerJSON.encode(runInput), as: UTF8.self), sender: nil, now: clock.now)
        }
        return result
    }
}
