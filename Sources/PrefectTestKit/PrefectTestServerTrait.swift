public import PrefectClient
public import Testing

/// A Swift Testing trait that runs each test with its own embedded Prefect server; the test
/// reads its client from ``PrefectTestServer/client``.
///
/// ```swift
/// @Test(.prefectTestServer()) func retries() async throws {
///     let client = try PrefectTestServer.requireClient()
///     …
/// }
/// ```
public struct PrefectTestServerTrait: TestTrait, SuiteTrait, TestScoping {
    /// How the tests reach the server.
    public let transport: PrefectTestServerTransport

    /// Every test of a suite gets a server of its own.
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        guard testCase != nil || !test.isSuite else {
            try await function()
            return
        }
        try await withPrefectTestServer(transport) { client in
            try await PrefectTestServer.$client.withValue(client) { try await function() }
        }
    }
}

extension Trait where Self == PrefectTestServerTrait {
    /// An embedded Prefect server on a throw-away database for each test.
    public static func prefectTestServer(_ transport: PrefectTestServerTransport = .inProcess) -> Self {
        PrefectTestServerTrait(transport: transport)
    }
}

/// The client of the server a ``PrefectTestServerTrait`` gave the running test.
public enum PrefectTestServer {
    @TaskLocal public static var client: PrefectClient?

    /// The test's client; throws when the test has no `.prefectTestServer()` trait.
    public static func requireClient() throws -> PrefectClient {
        guard let client else { throw MissingTestServer() }
        return client
    }

    struct MissingTestServer: Error, CustomStringConvertible {
        var description: String { "this test has no .prefectTestServer() trait" }
    }
}
