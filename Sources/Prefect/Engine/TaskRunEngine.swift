import Foundation
import Logging
import PrefectClient
import PrefectSchemas

/// Runs one call of a ``PrefectTask`` as a task run, as Prefect's `AsyncTaskRunEngine`
/// (`prefect/task_engine.py`) does: the run (client-generated id, so a create sent twice is one
/// run) in Pending, Running, the body, Completed — or, after an error or a timeout,
/// AwaitingRetry then Retrying while retries remain (forced, as Prefect does), and Failed
/// (`TimedOut` for a timeout) when they are used up. Each state is reported as an event the
/// body does not wait for (the default) or proposed over REST (``TaskRunReporting``).
struct TaskRunEngine<Input: Codable & Sendable, Output: Codable & Sendable> {
    let task: PrefectTask<Input, Output>

    func run(_ input: Input) async throws -> Output {
        let runtime = RunContext.flowRun?.runtime ?? PrefectRuntime.current
        if RunContext.taskRun != nil {
            return try await runInSlot(input, runtime: runtime)
        }
        guard RunContext.flowRun == nil else {
            return try await runtime.taskRunSlots.withSlot { try await runInSlot(input, runtime: runtime) }
        }
        // Called outside any flow: no flow run's end sends its report, so it is sent before the
        // task returns (the runtime's shutdown confirms it).
        do {
            let output = try await runtime.taskRunSlots.withSlot { try await runInSlot(input, runtime: runtime) }
            await runtime.flushRunReports()
            return output
        } catch {
            await runtime.flushRunReports()
            throw error
        }
    }

    private func runInSlot(_ input: Input, runtime: PrefectRuntime) async throws -> Output {
        let flowRun = RunContext.flowRun
        let client: PrefectClient
        if let flowRun { client = flowRun.client } else { client = try await runtime.client() }
        let parameters = try RunParameters.of(input)
        let id = UUID.version4()
        let dynamicKey = UUID.version4().prefectString
        let name = "\(task.name)-\(dynamicKey.prefix(3))"
        let policy = TaskRunPolicy(
            retries: task.retries, retryDelay: task.retryDelaySeconds.policyValue, retryJitterFactor: task.retryJitterFactor)
        let taskInputs = flowRun?.taskInputs(for: parameters) ?? [:]
        let created: TaskRun
        let reporter: Reporter
        switch runtime.configuration.taskRunReporting {
        case .rest:
            created = try await client.createTaskRun(
                taskKey: task.taskKey, flowRunID: flowRun?.id, dynamicKey: dynamicKey, id: id, name: name,
                tags: task.tags, taskVersion: task.version, empiricalPolicy: policy, state: .pending(), taskInputs: taskInputs)
            reporter = .rest(StateProposer(client: client, run: .task(created.id)))
        case .events:
            // `create_local_run`: the run exists in the process first, and reaches the server
            // with its Pending event.
            let local = TaskRun(
                id: id, name: name, flowRunID: flowRun?.id, taskKey: task.taskKey, dynamicKey: dynamicKey,
                taskVersion: task.version, empiricalPolicy: policy, tags: task.tags, taskInputs: taskInputs,
                flowRunRunCount: flowRun?.runCount ?? 0, expectedStartTime: Date())
            let events = TaskRunEventReporter(run: local, queue: try runtime.taskRunEvents(client: client))
            _ = events.propose(.pending())
            created = events.run
            reporter = .events(events)
        }
        let logger = runtime.runLogger(
            label: "prefect.task_runs", runName: created.name, kind: "Task run", flowRunID: flowRun?.id,
            taskRunID: created.id)
        let caching = ResultCaching(
            task: task, configuration: runtime.configuration, parameters: parameters, flowRun: flowRun, taskRunID: created.id)
        let run = Attempts(
            engine: self, client: client, logger: logger, runID: created.id, runName: created.name, flowRun: flowRun,
            state: created.state, caching: caching, reporter: reporter)
        runtime.activeRuns.add(.task(created.id), client: client, events: reporter.events)
        defer { runtime.activeRuns.remove(.task(created.id)) }
        let scope = TaskRunScope(id: created.id, name: created.name, client: client, logger: logger)
        guard case .events = reporter, !task.tags.isEmpty else { return try await run.run(input, scope: scope) }
        // No server rule sees an event-reported run, so its tags' limits are taken here, as
        // Prefect's engine takes them: a `tag:<tag>` slot of each, leased for 60 s and renewed.
        return try await client.withConcurrency(
            task.tags.map { "tag:\($0)" }, occupy: 1, leaseDuration: 60,
            holder: ConcurrencyLeaseHolder(type: "task_run", id: created.id), suppressWarnings: true
        ) { try await run.run(input, scope: scope) }
    }

