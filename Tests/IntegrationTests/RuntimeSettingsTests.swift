import Foundation
import Prefect
import Testing

/// The runtime's settings from the environment: a count that is not a whole number keeps the
/// default (Prefect's integer settings refuse it) instead of trapping in `Int(_:)`.
@Suite("Runtime settings")
struct RuntimeSettingsTests {
    private static func configuration(_ settings: [String: String]) -> PrefectRuntime.Configuration {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("prefect-settings-\(UUID().uuidString)").path
        return PrefectRuntime.Configuration.fromEnvironment(settings.merging(["PREFECT_HOME": home]) { value, _ in value })
    }

    @Test("whole numbers are read; 1e300, NaN, fractions and negatives keep the defaults")
    func counts() {
        let defaults = PrefectRuntime.Configuration()
        let read = Self.configuration([
            "PREFECT_LOGGING_TO_API_BATCH_SIZE": "2000",
            "PREFECT_LOGGING_TO_API_MAX_LOG_SIZE": "300",
            "PREFECT_SWIFT_LOGGING_MAX_BUFFER": "4096",
            "PREFECT_TASK_RUNNER_THREAD_POOL_MAX_WORKERS": "3",
        ])
        #expect(read.logBatchBytes == 2000)
        #expect(read.maxLogBytes == 300)
        #expect(read.maxBufferedLogBytes == 4096)
        #expect(read.maxConcurrentTaskRuns == 3)
        for hostile in ["1e300", "nan", "inf", "2.5", "-4", "99999999999999999999999"] {
            let configuration = Self.configuration([
                "PREFECT_LOGGING_TO_API_BATCH_SIZE": hostile,
                "PREFECT_LOGGING_TO_API_MAX_LOG_SIZE": hostile,
                "PREFECT_SWIFT_LOGGING_MAX_BUFFER": hostile,
                "PREFECT_TASK_RUNNER_THREAD_POOL_MAX_WORKERS": hostile,
            ])
            #expect(configuration.logBatchBytes == defaults.logBatchBytes, "\(hostile)")
            #expect(configuration.maxLogBytes == defaults.maxLogBytes, "\(hostile)")
            #expect(configuration.maxBufferedLogBytes == defaults.maxBufferedLogBytes, "\(hostile)")
            #expect(configuration.maxConcurrentTaskRuns == defaults.maxConcurrentTaskRuns, "\(hostile)")
        }
        #expect(Self.configuration(["PREFECT_TASK_RUNNER_THREAD_POOL_MAX_WORKERS": "0"]).maxConcurrentTaskRuns
            == defaults.maxConcurrentTaskRuns)
    }
}
