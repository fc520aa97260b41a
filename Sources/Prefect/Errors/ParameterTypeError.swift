/// A flow run's parameters do not decode into the flow's input type — Prefect's
/// `ParameterTypeError` (`prefect/exceptions.py`), raised when pydantic rejects them.
///
/// Each problem names the parameter (a dotted path into nested values) and what was expected.
/// The run ends Failed with this error's description in its state message.
public struct ParameterTypeError: Error, CustomStringConvertible, Sendable, Equatable {
    /// One parameter that does not fit.
    public struct Problem: Sendable, Equatable {
        /// The parameter, with the path into it (`person.address.zip`).
        public let parameter: String
        /// What was expected and what was found.
        public let message: String
    }

    /// What does not fit.
    public let problems: [Problem]

    /// Prefect's wording: `Flow run received invalid parameters:` and one ` - path: message`
    /// line per problem.
    public var description: String {
        "Flow run received invalid parameters:" + problems.map { "\n - \($0.parameter): \($0.message)" }.joined()
    }
}
