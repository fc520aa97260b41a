/// The API answered 404 for the object a call named (Prefect's `ObjectNotFound`).
public struct ObjectNotFound: Error, Sendable, CustomStringConvertible {
    /// The 404 response, with the server's `detail`.
    public var httpError: PrefectHTTPStatusError
    /// A hint for the caller, when the call has one.
    public var helpMessage: String?

    public init(httpError: PrefectHTTPStatusError, helpMessage: String? = nil) {
        self.httpError = httpError
        self.helpMessage = helpMessage
    }

    /// The server's `detail`, e.g. "Flow run not found".
    public var detail: String? { httpError.detail?.stringValue }

    public var description: String {
        let base = "Object not found: \(detail ?? "404 from \(httpError.method) \(httpError.url)")"
        return helpMessage.map { "\(base). \($0)" } ?? base
    }
}
