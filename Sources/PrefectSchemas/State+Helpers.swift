public import Foundation

extension StateType {
    /// Completed, Cancelled, Failed and Crashed: states a run does not leave (Prefect's
    /// `TERMINAL_STATES`).
    public static let terminal: Set<StateType> = [.completed, .cancelled, .failed, .crashed]

    /// Whether a run in this state is finished.
    public var isFinal: Bool { Self.terminal.contains(self) }

    /// The name Prefect gives a state of this type when none is set: `RUNNING` → `Running`.
    public var defaultName: String {
        let raw = rawValue.lowercased()
        return raw.prefix(1).uppercased() + raw.dropFirst()
    }
}

extension State {
    public var isScheduled: Bool { type == .scheduled }
    public var isPending: Bool { type == .pending }
    public var isRunning: Bool { type == .running }
    public var isCompleted: Bool { type == .completed }
    public var isFailed: Bool { type == .failed }
    public var isCrashed: Bool { type == .crashed }
    public var isCancelled: Bool { type == .cancelled }
    public var isCancelling: Bool { type == .cancelling }
    public var isPaused: Bool { type == .paused }
    /// Whether the run is finished (Completed, Cancelled, Failed or Crashed).
    public var isFinal: Bool { type.isFinal }

    /// A state of `type` named `name` (or the type's default name), stamped now.
    public static func make(
        _ type: StateType, name: String? = nil, message: String? = nil, data: JSONValue? = nil,
        stateDetails: StateDetails = StateDetails()
    ) -> State {
        State(type: type, name: name ?? type.defaultName, timestamp: Date(), message: message,
              stateDetails: stateDetails, data: data)
    }

    /// `Scheduled` for `scheduledTime` (default now).
    public static func scheduled(at scheduledTime: Date = Date(), name: String = "Scheduled", message: String? = nil) -> State {
        var details = StateDetails()
        details.scheduledTime = scheduledTime
        return make(.scheduled, name: name, message: message, stateDetails: details)
    }

    /// `Late`: a Scheduled state whose time has passed.
    public static func late(at scheduledTime: Date = Date(), message: String? = nil) -> State {
        scheduled(at: scheduledTime, name: "Late", message: message)
    }

    /// `AwaitingRetry`: a Scheduled state for the next attempt.
    public static func awaitingRetry(at scheduledTime: Date = Date(), message: String? = nil) -> State {
        scheduled(at: scheduledTime, name: "AwaitingRetry", message: message)
    }

    /// `AwaitingConcurrencySlot`: a Scheduled state waiting for a concurrency slot.
    public static func awaitingConcurrencySlot(at scheduledTime: Date = Date(), message: String? = nil) -> State {
        scheduled(at: scheduledTime, name: "AwaitingConcurrencySlot", message: message)
    }

    public static func pending(message: String? = nil) -> State { make(.pending, message: message) }
    public static func running(message: String? = nil) -> State { make(.running, message: message) }
    /// `Retrying`: a Running state for a later attempt.
    public static func retrying(message: String? = nil) -> State { make(.running, name: "Retrying", message: message) }
    public static func completed(message: String? = nil, data: JSONValue? = nil) -> State {
        make(.completed, message: message, data: data)
    }
    public static func failed(message: String? = nil, data: JSONValue? = nil) -> State {
        make(.failed, message: message, data: data)
    }
    public static func crashed(message: String? = nil) -> State { make(.crashed, message: message) }
    public static func cancelling(message: String? = nil) -> State { make(.cancelling, message: message) }
    public static func cancelled(message: String? = nil) -> State { make(.cancelled, message: message) }

    /// `Paused`, optionally until `timeout` and under `pauseKey`.
    public static func paused(
        until timeout: Date? = nil, reschedule: Bool = false, pauseKey: String? = nil, name: String = "Paused",
        message: String? = nil
    ) -> State {
        var details = StateDetails()
        details.pauseTimeout = timeout
        details.pauseReschedule = reschedule
        details.pauseKey = pauseKey
        return make(.paused, name: name, message: message, stateDetails: details)
    }

    /// `Suspended`: a Paused state that gives up its infrastructure.
    public static func suspended(until timeout: Date? = nil, pauseKey: String? = nil, message: String? = nil) -> State {
        paused(until: timeout, reschedule: true, pauseKey: pauseKey, name: "Suspended", message: message)
    }

    /// The body a client proposes to the server (Prefect's `State.to_state_create`).
    public func toStateCreate() -> StateCreate {
        StateCreate(type: type, name: name, message: message, stateDetails: stateDetails, data: data)
    }
}
