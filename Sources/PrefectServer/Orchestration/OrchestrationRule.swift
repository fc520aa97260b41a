import PrefectSchemas

/// A rule of an orchestration policy: Prefect's `BaseOrchestrationRule`.
///
/// A rule governs the transitions from one of ``fromStates`` to one of ``toStates`` (nil
/// standing for "no state"), chosen once from the intended transition. Its before hook runs
/// if the proposal still has the intended types when its turn comes; after the state is
/// validated, its after hook runs if the proposal still has the type it left it with,
/// otherwise its cleanup runs ("fizzled") to undo what the before hook did.
protocol OrchestrationRule<Run>: Sendable {
    associatedtype Run: OrchestratedRun
    var fromStates: Set<StateType?> { get }
    var toStates: Set<StateType?> { get }
    func beforeTransition(_ context: inout OrchestrationContext<Run>) throws
    func afterTransition(_ context: inout OrchestrationContext<Run>) throws
    func cleanup(_ context: inout OrchestrationContext<Run>) throws
    /// A universal transform listed among the rules (Prefect's `BaseUniversalTransform` in a
    /// policy): its before hook always runs, and its after hook too unless a rule failed.
    var isUniversalTransform: Bool { get }
}

extension OrchestrationRule {
    var isUniversalTransform: Bool { false }
    func beforeTransition(_ context: inout OrchestrationContext<Run>) throws {}
    func afterTransition(_ context: inout OrchestrationContext<Run>) throws {}
    func cleanup(_ context: inout OrchestrationContext<Run>) throws {}
}

/// Bookkeeping that runs on every transition: Prefect's `BaseUniversalTransform`. Its hooks
/// decide for themselves what to do when nothing will be written.
protocol UniversalTransform<Run>: Sendable {
    associatedtype Run: OrchestratedRun
    func beforeTransition(_ context: inout OrchestrationContext<Run>) throws
    func afterTransition(_ context: inout OrchestrationContext<Run>) throws
}

extension UniversalTransform {
    func beforeTransition(_ context: inout OrchestrationContext<Run>) throws {}
    func afterTransition(_ context: inout OrchestrationContext<Run>) throws {}
}

/// The state-type sets Prefect's rules are declared with.
enum StateTypes {
    /// Every state type and "no state" (Prefect's `ALL_ORCHESTRATION_STATES`).
    static let all: Set<StateType?> = Set(StateType.allCases.map { Optional($0) }).union([nil])
    /// COMPLETED, FAILED, CANCELLED, CRASHED (Prefect's `TERMINAL_STATES`).
    static let terminal: Set<StateType?> = Set(StateType.terminal.map { Optional($0) })

    static func of(_ types: StateType...) -> Set<StateType?> {
        Set(types.map { Optional($0) })
    }
}

/// An ordered list of rules: Prefect's `BaseOrchestrationPolicy.priority()`.
struct OrchestrationPolicy<Run: OrchestratedRun>: Sendable {
    let rules: [any OrchestrationRule<Run>]
}
