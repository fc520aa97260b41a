import Foundation

/// How long a refused slot request is told to wait at most: Prefect's
/// `PREFECT_SERVER_TASKS_TAG_CONCURRENCY_SLOT_WAIT_SECONDS` (default 10, also read under its
/// old name `PREFECT_TASK_RUN_TAG_CONCURRENCY_SLOT_WAIT_SECONDS`) for `tag:` limits and
/// `PREFECT_SERVER_CONCURRENCY_MAXIMUM_CONCURRENCY_SLOT_WAIT_SECONDS` (default 30) for others.
struct ConcurrencyWaits: Sendable {
    var tagSeconds: Double
    var maximumSeconds: Double

    /// Read once from the environment.
    static let current = ConcurrencyWaits(environment: ProcessInfo.processInfo.environment)

    init(environment: [String: String]) {
        func seconds(_ names: [String], default value: Double) -> Double {
            for name in names {
                if let text = environment[name], let number = Double(text.trimmingCharacters(in: .whitespaces)), number >= 0 {
                    return number
                }
            }
            return value
        }
        tagSeconds = seconds(
            ["PREFECT_SERVER_TASKS_TAG_CONCURRENCY_SLOT_WAIT_SECONDS", "PREFECT_TASK_RUN_TAG_CONCURRENCY_SLOT_WAIT_SECONDS"], default: 10)
        maximumSeconds = seconds(["PREFECT_SERVER_CONCURRENCY_MAXIMUM_CONCURRENCY_SLOT_WAIT_SECONDS"], default: 30)
    }

    /// The cap for the limit called `name`.
    func maximum(forLimitNamed name: String) -> Double {
        name.hasPrefix("tag:") ? tagSeconds : maximumSeconds
    }
}
