import Foundation
import GRDB
import PrefectSchemas

/// How the orchestration reaches a run's table: the part of ``FlowRunStore`` and
/// ``TaskRunStore`` that `set_state` needs.
protocol RunStorage {
    associatedtype Run: OrchestratedRun
    /// Writes a new run; returns the JSON stored for it.
    static func insert(_ db: Database, _ run: Run) throws -> Data
    /// Writes back a changed run; returns the JSON stored for it.
    static func save(_ db: Database, _ run: Run) throws -> Data
    static func insertState(_ db: Database, _ state: State, runID: UUID) throws
}

/// Whether the run being orchestrated is already in its table.
enum RunWrite {
    /// The run exists; it is updated when the transition changed it.
    case update
    /// The run is new (its first state, at creation); it is inserted once, after the
    /// transition, so creating a run writes its row a single time.
    case insert
}

/// What a `set_state` did.
struct SetStateOutcome<Run: OrchestratedRun>: Sendable {
    let result: OrchestrationResult
    /// The run as saved, with its estimates as of the request.
    let run: Run
    /// The JSON stored for the run when it was written (without its estimates), else nil.
    let storedBody: Data?
    /// The lane of the background task queue the run goes to once the write commits; nil for none.
    var enqueue: BackgroundTaskQueues.Lane? = nil

    /// The run's JSON for an answer: the stored bytes behind its estimates, or a fresh encoding
    /// when the run was not written. The estimates are taken when the answer is written, after
    /// the write, as Prefect's response model computes them (so a run created Running already
    /// has a run time).
    func runJSON() throws -> Data {
        var answered = run
        answered.computeEstimates(now: Date())
        guard let storedBody else { return try ServerJSON.encode(answered) }
        return RunJSON.answer(
            body: storedBody,
            estimates: RunEstimates(runTime: answered.estimatedRunTime, startTimeDelta: answered.estimatedStartTimeDelta))
    }
}

/// One transition of a flow run or task run: Prefect's `set_flow_run_state` /
/// `set_task_run_state` around ``Orchestrator``.
enum RunOrchestration {
    static func setState<Store: RunStorage>(
        _ store: Store.Type, _ db: Database, run: Store.Run, state: State, policy: OrchestrationPolicy<Store.Run>,
        global: [any UniversalTransform<Store.Run>], now: Date, apiVersion: String?, clientVersion: String? = nil, write: RunWrite
    ) throws -> SetStateOutcome<Store.Run> {
        var context = OrchestrationContext(
            run: run, proposedState: state, db: db, now: now, apiVersion: apiVersion, clientVersion: clientVersion)
        let runID = run.id
        try Orchestrator.orchestrate(&context, policy: policy, global: global) { context in
            try RunStateValidation.validate(&context) { state in
                try Store.insertState(db, state, runID: runID)
            }
        }
        if let error = context.orchestrationError { throw error }
        var storedBody: Data?
        switch write {
        case .insert:
            storedBody = try Store.insert(db, context.run)
        case .update where context.run != run:
            context.run.updated = StoredTime.truncated(now)
            storedBody = try Store.save(db, context.run)
        case .update:
            break
        }
        context.run.computeEstimates(now: now)
        return SetStateOutcome(
            result: OrchestrationResult(state: context.validatedState, status: context.status, details: context.details),
            run: context.run, storedBody: storedBody, enqueue: context.enqueue)
    }
}
