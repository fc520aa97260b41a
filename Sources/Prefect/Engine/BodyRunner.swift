import Foundation
import PrefectClient
import PrefectSchemas

/// How a run's body ended.
enum BodyOutcome<Output: Sendable>: Sendable {
    case returned(Output)
    case threw(any Error)
    /// It ran past its timeout and was cancelled.
    case timedOut
    /// The server moved the run to this state (Cancelling or Cancelled) and the body was cancelled.
    case cancelRequested(State)
}

/// Runs a body as a child task beside its timeout and its cancellation watch; whichever ends
/// first wins, and the others are cancelled and awaited (structured concurrency: nothing
/// outlives the run). A body that ignores cancellation keeps the run going until it returns.
func runBody<Output: Sendable>(
    timeout: Double?,
    watch: (@Sendable () async -> State?)?,
    _ body: @escaping @Sendable () async throws -> Output
) async -> BodyOutcome<Output> {
    await withTaskGroup(of: BodyOutcome<Output>?.self) { group in
        group.addTask {
            do {
                return .returned(try await body())
            } catch {
                return .threw(error)
            }
        }
        if let timeout {
            group.addTask {
                do {
                    try await Task.sleep(for: .wait(seconds: timeout))
                } catch {
                    return nil
                }
                return .timedOut
            }
        }
        if let watch {
            group.addTask {
                guard let state = await watch() else { return nil }
                return .cancelRequested(state)
            }
        }
        var first: BodyOutcome<Output>?
        for await outcome in group {
            guard let outcome else { continue }
            first = outcome
            group.cancelAll()
            break
        }
        group.cancelAll()
        return first ?? .threw(CancellationError())
    }
}

/// Runs `work` so that cancelling the calling task does not stop it: the engines use it to
/// record Cancelled or Crashed after the run's own task was cancelled (Prefect shields the
/// same calls with `CancelScope(shield=True)`).
func shielded<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
    try await Task { try await work() }.value
}

/// `Type: description`, as Prefect's `format_exception` writes an exception without traceback.
func describe(_ error: any Error) -> String {
    "\(type(of: error)): \(error)"
}

/// A run's parameters: the members of its input when that encodes as a JSON object, else
/// `{"input": value}`.
enum RunParameters {
    static func of<Input: Encodable>(_ input: Input) throws -> JSONObject {
        let value = try json(input)
        if case .object(let members) = value { return members }
        return ["input": value]
    }

    static func json<Value: Encodable>(_ value: Value) throws -> JSONValue {
        try PrefectJSON.decode(JSONValue.self, from: PrefectJSON.encode(value))
    }
}
