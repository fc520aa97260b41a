import Foundation
import Logging
import PrefectClient
import PrefectSchemas

/// Runs one run of a ``PrefectFlow``, as Prefect's `AsyncFlowRunEngine`
/// (`prefect/flow_engine.py`) does: create the flow run in Pending (with an idempotency key, so
/// a create sent twice is one run; inside a flow, after a tracking task run of the parent),
/// propose Running, run the body, propose Completed or Failed (`TimedOut` for a timeout). When
/// the server answers a Failed proposal with AwaitingRetry (its `RetryFailedFlows` rule), the
/// engine proposes Running again — the server WAITs it until the retry's time — and runs the
/// body again. Cancelling the calling task, or the server moving the run to Cancelling
/// (noticed by a poll), records Cancelled.
struct FlowRunEngine<Input: Codable & Sendable, Output: Codable & Sendable> {
    let flow: PrefectFlow<Input, Output>
    let runtime: PrefectRuntime

    func run(_ input: Input) async throws -> FlowRunOutcome<Output> {
        let parent = RunContext.flowRun
        let client: PrefectClient
        if let parent { client = parent.client } else { client = try await runtime.client() }
        let parameters = try RunParameters.of(input)
        var trackingTaskRun: TaskRun?
        if let parent {
            let dynamicKey = UUID.version4().prefectString
            trackingTaskRun = try await client.createTaskRun(
                taskKey: flow.name, flowRunID: parent.id, dynamicKey: dynamicKey, id: UUID.version4(),
                name: "\(flow.name)-\(dynamicKey.prefix(3))", tags: flow.tags, taskVersion: flow.version,
                state: .pending(), taskInputs: parent.taskInputs(for: parameters))
        }
        let flowID = try await runtime.flowID(named: flow.name, client: client)
        let created = try await client.createFlowRun(
            flowID: flowID, parameters: parameters, tags: flow.tags, parentTaskRunID: trackingTaskRun?.id,
            state: .pending(), flowVersion: flow.version, retries: flow.retries, retryDelay: flow.retryDelaySeconds,
            idempotencyKey: UUID.version4().prefectString)
        let logger = runtime.runLogger(
            label: "prefect.flow_runs", runName: created.name, kind: "Flow run", flowRunID: created.id, taskRunID: nil)
        logger.info("Beginning \(parent == nil ? "flow" : "subflow") run '\(created.name)' for flow '\(flow.name)'")
        let scope = FlowRunScope(
            id: created.id, name: created.name, parameters: parameters, runtime: runtime, client: client, logger: logger)
        let run = Attempts(engine: self, client: client, logger: logger, scope: scope, state: created.state)
        run.heartbeat = FlowRunHeartbeat(flowRun: created, flowName: flow.name, every: runtime.configuration.heartbeatFrequency)
        let result = await runAttempts(run, input, client: client, topLevel: parent == nil)
        if let parent, let trackingTaskRun, let state = run.state {
            if case .success(let output) = result, let value = try? RunParameters.json(output) {
                parent.record(result: value, of: trackingTaskRun.id)
            }
            parent.finished(
                TaskRunSummary(
                    id: trackingTaskRun.id, name: trackingTaskRun.name, taskName: flow.name, state: state,
                    attempts: run.attempts))
        }
        if parent == nil { await flush() }
        return run.outcome(result)
    }

    /// Runs the attempts of a run while it is registered as active (and, for a top-level run,
    /// while termination signals are watched).
    func runAttempts(_ run: Attempts, _ input: Input, client: PrefectClient, topLevel: Bool) async -> Result<Output, any Error> {
        if topLevel, runtime.configuration.crashesRunsOnTerminationSignal {
            TerminationSignals.watch(runtime)
        }
        runtime.activeRuns.add(.flow(run.scope.id), client: client)
        let result = await run.run(input)
        runtime.activeRuns.remove(.flow(run.scope.id))
        return result
    }

    /// Sends what a top-level run left queued: task-run events and logs.
    func flush() async {
        await runtime.flushRunReports()
    }

    /// The mutable part of one flow run.
    final class Attempts {
        let engine: FlowRunEngine
        let client: PrefectClient
        let logger: Logger
        let scope: FlowRunScope
        let proposer: StateProposer
        var state: State?
        var attempts = 0
        /// Whether the run is proposed Pending before Running (a run still Scheduled).
        var entersPendingFirst = false
        /// The run's heartbeats while its body runs.
        var heartbeat: FlowRunHeartbeat?

        init(engine: FlowRunEngine, client: PrefectClient, logger: Logger, scope: FlowRunScope, state: State?) {
            self.engine = engine
            self.client = client
            self.logger = logger
            self.scope = scope
            self.state = state
            self.proposer = StateProposer(client: client, run: .flow(scope.id))
        }

        var flow: PrefectFlow<Input, Output> { engine.flow }

        func outcome(_ result: Result<Output, any Error>) -> FlowRunOutcome<Output> {
            FlowRunOutcome(
                flowRunID: scope.id, flowRunName: scope.name,
                state: state ?? .pending(), result: result, taskRuns: scope.taskRuns, attempts: attempts)
        }

        /// Pending, for a run still Scheduled (made by a schedule, a deployment or the UI), as
        /// Prefect's runner and workers propose it before the engine takes over.
        private func enterPending() async throws {
            let answer = try await proposer.proposePending(currentStateID: state?.id)
            state = answer.state
            guard answer.state.isPending || answer.state.isRunning else {
                logger.info("Finished in state \(StateDisplay.text(answer.state))")
                throw runError(answer.state.isCancelled ? .cancelled : .notCompleted, "the server put the run in \(StateDisplay.text(answer.state))")
            }
        }

