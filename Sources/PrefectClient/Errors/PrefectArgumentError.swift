/// An argument the client refuses before sending anything, e.g. a flow-run input key with
/// characters Prefect does not allow.
public struct PrefectArgumentError: Error, Sendable, CustomStringConvertible, Hashable {
    /// The argument's name.
    public var argument: String
    /// What is wrong with it.
    public var message: String

    public init(argument: String, message: String) {
        self.argument = argument
        self.message = message
    }

    public var description: String { "Invalid \(argument): \(message)" }
}