    /// Where the run's states go: proposed to the server, or taken and reported as events.
    enum Reporter: Sendable {
        case rest(StateProposer)
        case events(TaskRunEventReporter)

        /// The event reporter, when the run is reported as events.
        var events: TaskRunEventReporter? {
            guard case .events(let reporter) = self else { return nil }
            return reporter
        }

        func propose(_ state: State, force: Bool = false, currentStateID: UUID?) async throws -> StateProposer.Outcome {
            switch self {
            case .rest(let proposer): try await proposer.propose(state, force: force, currentStateID: currentStateID)
            case .events(let reporter): reporter.propose(state)
            }
        }

        func proposeShielded(_ state: State, currentStateID: UUID?) async -> StateProposer.Outcome? {
            switch self {
            case .rest(let proposer): await proposer.proposeShielded(state, currentStateID: currentStateID)
            case .events(let reporter): reporter.propose(state)
            }
        }
    }

    /// The mutable part of one task run. Unchecked: one task drives it from start to end (the
    /// tag-slot scope only moves that task's work into a closure).
    final class Attempts: @unchecked Sendable {
        let engine: TaskRunEngine
        let client: PrefectClient
        let logger: Logger
        let runID: UUID
        let runName: String
        let flowRun: FlowRunScope?
        let proposer: Reporter
        let caching: ResultCaching
        var state: State?
        var attempts = 0

        init(
            engine: TaskRunEngine, client: PrefectClient, logger: Logger, runID: UUID, runName: String,
            flowRun: FlowRunScope?, state: State?, caching: ResultCaching, reporter: Reporter
        ) {
            self.caching = caching
            self.engine = engine
            self.client = client
            self.logger = logger
            self.runID = runID
            self.runName = runName
            self.flowRun = flowRun
            self.state = state
            self.proposer = reporter
        }

        var task: PrefectTask<Input, Output> { engine.task }

        func run(_ input: Input, scope: TaskRunScope) async throws -> Output {
            do {
                try await enterRunning()
                if let hit = caching.cached(Output.self, logger: logger) {
                    return try await complete(hit.value, data: hit.metadata, name: "Cached")
                }
                while true {
                    attempts += 1
                    let body = task.body
                    let outcome = await RunContext.$taskRun.withValue(scope) {
                        await runBody(timeout: task.timeoutSeconds, watch: nil) { try await body(input) }
                    }
                    switch outcome {
                    case .returned(let output):
                        return try await complete(output, data: caching.save(output, logger: logger), name: nil)
                    case .threw(let error) where error is CancellationError || Task.isCancelled:
                        throw CancellationError()
                    case .threw(let error):
                        if try await retry(after: "exception: \(describe(error))") { continue }
                        try await propose(.failed(message: "Task run encountered an exception \(describe(error))"))
                        logger.error("Finished in state \(StateDisplay.text(state))")
                        finish()
                        throw error
                    case .timedOut:
                        let message = "Task run exceeded timeout of \(StateDisplay.seconds(task.timeoutSeconds ?? 0)) second(s)"
                        if try await retry(after: "timeout: \(message)") { continue }
                        logger.error("\(message)")
                        try await propose(State.make(.failed, name: "TimedOut", message: message))
                        finish()
                        throw PrefectRunError(
                            kind: .timedOut, runKind: "task run", runID: runID, runName: runName, state: state,
                            message: message)
                    case .cancelRequested(let state):
                        self.state = state
                        throw CancellationError()
                    }
                }
            } catch is CancellationError {
                try await recordCancelled()
                throw CancellationError()
            } catch let aborted as ProposalAborted {
                logger.error("Task run was aborted: \(aborted.reason)")
                if let state = aborted.state { self.state = state }
                finish()
                throw PrefectRunError(
                    kind: .aborted, runKind: "task run", runID: runID, runName: runName, state: aborted.state ?? state,
                    message: aborted.reason)
            }
        }

