public import PrefectClient
import Synchronization

/// Returns at once from every sleep and records how long it was asked to sleep.
public final class RecordingSleeper: RetrySleeper {
    private let recorded = Mutex<[Double]>([])

    public init() {}

    /// Every delay asked for, in seconds, in order.
    public var delays: [Double] { recorded.withLock { $0 } }

    /// Records `seconds` and returns without waiting.
    public func sleep(seconds: Double) async throws {
        recorded.withLock { $0.append(seconds) }
    }
}
