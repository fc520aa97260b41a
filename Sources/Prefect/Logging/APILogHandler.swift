public import Foundation
public import Logging

/// A swift-log handler that sends each record to the Prefect API as a log of a flow run or a
/// task run, as Prefect's `APILogHandler` (`prefect/logging/handlers.py`) does.
///
/// Records are queued and sent in batches by the runtime's background worker, so logging never
/// waits for the network. Run loggers (``RunContext/logger``) carry one of these; attach one
/// to a logger of your own with ``PrefectRuntime/apiLogHandler(label:flowRunID:taskRunID:)``.
public struct APILogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level
    /// The logger name Prefect shows, e.g. `prefect.flow_runs`.
    public let label: String
    /// The run the records belong to.
    public let flowRunID: UUID?
    public let taskRunID: UUID?
    let shipper: LogShipper
    let maxMessageBytes: Int

    init(label: String, flowRunID: UUID?, taskRunID: UUID?, shipper: LogShipper, configuration: PrefectRuntime.Configuration) {
        self.label = label
        self.flowRunID = flowRunID
        self.taskRunID = taskRunID
        self.shipper = shipper
        self.logLevel = configuration.logLevel
        self.maxMessageBytes = configuration.maxLogBytes
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var message = event.message.description
        if message.utf8.count > maxMessageBytes {
            message = String(decoding: message.utf8.prefix(maxMessageBytes), as: UTF8.self)
        }
        shipper.enqueue(
            LogCreate(
                name: label, level: event.level.prefectLevel, message: message, timestamp: Date(),
                flowRunID: flowRunID, taskRunID: taskRunID))
    }
}

extension PrefectRuntime {
    /// A handler that sends records to the API as logs of the given run, through this
    /// runtime's log worker.
    public func apiLogHandler(label: String, flowRunID: UUID?, taskRunID: UUID? = nil) -> APILogHandler {
        APILogHandler(label: label, flowRunID: flowRunID, taskRunID: taskRunID, shipper: logs, configuration: configuration)
    }

    /// The logger of one run: API records, plus the console when
    /// ``Configuration/consoleLogs`` is on.
    func runLogger(label: String, runName: String, kind: String, flowRunID: UUID?, taskRunID: UUID?) -> Logger {
        let api = apiLogHandler(label: label, flowRunID: flowRunID, taskRunID: taskRunID)
        var logger: Logger
        if configuration.consoleLogs {
            var console = ConsoleLogHandler(prefix: "\(kind) '\(runName)'")
            console.logLevel = configuration.logLevel
            logger = Logger(label: label, factory: { _ in MultiplexLogHandler([api, console]) })
        } else {
            logger = Logger(label: label, factory: { _ in api })
        }
        logger.logLevel = configuration.logLevel
        return logger
    }
}
