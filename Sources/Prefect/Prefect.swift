// The runtime travels with the client and the models: `import Prefect` is enough to declare
// flows and tasks, and to call any API method on `PrefectRuntime.shared.client()`.
@_exported public import PrefectClient
// Run loggers are swift-log `Logger`s: their methods come with the runtime.
@_exported public import Logging

/// The input of a flow or a task that takes none; its parameters are `{}`.
///
/// ```swift
/// let hello = PrefectFlow("hello") { () async throws -> String in "hi" }
/// try await hello()
/// ```
public struct NoParameters: Codable, Sendable, Hashable {
    public init() {}
}
