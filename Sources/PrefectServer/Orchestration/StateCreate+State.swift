import Foundation
import PrefectSchemas

extension StateCreate {
    /// The full state the server records for this proposal: a new time-ordered id, the
    /// server's time, and the type's default name when none was given (Prefect's
    /// `State.model_validate(state_create)`).
    func makeState(now: Date) -> State {
        let timestamp = StoredTime.truncated(now)
        return State(
            id: UUID.version7(at: now), type: type, name: name ?? type.defaultName,
            timestamp: timestamp, message: message, stateDetails: stateDetails.withServerDefaults(type, at: timestamp), data: data)
    }
}

extension State {
    /// A copy with a new id and the current time: Prefect's `State.fresh_copy`.
    func freshCopy(now: Date) -> State {
        var copy = self
        copy.id = UUID.version7(at: now)
        copy.created = nil
        copy.updated = nil
        copy.timestamp = StoredTime.truncated(now)
        return copy
    }

    /// A new state of `type`, stamped `now`.
    static func new(_ type: StateType, name: String? = nil, message: String? = nil, details: StateDetails = StateDetails(), data: JSONValue? = nil, now: Date) -> State {
        let timestamp = StoredTime.truncated(now)
        return State(
            id: UUID.version7(at: now), type: type, name: name ?? type.defaultName, timestamp: timestamp,
            message: message, stateDetails: details.withServerDefaults(type, at: timestamp), data: data)
    }

    /// Whether the state carries a persisted result: non-empty `data` that is one (Prefect's
    /// `state.data and _has_persisted_result(state.data)`).
    var carriesPersistedResult: Bool {
        if case .object(let object)? = data, !object.isEmpty { return Self.isPersistedResult(data) }
        return false
    }

    /// Whether `data` is a persisted result: a dictionary whose `type` is not "unpersisted"
    /// (Prefect's `_has_persisted_result`).
    static func isPersistedResult(_ data: JSONValue?) -> Bool {
        guard case .object(let object)? = data else { return false }
        return object["type"] != .string("unpersisted")
    }
}

extension StateDetails {
    /// As the server's `StateDetails` and `State` fill them: `deferred` false, and a Scheduled
    /// state's missing `scheduled_time` its timestamp (`State.default_scheduled_start_time`).
    func withServerDefaults(_ type: StateType, at timestamp: Date) -> StateDetails {
        var details = self
        details.deferred = details.deferred ?? false
        if type == .scheduled, details.scheduledTime == nil { details.scheduledTime = timestamp }
        return details
    }
}
