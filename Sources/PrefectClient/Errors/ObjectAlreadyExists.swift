/// The API answered 409: an object with the same unique name or key exists (Prefect's
/// `ObjectAlreadyExists`).
public struct ObjectAlreadyExists: Error, Sendable, CustomStringConvertible {
    /// The 409 response, with the server's `detail`.
    public var httpError: PrefectHTTPStatusError

    public init(httpError: PrefectHTTPStatusError) {
        self.httpError = httpError
    }

    /// The server's `detail`.
    public var detail: String? { httpError.detail?.stringValue }

    public var description: String {
        "Object already exists: \(detail ?? "409 from \(httpError.method) \(httpError.url)")"
    }
}
