import PrefectClient

/// How Prefect writes things in its engine's log lines.
enum StateDisplay {
    /// `Completed()` or `Failed('message')`.
    static func text(_ state: State?) -> String {
        guard let state else { return "Unknown()" }
        let name = state.name ?? state.type.defaultName
        guard let message = state.message, !message.isEmpty else { return "\(name)()" }
        return "\(name)('\(message)')"
    }

    /// `2` for 2.0, `2.5` for 2.5.
    static func seconds(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
