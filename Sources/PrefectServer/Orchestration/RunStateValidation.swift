import PrefectSchemas

/// Prefect's `validate_proposed_state`: writes the proposed state and makes it the run's
/// current state (with `SetRunStateTimestamp`'s effect, since the run's state timestamp is
/// its state's); with no proposal, the current state is the answer.
enum RunStateValidation {
    static func validate<Run: OrchestratedRun>(
        _ context: inout OrchestrationContext<Run>, insert: (State) throws -> Void
    ) throws {
        guard let proposed = context.proposedState else {
            context.validatedState = context.run.state
            return
        }
        try insert(proposed)
        context.run.state = proposed
        context.run.stateID = proposed.id
        context.validatedState = proposed
    }
}
