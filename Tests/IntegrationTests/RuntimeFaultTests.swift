import Foundation
import Prefect
import PrefectClient
import PrefectTestKit
import PrefectTestSupport
import Testing

/// Exactly once behind a faulty network: the runtime through ``FaultProxy`` in front of each
/// server, checked on the server directly.
@Suite("Runtime: exactly once through a fault-injecting proxy, on every server", .serialized)
struct RuntimeFaultTests {
    /// Every fault kind, early, then at these rates.
    static let everyFaultEarly: [Int: FaultProxy.Fault] = Dictionary(
        uniqueKeysWithValues: FaultProxy.Fault.allCases.enumerated().map { (3 + 4 * $0.offset, $0.element) })
    /// Every fault kind, in the first 15 requests: task runs reported as events take about 20
    /// requests in all (their events go in batches).
    static let everyFaultFirst: [Int: FaultProxy.Fault] = Dictionary(
        uniqueKeysWithValues: FaultProxy.Fault.allCases.enumerated().map { (2 + 2 * $0.offset, $0.element) })
    static let mixedRates: [FaultProxy.Fault: Double] = [
        .tooManyRequests: 0.02, .unavailable: 0.02, .htmlBadGateway: 0.01, .dropBeforeForwarding: 0.02,
        .dropAfterForwarding: 0.03, .badGatewayAfterForwarding: 0.01, .stallAfterForwarding: 0.005,
    ]

    @Test(
        "a flow of 50 tasks with retries and logs, task runs reported as events or by REST: every run and state once, in order, no log lost",
        arguments: ServerUnderTest.withDistributed, TaskRunReporting.allCases)
    func fiftyTasks(server: ServerUnderTest, reporting: TaskRunReporting) async throws {
        try await Self.withFaultyRuntime(
            server, rates: Self.mixedRates, firstFaults: reporting == .events ? Self.everyFaultFirst : Self.everyFaultEarly,
            reporting: reporting
        ) { runtime, proxy, direct in
            let failedOnce = FailedOnce()
            let work = PrefectTask("work") { (index: Int) -> Int in
                RunContext.logger.info("work \(index)")
                return index * 1_000 + 1_007
            }
            let flaky = PrefectTask("flaky", retries: 2, retryDelaySeconds: 0.1) { (index: Int) -> Int in
                if await failedOnce.first(index) { throw PlannedFailure(description: "first try of \(index)") }
                RunContext.logger.info("flaky \(index) succeeded")
                return index
            }
            let combine = PrefectTask("combine") { (values: [Int]) -> Int in values.reduce(0, +) }
            let name = IntegrationServer.uniqueName("faulty-fifty")
            let flow = PrefectFlow(name) { () -> Int in
                RunContext.logger.info("flow starts")
                let results = try await work.map(0..<40, maxConcurrency: 8)
                let retried = try await flaky.map(100..<105)
                var sums: [Int] = []
                for chunk in stride(from: 0, to: 40, by: 8) {
                    sums.append(try await combine(Array(results[chunk..<chunk + 8])))
                }
                RunContext.logger.info("flow done")
                return sums.reduce(0, +) + retried.reduce(0, +)
            }
            let outcome = try await flow.runReturningOutcome(runtime: runtime)
            #expect(try outcome.get() == (0..<40).reduce(0) { $0 + $1 * 1_000 + 1_007 } + (100..<105).reduce(0, +))
            #expect(await runtime.flushLogs(timeout: 30))

            let flowRuns = try await direct.readFlowRuns(flowFilter: FlowFilter(name: FlowFilterName(any: [name])))
            #expect(flowRuns.map(\.id) == [outcome.flowRunID], "one flow run")
            #expect(try await RuntimeHarness.flowRunStateNames(direct, outcome.flowRunID) == ["Pending", "Running", "Completed"])
            let tasks = try await RuntimeHarness.taskRuns(direct, of: outcome)
            #expect(tasks.count == 50, "50 task runs, none twice")
            #expect(Set(tasks.map(\.id)).count == 50)
            for task in tasks {
                let states = try await direct.readTaskRunStates(taskRunID: task.id)
                let names = states.map { $0.name ?? "" }
                let expected = task.taskKey == "flaky"
                    ? ["Pending", "Running", "AwaitingRetry", "Retrying", "Completed"] : ["Pending", "Running", "Completed"]
                #expect(names == expected, "\(task.name)")
                #expect(states.map(\.timestamp) == states.map(\.timestamp).sorted(), "\(task.name) in order")
            }
            let combines = tasks.filter { $0.taskKey == "combine" }
            let workIDs = Set(tasks.filter { $0.taskKey == "work" }.map(\.id))
            #expect(combines.allSatisfy { run in
                let inputs = (run.taskInputs["input"] ?? []).compactMap { input -> UUID? in
                    if case .taskRun(let result) = input { return result.id }
                    return nil
                }
                return inputs.count == 8 && Set(inputs).isSubset(of: workIDs)
            }, "each combine lists the 8 work runs it was given")

