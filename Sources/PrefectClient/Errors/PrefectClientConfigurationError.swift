/// A setting or argument the client cannot work with, naming the setting.
public struct PrefectClientConfigurationError: Error, Sendable, CustomStringConvertible, Hashable {
    /// The setting, e.g. `PREFECT_CLIENT_MAX_RETRIES`.
    public var setting: String
    /// What is wrong with it (never the value of a secret).
    public var message: String

    public init(setting: String, message: String) {
        self.setting = setting
        self.message = message
    }

    public var description: String { "Invalid \(setting): \(message)" }
}