        /// Failed before the body ran (its parameters do not decode), as Prefect's
        /// `begin_run` fails a run whose parameters fail validation.
        func failBeforeRunning(_ message: String) async {
            _ = try? await propose(.failed(message: message))
            logger.error("Finished in state \(StateDisplay.text(state))")
        }

        func run(_ input: Input) async -> Result<Output, any Error> {
            do {
                let output = try await attemptUntilFinal(input)
                return .success(output)
            } catch is CancellationError {
                await recordCancelled(alreadyCancelling: false)
                return .failure(CancellationError())
            } catch let error as ProposalAborted {
                logger.error("Flow run was aborted: \(error.reason)")
                if let state = error.state { self.state = state }
                return .failure(runError(.aborted, error.reason))
            } catch {
                return .failure(error)
            }
        }

        private func attemptUntilFinal(_ input: Input) async throws -> Output {
            if entersPendingFirst { try await enterPending() }
            while true {
                try await enterRunning()
                attempts += 1
                scope.runCount = attempts
                let body = flow.body
                let watch = cancellationWatch()
                let beats = heartbeat.map { heartbeat in
                    Task { [client, logger] in await heartbeat.beat(client, logger: logger) }
                }
                let outcome = await RunContext.$flowRun.withValue(scope) {
                    await runBody(timeout: flow.timeoutSeconds, watch: watch) { try await body(input) }
                }
                beats?.cancel()
                switch outcome {
                case .returned(let output):
                    let answer = try await propose(.completed())
                    logger.info("Finished in state \(StateDisplay.text(state))")
                    guard answer.accepted || answer.state.isCompleted else {
                        throw runError(answer.state.isCancelled ? .cancelled : .notCompleted, "the server put the run in \(StateDisplay.text(answer.state))")
                    }
                    return output
                case .threw(let error) where error is CancellationError || Task.isCancelled:
                    throw CancellationError()
                case .threw(let error):
                    let answer = try await propose(.failed(message: "Flow run encountered an exception: \(describe(error))"))
                    if answer.state.isScheduled {
                        announceRerun(proposed: "Failed")
                        continue
                    }
                    logger.error("Finished in state \(StateDisplay.text(state))")
                    throw error
                case .timedOut:
                    let message = "Flow run exceeded timeout of \(StateDisplay.seconds(flow.timeoutSeconds ?? 0)) second(s)"
                    logger.error("\(message)")
                    let answer = try await propose(State.make(.failed, name: "TimedOut", message: message))
                    if answer.state.isScheduled {
                        announceRerun(proposed: "TimedOut")
                        continue
                    }
                    throw runError(.timedOut, message)
                case .cancelRequested(let serverState):
                    state = serverState
                    await recordCancelled(alreadyCancelling: true)
                    throw runError(.cancelled, "the flow run was cancelled on the server")
                }
            }
        }

        /// Proposes Running until the run is Running (a Pending answer is asked again after
        /// 0.2 s, as Prefect's `begin_run` does).
        private func enterRunning() async throws {
            while true {
                let answer = try await propose(.running())
                if answer.state.isRunning { return }
                guard answer.state.isPending else {
                    logger.info("Finished in state \(StateDisplay.text(answer.state))")
                    throw runError(answer.state.isCancelled ? .cancelled : .notCompleted, "the server put the run in \(StateDisplay.text(answer.state))")
                }
                try await Task.sleep(for: .milliseconds(200))
            }
        }

        private func announceRerun(proposed: String) {
            logger.info(
                "Received non-final state '\(state?.name ?? "Scheduled")' when proposing final state '\(proposed)' and will attempt to run again...")
        }

        /// Reads the run every ``PrefectRuntime/Configuration/cancellationPollInterval``
        /// seconds while the body runs; returns its state once the server moved it to
        /// Cancelling or Cancelled.
        private func cancellationWatch() -> (@Sendable () async -> State?)? {
            let interval = scope.runtime.configuration.cancellationPollInterval
            guard interval > 0 else { return nil }
            let client = self.client
            let id = scope.id
            return {
                while true {
                    do {
                        try await Task.sleep(for: .wait(seconds: interval))
                    } catch {
                        return nil
                    }
                    if let state = try? await client.readFlowRun(flowRunID: id).state,
                        state.isCancelling || state.isCancelled
                    {
                        return state
                    }
                }
            }
        }

        @discardableResult
        private func propose(_ proposed: State, force: Bool = false) async throws -> StateProposer.Outcome {
            let outcome = try await proposer.propose(proposed, force: force, currentStateID: state?.id)
            state = outcome.state
            return outcome
        }

        /// Cancelling then Cancelled, forced and shielded from the task's own cancellation, as
        /// Prefect's `handle_cancellation` does (only Cancelled when the server already says
        /// Cancelling).
        private func recordCancelled(alreadyCancelling: Bool) async {
            let message = "Flow run was cancelled."
            logger.info("\(message)")
            if state?.isCancelled == true { return }
            if !alreadyCancelling, let answer = await proposer.proposeShielded(.cancelling(message: message), currentStateID: state?.id) {
                state = answer.state
            }
            if let answer = await proposer.proposeShielded(.cancelled(message: message), currentStateID: state?.id) {
                state = answer.state
            }
            logger.info("Finished in state \(StateDisplay.text(state))")
        }

        private func runError(_ kind: PrefectRunError.Kind, _ message: String) -> PrefectRunError {
            PrefectRunError(
                kind: kind, runKind: "flow run", runID: scope.id, runName: scope.name, state: state, message: message)
        }
    }
}