        /// Proposes Running until the run is Running; Pending and Paused answers are asked
        /// again with Prefect's growing back-off.
        private func enterRunning() async throws {
            var backoff = 0
            while true {
                let outcome = try await proposer.propose(.running(), currentStateID: state?.id)
                state = outcome.state
                if outcome.state.isRunning { return }
                guard outcome.state.isPending || outcome.state.isPaused else {
                    finish()
                    throw notCompleted(outcome.state)
                }
                backoff = min(backoff + 1, 10)
                var generator = SystemRandomNumberGenerator()
                let wait = RetryPolicy.clampedPoissonInterval(
                    average: Double(backoff), clampingFactor: 0.3, using: &generator)
                try await Task.sleep(for: .wait(seconds: wait))
            }
        }

        /// Proposes Completed (named `name`, carrying the stored result's metadata as `data`).
        private func complete(_ output: Output, data: JSONValue?, name: String?) async throws -> Output {
            let outcome = try await propose(State.make(.completed, name: name, data: data))
            finish()
            guard outcome.accepted || outcome.state.isCompleted else { throw notCompleted(outcome.state) }
            if let flowRun, let result = try? RunParameters.json(output) {
                flowRun.record(result: result, of: runID)
            }
            logger.info("Finished in state \(StateDisplay.text(state))")
            return output
        }

        /// Starts the next attempt when retries remain, as `handle_retry` does: with a delay
        /// set (a non-zero number or a non-empty list, even when this retry's entry is 0),
        /// AwaitingRetry at the delay, then Retrying once it has passed; without, Retrying at once.
        private func retry(after failure: String) async throws -> Bool {
            let retry = attempts - 1
            guard retry < task.retries else { return false }
            var delay = task.retryDelaySeconds.seconds(beforeRetry: retry)
            if let jitter = task.retryJitterFactor, jitter > 0, delay > 0 {
                var generator = SystemRandomNumberGenerator()
                delay = RetryPolicy.clampedPoissonInterval(average: delay, clampingFactor: jitter, using: &generator)
            }
            let when = task.retryDelaySeconds.isSet ? "\(StateDisplay.seconds(delay)) second(s) from now" : "immediately"
            logger.info("Task run failed with \(failure) - Retry \(retry + 1)/\(task.retries) will start \(when)")
            if task.retryDelaySeconds.isSet {
                try await propose(.awaitingRetry(at: Date().addingTimeInterval(delay)), force: true)
                try await Task.sleep(for: .wait(seconds: delay))
            }
            try await propose(.retrying(), force: true)
            return true
        }

        @discardableResult
        private func propose(_ proposed: State, force: Bool = false) async throws -> StateProposer.Outcome {
            let outcome = try await proposer.propose(proposed, force: force, currentStateID: state?.id)
            state = outcome.state
            return outcome
        }

        private func recordCancelled() async throws {
            if let outcome = await proposer.proposeShielded(.cancelled(message: "Task run was cancelled."), currentStateID: state?.id) {
                state = outcome.state
            }
            logger.info("Finished in state \(StateDisplay.text(state))")
            finish()
        }

        private func finish() {
            guard let flowRun, let state else { return }
            flowRun.finished(
                TaskRunSummary(id: runID, name: runName, taskName: task.name, state: state, attempts: attempts))
        }

        private func notCompleted(_ state: State) -> PrefectRunError {
            PrefectRunError(
                kind: state.isCancelled ? .cancelled : .notCompleted, runKind: "task run", runID: runID,
                runName: runName, state: state,
                message: "the server put the run in \(StateDisplay.text(state))\(state.message.map { ": \($0)" } ?? "")")
        }
    }
}
