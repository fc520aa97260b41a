public import Foundation

/// A flow run or task run that did not end Completed for a reason other than an error its
/// body threw (which is thrown as it was).
///
/// Mirrors the signals of Prefect's engines (`prefect/exceptions.py`: `Abort`,
/// `TaskRunTimeoutError`/`FlowRunTimeoutError`, cancellation).
public struct PrefectRunError: Error, CustomStringConvertible, Sendable {
    /// Why the run ended; new kinds may be added.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Code: String { case aborted, timedOut, cancelled, notCompleted }
        private let code: Code

        /// The server answered ABORT to a proposed state; the run stopped.
        public static let aborted = Kind(code: .aborted)
        /// The body ran past `timeoutSeconds`; the run ended `TimedOut` (a Failed state).
        public static let timedOut = Kind(code: .timedOut)
        /// The run was cancelled, on the server or by cancelling its Swift task; it ended Cancelled.
        public static let cancelled = Kind(code: .cancelled)
        /// The server put the run in a final state other than Completed (a REJECT into it).
        public static let notCompleted = Kind(code: .notCompleted)

        public var description: String { code.rawValue }
    }

    /// Why the run ended.
    public let kind: Kind
    /// `flow run` or `task run`.
    public let runKind: String
    /// The run's id.
    public let runID: UUID
    /// The run's name.
    public let runName: String
    /// The run's last state, as the server recorded it, when known.
    public let state: State?
    /// What happened, in Prefect's words where Prefect has them.
    public let message: String

    public var description: String {
        "\(runKind.prefix(1).uppercased() + runKind.dropFirst()) '\(runName)' (\(runID.prefectString)): \(message)"
    }
}
