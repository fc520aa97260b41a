/// The server refused to delete a protected block type, one Prefect itself registers (Prefect's
/// `ProtectedBlockError`).
public struct ProtectedBlockError: Error, Sendable, CustomStringConvertible {
    /// The 403 response, with the server's `detail`.
    public var httpError: PrefectHTTPStatusError

    public init(httpError: PrefectHTTPStatusError) {
        self.httpError = httpError
    }

    public var description: String { "Protected block types cannot be deleted." }
}
