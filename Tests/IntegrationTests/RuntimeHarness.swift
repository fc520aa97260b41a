import Foundation
import Prefect
import PrefectClient
import Synchronization
import Testing

/// Runs flows on one server of the shared suites through a runtime of its own: console logs
/// off, logs shipped every 50 ms, the cancellation poll every 200 ms.
enum RuntimeHarness {
    static func withRuntime(
        _ server: ServerUnderTest,
        configure: (inout PrefectRuntime.Configuration) -> Void = { _ in },
        _ body: (PrefectRuntime, PrefectClient) async throws -> Void
    ) async throws {
        try await IntegrationServer.withClient(server, forRuntime: true) { client in
            try await withRuntime(client: client, configure: configure, body)
        }
    }

    /// The same runtime over a client the test made (through a proxy, say).
    static func withRuntime(
        client: PrefectClient,
        configure: (inout PrefectRuntime.Configuration) -> Void = { _ in },
        _ body: (PrefectRuntime, PrefectClient) async throws -> Void
    ) async throws {
        var configuration = PrefectRuntime.Configuration()
        configuration.consoleLogs = false
        // The test process must not take SIGINT/SIGTERM over: the children it spawns would
        // inherit the ignored dispositions (the signal tests send them).
        configuration.crashesRunsOnTerminationSignal = false
        configuration.logBatchInterval = 0.05
        configuration.cancellationPollInterval = 0.2
        configure(&configuration)
        let runtime = PrefectRuntime(client: client, configuration: configuration)
        do {
            try await body(runtime, client)
        } catch {
            await runtime.shutdown()
            throw error
        }
        await runtime.shutdown()
    }

    /// The names of a flow run's states, oldest first, as the server recorded them.
    static func flowRunStateNames(_ client: PrefectClient, _ id: UUID) async throws -> [String] {
        try await client.readFlowRunStates(flowRunID: id).map { $0.name ?? $0.type.rawValue }
    }

    /// The names of a task run's states, oldest first, as the server recorded them.
    static func taskRunStateNames(_ client: PrefectClient, _ id: UUID) async throws -> [String] {
        try await client.readTaskRunStates(taskRunID: id).map { $0.name ?? $0.type.rawValue }
    }

    /// The names of a task run's states once they are `expected`, waiting up to 60 s (else the
    /// last read): a stock server's recorder stores an event-reported run's states as it works
    /// through the events, and under load the run can show its final state while an earlier
    /// one is not yet stored.
    static func taskRunStateNames(_ client: PrefectClient, _ id: UUID, settlingOn expected: [String]) async throws -> [String] {
        var names: [String] = []
        for _ in 0..<240 {
            names = try await taskRunStateNames(client, id)
            if names == expected { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        return names
    }

    /// Expects a task run's states to settle on `expected` (``taskRunStateNames(_:_:settlingOn:)``).
    static func expectTaskRunStates(
        _ client: PrefectClient, _ id: UUID, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        #expect(try await taskRunStateNames(client, id, settlingOn: expected) == expected, sourceLocation: sourceLocation)
    }

    /// The task runs of a flow run, by name.
    static func taskRuns(_ client: PrefectClient, of flowRunID: UUID) async throws -> [TaskRun] {
        try await client.readTaskRuns(flowRunFilter: FlowRunFilter(id: FlowRunFilterId(any: [flowRunID])), sort: .expectedStartTimeAsc)
    }

    /// The task runs of a flow run once the server shows every run `outcome` lists in the
    /// state it ended in, waiting up to 60 s: task runs reported as events (the default) reach
    /// a server's tables a moment after the flow returns — on a stock server loaded by other
    /// tests, many seconds after (its recorder works through the events in order).
    static func taskRuns<Output>(_ client: PrefectClient, of outcome: FlowRunOutcome<Output>) async throws -> [TaskRun] {
        let ended = Dictionary(outcome.taskRuns.map { ($0.id, $0.state.id) }, uniquingKeysWith: { first, _ in first })
        var tasks: [TaskRun] = []
        for _ in 0..<240 {
            tasks = try await taskRuns(client, of: outcome.flowRunID)
            let shown = Dictionary(tasks.map { ($0.id, $0.stateID) }, uniquingKeysWith: { first, _ in first })
            if ended.allSatisfy({ shown[$0.key] == $0.value }) { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        return tasks
    }

    /// The task runs of a flow run once `count` of them are Completed, waiting up to 20 s: a
    /// server records event-reported runs a moment after the events arrive.
    static func completedTaskRuns(_ client: PrefectClient, of flowRunID: UUID, count: Int) async throws -> [TaskRun] {
        var tasks: [TaskRun] = []
        for _ in 0..<80 {
            tasks = try await taskRuns(client, of: flowRunID)
            if tasks.count == count, tasks.allSatisfy({ $0.stateType == .completed }) { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        return tasks
    }
}

/// An error a test body throws on purpose.
struct PlannedFailure: Error, CustomStringConvertible {
    let description: String
}

/// Counts calls across concurrent tasks.
/// How long a body ran, from its first line until it returned, threw or was cancelled; it
/// does not count the server calls around it, so it holds on a loaded server.
final class BodyStopwatch: Sendable {
    private let elapsed = Mutex<Duration?>(nil)

    func time<T>(_ body: () async throws -> T) async rethrows -> T {
        let started = ContinuousClock.now
        defer { elapsed.withLock { $0 = ContinuousClock.now - started } }
        return try await body()
    }

    var measured: Duration? { elapsed.withLock { $0 } }
}

actor CallCounter {
    private(set) var calls = 0
    private(set) var running = 0
    private(set) var mostAtOnce = 0

    func next() -> Int {
        calls += 1
        return calls
    }

    func enter() {
        running += 1
        mostAtOnce = max(mostAtOnce, running)
    }

    func leave() {
        running -= 1
    }

    /// Waits (at most 10 s) until another caller is inside too; sequential callers would all
    /// wait the full time and never see company.
    func waitForCompany() async {
        let deadline = ContinuousClock.now + .seconds(10)
        while mostAtOnce < 2, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}
