import Foundation
import Prefect
import PrefectClient
import Testing

@Suite("Runtime: persisted results and the cache, on every server")
struct RuntimeCacheTests {
    /// A runtime whose result store is a fresh folder.
    static func withCachingRuntime(
        _ server: ServerUnderTest, _ body: (PrefectRuntime, PrefectClient, URL) async throws -> Void
    ) async throws {
        let storage = FileManager.default.temporaryDirectory.appendingPathComponent("results-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: storage) }
        try await RuntimeHarness.withRuntime(server, configure: { $0.localStoragePath = storage.path }) { runtime, client in
            try await body(runtime, client, storage)
        }
    }

    @Test("a cache hit ends Cached without running the body; after the expiration the body runs again", arguments: ServerUnderTest.withDistributed)
    func hitAndExpiry(server: ServerUnderTest) async throws {
        try await Self.withCachingRuntime(server) { runtime, client, storage in
            let counter = CallCounter()
            let lookup = PrefectTask("lookup", cachePolicy: .inputs, cacheExpiration: 600) { (city: String) -> [String: Int] in
                ["calls": await counter.next(), "length": city.count]
            }
            let flow = PrefectFlow(IntegrationServer.uniqueName("cache")) { (city: String) -> [String: Int] in try await lookup(city) }

            let first = try await flow.runReturningOutcome("Trondheim", runtime: runtime)
            #expect(try first.get() == ["calls": 1, "length": 9])
            let firstTask = try #require(try await RuntimeHarness.taskRuns(client, of: first).first)
            try await RuntimeHarness.expectTaskRunStates(client, firstTask.id, ["Pending", "Running", "Completed"])
            let stored = try #require(try await client.readTaskRun(taskRunID: firstTask.id).state?.data)
            let storageKey = try #require(stored["storage_key"]?.stringValue)
            #expect(storageKey.hasPrefix(storage.path))
            #expect(stored["serializer"]?["type"] == "json")
            #expect(FileManager.default.fileExists(atPath: storageKey))

            let second = try await flow.runReturningOutcome("Trondheim", runtime: runtime)
            #expect(try second.get() == ["calls": 1, "length": 9], "the stored result, not a new call")
            let secondTask = try #require(try await RuntimeHarness.taskRuns(client, of: second).first)
            try await RuntimeHarness.expectTaskRunStates(client, secondTask.id, ["Pending", "Running", "Cached"])
            #expect(try await client.readTaskRun(taskRunID: secondTask.id).stateType == .completed)
            #expect(await counter.calls == 1)

            let other = try await flow.runReturningOutcome("Oslo", runtime: runtime)
            #expect(try other.get() == ["calls": 2, "length": 4], "other inputs, other key")

            let brief = PrefectTask("brief", cachePolicy: .inputs, cacheExpiration: 1) { (city: String) -> [String: Int] in
                ["calls": await counter.next(), "length": city.count]
            }
            let briefFlow = PrefectFlow(IntegrationServer.uniqueName("cache-brief")) { (city: String) -> [String: Int] in try await brief(city) }
            let stored1 = try await briefFlow.run("Bergen", runtime: runtime)
            #expect(stored1 == ["calls": 3, "length": 6])
            try await Task.sleep(for: .seconds(1.5))
            let expired = try await briefFlow.runReturningOutcome("Bergen", runtime: runtime)
            #expect(try expired.get() == ["calls": 4, "length": 6], "expired: the body ran again")
            let expiredTask = try #require(try await RuntimeHarness.taskRuns(client, of: expired).first)
            try await RuntimeHarness.expectTaskRunStates(client, expiredTask.id, ["Pending", "Running", "Completed"])
        }
    }

    @Test("refreshCache runs the body and stores anew; persistResult false never caches", arguments: ServerUnderTest.withDistributed)
    func refreshAndNoPersistence(server: ServerUnderTest) async throws {
        try await Self.withCachingRuntime(server) { runtime, client, _ in
            let counter = CallCounter()
            let cached = PrefectTask("count", cachePolicy: .inputs) { (_: String) -> Int in await counter.next() }
            let refreshing = PrefectTask("count", cachePolicy: .inputs, refreshCache: true) { (_: String) -> Int in await counter.next() }
            let unpersisted = PrefectTask("count", cachePolicy: .inputs, persistResult: false) { (_: String) -> Int in await counter.next() }
            let flow = PrefectFlow(IntegrationServer.uniqueName("refresh")) { (which: String) -> Int in
                switch which {
                case "refresh": try await refreshing("same input")
                case "unpersisted": try await unpersisted("same input")
                default: try await cached("same input")
                }
            }
            let result1 = try await flow.run("cached", runtime: runtime)
            #expect(result1 == 1)
            let result2 = try await flow.run("cached", runtime: runtime)
            #expect(result2 == 1)
            let result3 = try await flow.run("refresh", runtime: runtime)
            #expect(result3 == 2)
            let result4 = try await flow.run("cached", runtime: runtime)
            #expect(result4 == 2, "the refreshed result was stored")
            let result5 = try await flow.run("unpersisted", runtime: runtime)
            #expect(result5 == 3)
            let result6 = try await flow.run("unpersisted", runtime: runtime)
            #expect(result6 == 4)
        }
    }

    @Test("a stored result that no longer decodes as the result type runs the body instead of failing", arguments: ServerUnderTest.withDistributed)
    func undecodableResult(server: ServerUnderTest) async throws {
        try await Self.withCachingRuntime(server) { runtime, client, _ in
            let counter = CallCounter()
            let asNumber = PrefectTask("shape", cachePolicy: .inputs) { (_: String) -> Int in 1_000 + (await counter.next()) }
            let asWords = PrefectTask("shape", cachePolicy: .inputs) { (_: String) -> [String] in ["call \(await counter.next())"] }
            let numbers = PrefectFlow(IntegrationServer.uniqueName("shape-number")) { () -> Int in try await asNumber("key") }
            let words = PrefectFlow(IntegrationServer.uniqueName("shape-words")) { () -> [String] in try await asWords("key") }
            let result7 = try await numbers.run(runtime: runtime)
            #expect(result7 == 1_001)
            let outcome = try await words.runReturningOutcome(runtime: runtime)
            #expect(try outcome.get() == ["call 2"], "the Int record was not taken for [String]")
            let task = try #require(try await RuntimeHarness.taskRuns(client, of: outcome).first)
            try await RuntimeHarness.expectTaskRunStates(client, task.id, ["Pending", "Running", "Completed"])
            let result8 = try await words.run(runtime: runtime)
            #expect(result8 == ["call 2"], "now cached as [String]")
        }
    }

    @Test("the default policy reuses a result within one flow run only", arguments: ServerUnderTest.withDistributed)
    func defaultPolicyWithinRun(server: ServerUnderTest) async throws {
        try await Self.withCachingRuntime(server) { runtime, _, _ in
            let counter = CallCounter()
            let step = PrefectTask("step", persistResult: true) { (_: Int) -> Int in await counter.next() }
            let flow = PrefectFlow(IntegrationServer.uniqueName("default-policy")) { () -> [Int] in
                [try await step(5_000), try await step(5_000), try await step(6_000)]
            }
            let result9 = try await flow.run(runtime: runtime)
            #expect(result9 == [1, 1, 2])
            let result10 = try await flow.run(runtime: runtime)
            #expect(result10 == [3, 3, 4], "a new flow run, new keys")
        }
    }
}
