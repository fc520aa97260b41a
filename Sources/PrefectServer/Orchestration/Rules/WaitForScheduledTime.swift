import Foundation
import PrefectSchemas

/// A run cannot start before its scheduled time: WAIT for the rest (Prefect's
/// `WaitForScheduledTime`, including its rounding: whole seconds down, plus the microseconds
/// part rounded to the nearest second).
struct WaitForScheduledTime<Run: OrchestratedRun>: OrchestrationRule {
    var fromStates: Set<StateType?> { StateTypes.of(.scheduled, .pending) }
    var toStates: Set<StateType?> { StateTypes.of(.running) }

    func beforeTransition(_ context: inout OrchestrationContext<Run>) throws {
        guard let initial = context.initialState, context.proposedState != nil,
            let scheduled = initial.stateDetails.scheduledTime
        else { return }
        let delay = Self.delaySeconds(StoredTime.micros(scheduled) - StoredTime.micros(context.now))
        if delay > 0 {
            context.delay(seconds: delay, reason: "Scheduled time is in the future")
        }
    }

    /// `floor(Δ.total_seconds()) + round(Δ.microseconds / 1e6)` for a Python `timedelta` Δ of
    /// `micros` microseconds (its microseconds part is never negative; `round` is half-to-even).
    static func delaySeconds(_ micros: Int64) -> Int {
        let wholeSeconds = Int((Double(micros) / 1_000_000).rounded(.down))
        let microsPart = ((micros % 1_000_000) + 1_000_000) % 1_000_000
        let fraction = (Double(microsPart) / 1_000_000).rounded(.toNearestOrEven)
        return wholeSeconds + Int(fraction)
    }
}
