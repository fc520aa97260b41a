import Foundation
import GRDB
import PrefectSchemas

/// A state transition being governed: Prefect's `OrchestrationContext`
/// (`prefect/server/orchestration/rules.py`).
///
/// Rules read the initial and proposed states and may change the proposal through
/// ``reject(with:reason:)``, ``delay(seconds:reason:)``, ``abort(reason:)`` and
/// ``rename(_:)``; they may also change the run itself (its policy, counters, times), which is
/// saved with the transition.
struct OrchestrationContext<Run: OrchestratedRun> {
    /// The run changing state, as it will be saved.
    var run: Run
    /// The run's state before the transition; nil for a run without a state.
    let initialState: State?
    /// What will be written; nil when no state will be written (WAIT, ABORT, REJECT keeping the current state).
    var proposedState: State?
    /// What was written (or the current state, when nothing was), set by validation.
    var validatedState: State?
    var status: SetStateStatus = .accept
    var details: OrchestrationDetails = .accept(StateAcceptDetails())
    /// The transaction the transition runs in.
    let db: Database
    /// The request's time, which rules use as "now".
    let now: Date
    /// `X-PREFECT-API-VERSION` of the request (Prefect's `api-version` orchestration parameter).
    let apiVersion: String?
    /// The Prefect client's version from the request's `User-Agent` (Prefect's `client_version`).
    let clientVersion: String?
    /// Values a rule keeps between its before and after hooks, by rule.
    var memos: [String: RuleMemo] = [:]
    /// The type the rule now running governs; moved by reject, delay and abort so the rule
    /// that changed the proposal does not fizzle itself.
    var ruleTarget: StateType?
    /// How the background task run this transition scheduled is to be handed to task workers
    /// after the commit (``EnqueueScheduledTasks``); nil for none.
    var enqueue: BackgroundTaskQueues.Lane?
    /// An error thrown by a rule's before hook; the transition was aborted because of it.
    var orchestrationError: (any Error)?
    /// A task run's flow run, read once per transition (Prefect's `context.flow_run()`).
    private var loadedFlowRun: FlowRun??

    init(run: Run, proposedState: State?, db: Database, now: Date, apiVersion: String?, clientVersion: String? = nil) {
        self.run = run
        self.initialState = run.state
        self.proposedState = proposedState
        self.db = db
        self.now = now
        self.apiVersion = apiVersion
        self.clientVersion = clientVersion
    }

    /// Whether the request came from a Prefect client that keeps concurrency leases alive
    /// (`client_version >= MIN_CLIENT_VERSION_FOR_CONCURRENCY_LIMIT_LEASING`, 3.4.11); any other
    /// client counts as 2.0.0, as in Prefect.
    var clientMaintainsLeases: Bool {
        APIVersion(clientVersion ?? "2.0.0") >= APIVersion("3.4.11")
    }

    /// Whether the request's API version is at least `version`, or absent (Prefect's
    /// `api_version is None or api_version >= Version(version)`).
    func apiVersionIsAbsentOrAtLeast(_ version: String) -> Bool {
        guard let apiVersion else { return true }
        return APIVersion(apiVersion) >= APIVersion(version)
    }

    /// Replaces the proposal with `state` (nil keeps the current state): Prefect's `reject_transition`.
    mutating func reject(with state: State?, reason: String) {
        proposedState = state
        ruleTarget = state?.type
        status = .reject
        details = .reject(StateRejectDetails(reason: reason))
    }

    /// Writes nothing and asks the client to try again in `seconds`: Prefect's `delay_transition`.
    mutating func delay(seconds: Int, reason: String) {
        proposedState = nil
        ruleTarget = nil
        status = .wait
        details = .wait(StateWaitDetails(delaySeconds: seconds, reason: reason))
    }

    /// Writes nothing and tells the client to stop: Prefect's `abort_transition`.
    mutating func abort(reason: String) {
        proposedState = nil
        ruleTarget = nil
        status = .abort
        details = .abort(StateAbortDetails(reason: reason))
    }

    /// Renames the proposed state without changing its type: Prefect's `rename_state`.
    mutating func rename(_ name: String) {
        proposedState?.name = name
    }
}

extension OrchestrationContext where Run == TaskRun {
    /// The flow run of the task run, or nil when it has none or it is gone; read on first use and
    /// shared by the rules of this transition.
    mutating func flowRun() throws -> FlowRun? {
        if let loaded = loadedFlowRun { return loaded }
        let flowRun = try run.flowRunID.flatMap { try FlowRunStore.read(db, id: $0, now: now) }
        loadedFlowRun = .some(flowRun)
        return flowRun
    }
}

/// What a rule remembers between its hooks.
enum RuleMemo {
    case pauseKey(String)
    case runCount(Int)
    case flowRunPolicy(FlowRunPolicy)
    /// A deployment slot a rule took, with its lease when it made one.
    case deploymentSlot(limitID: UUID, leaseID: UUID?)
    /// The lease on a task run's tag slots.
    case tagLease(UUID)
}

/// A dotted version such as `0.8.4`, compared number by number.
struct APIVersion: Comparable {
    let parts: [Int]

    init(_ text: String) {
        parts = text.split(separator: ".").map { Int($0.prefix { $0.isNumber }) ?? 0 }
    }

    static func < (lhs: APIVersion, rhs: APIVersion) -> Bool {
        for index in 0..<max(lhs.parts.count, rhs.parts.count) {
            let left = index < lhs.parts.count ? lhs.parts[index] : 0
            let right = index < rhs.parts.count ? rhs.parts[index] : 0
            if left != right { return left < right }
        }
        return false
    }
}