            var logs: [Log] = []
            while true {
                let page = try await direct.readLogs(
                    logFilter: LogFilter(flowRunID: LogFilterFlowRunId(any: [outcome.flowRunID])), limit: 200, offset: logs.count)
                logs += page
                if page.count < 200 { break }
            }
            let messages = logs.map(\.message)
            let expected = (0..<40).map { "work \($0)" } + (100..<105).map { "flaky \($0) succeeded" } + ["flow starts", "flow done"]
            let missing = expected.filter { !messages.contains($0) }
            #expect(missing.isEmpty, "no log lost")
            #expect(runtime.droppedLogRecords == 0)
            let duplicated = Dictionary(grouping: messages, by: { $0 }).values.filter { $0.count > 1 }.count
            for fault in FaultProxy.Fault.allCases {
                #expect(proxy.faults[fault, default: 0] >= 1, "\(fault) was injected")
            }
            print("fault proxy (\(server), task runs by \(reporting)): \(proxy.requestCount) requests, faults \(proxy.faults.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")); 1 flow run, \(tasks.count) task runs, \(logs.count) log records (\(duplicated) messages sent twice)")
        }
    }

    @Test("200 flow runs, 3% of connections dropped after the server acted: 200 runs, none doubled", arguments: ServerUnderTest.withDistributed)
    func twoHundredFlowRuns(server: ServerUnderTest) async throws {
        try await Self.withFaultyRuntime(server, rates: [.dropAfterForwarding: 0.03], firstFaults: [1: .dropAfterForwarding]) { runtime, proxy, direct in
            let name = IntegrationServer.uniqueName("faulty-200")
            let flow = PrefectFlow(name) { (index: Int) -> Int in index }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for start in stride(from: 0, to: 200, by: 25) {
                    group.addTask {
                        for index in start..<start + 25 {
                            let result = try await flow.run(index, runtime: runtime)
                            #expect(result == index)
                        }
                    }
                }
                try await group.waitForAll()
            }
            var runs: [FlowRun] = []
            for try await run in direct.allFlowRuns(flowFilter: FlowFilter(name: FlowFilterName(any: [name]))) {
                runs.append(run)
            }
            #expect(runs.count == 200, "no duplicated flow run")
            #expect(Set(runs.compactMap { $0.parameters["input"] }).count == 200)
            #expect(runs.allSatisfy { $0.stateType == .completed })
            var doubledStates = 0
            for run in runs {
                let names = try await RuntimeHarness.flowRunStateNames(direct, run.id)
                if names != ["Pending", "Running", "Completed"] { doubledStates += 1 }
            }
            #expect(doubledStates == 0)
            print("fault proxy (\(server)): 200 flow runs, \(proxy.faults[.dropAfterForwarding, default: 0]) connections dropped after the server acted, \(runs.count) flow runs recorded, \(doubledStates) with extra states")
        }
    }

    /// A runtime whose client goes through a proxy in front of `server` (2 s request timeout,
    /// 15 retries — the stock server also answers 503 under the load of the other suites —,
    /// back-off sleeps cut to 5 %), and a direct client for checking.
    static func withFaultyRuntime(
        _ server: ServerUnderTest, rates: [FaultProxy.Fault: Double], firstFaults: [Int: FaultProxy.Fault],
        reporting: TaskRunReporting = .events, _ body: (PrefectRuntime, FaultProxy, PrefectClient) async throws -> Void
    ) async throws {
        try await withUpstream(server) { direct in
            let proxy = try await FaultProxy.start(
                upstream: try #require(URL(string: direct.apiURL)), rates: rates, firstFaults: firstFaults)
            let transport = NIOHTTP1Transport(configuration: .init(timeout: .seconds(2)))
            do {
                let http = try PrefectHTTPClient(
                    configuration: .init(
                        apiURL: proxy.apiURL, retryPolicy: RetryPolicy(maxRetries: 15, jitterFactor: 0.2),
                        csrfSupportEnabled: false),
                    transport: transport, sleeper: ScaledSleeper(factor: 0.05))
                var configuration = PrefectRuntime.Configuration()
                configuration.consoleLogs = false
                configuration.crashesRunsOnTerminationSignal = false  // see RuntimeHarness
                configuration.logBatchInterval = 0.05
                configuration.cancellationPollInterval = 0
                configuration.taskRunReporting = reporting
                let runtime = PrefectRuntime(client: PrefectClient(http: http), configuration: configuration)
                try await body(runtime, proxy, direct)
                await runtime.shutdown()
            } catch {
                try? await transport.shutdown()
                await proxy.stop()
                throw error
            }
            try? await transport.shutdown()
            await proxy.stop()
        }
    }

    /// A client straight to `server` over the network (the in-process server is served on a
    /// loopback port for this).
    static func withUpstream(_ server: ServerUnderTest, _ body: (PrefectClient) async throws -> Void) async throws {
        if server == .embedded {
            try await withPrefectTestServer(.loopback, body)
        } else {
            try await IntegrationServer.withClient(server, forRuntime: true, body)
        }
    }
}

/// Remembers which inputs already failed once.
actor FailedOnce {
    private var seen: Set<Int> = []

    /// `true` the first time `index` is asked about.
    func first(_ index: Int) -> Bool {
        seen.insert(index).inserted
    }
}
