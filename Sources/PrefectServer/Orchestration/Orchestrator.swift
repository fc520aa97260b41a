import GRDB
import PrefectSchemas

/// Runs a policy and the global bookkeeping over one transition, the way Prefect's
/// `set_flow_run_state` / `set_task_run_state` nest the rules in an `AsyncExitStack`:
/// before hooks in priority order, then validation, then after hooks (or cleanups of fizzled
/// rules) in reverse order, universal transforms innermost.
enum Orchestrator {
    private struct Entered<Run: OrchestratedRun> {
        let rule: any OrchestrationRule<Run>
        /// The target type the rule ended its before hook with.
        let target: StateType?
        let invalidOnEntry: Bool
    }

    /// Governs `context` by `policy` and `global`, writing the validated state with `validate`.
    static func orchestrate<Run>(
        _ context: inout OrchestrationContext<Run>,
        policy: OrchestrationPolicy<Run>,
        global: [any UniversalTransform<Run>],
        validate: (inout OrchestrationContext<Run>) throws -> Void
    ) throws {
        let from = context.initialState?.type
        let to = context.proposedState?.type
        var entered: [Entered<Run>] = []
        entered.reserveCapacity(policy.rules.count)
        for rule in policy.rules {
            let governs = rule.fromStates.contains(from) && rule.toStates.contains(to)
            let invalid = !rule.isUniversalTransform
                && (!governs || context.initialState?.type != from || context.proposedState?.type != to)
            var target = to
            if !invalid {
                context.ruleTarget = to
                do {
                    try rule.beforeTransition(&context)
                } catch {
                    context.abort(reason: "Aborting orchestration due to error in \(type(of: rule)): !\(error)")
                    context.orchestrationError = error
                }
                target = context.ruleTarget
            }
            entered.append(Entered(rule: rule, target: target, invalidOnEntry: invalid))
        }
        for transform in global {
            try transform.beforeTransition(&context)
        }
        try validate(&context)
        if context.orchestrationError == nil {
            for transform in global.reversed() {
                try transform.afterTransition(&context)
            }
        }
        for item in entered.reversed() where !item.invalidOnEntry {
            if item.rule.isUniversalTransform {
                if context.orchestrationError == nil { try item.rule.afterTransition(&context) }
                continue
            }
            let fizzled = context.initialState?.type != from || context.proposedState?.type != item.target
            if fizzled {
                try item.rule.cleanup(&context)
            } else {
                try item.rule.afterTransition(&context)
            }
        }
    }
}
