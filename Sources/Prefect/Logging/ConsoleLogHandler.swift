import Foundation
import Logging

/// Prints run log records to standard error the way Prefect's console handler formats them:
/// `12:00:01.123 | INFO    | Flow run 'brave-otter' - message`.
struct ConsoleLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .info
    let prefix: String

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let line = "\(Self.clock()) | \(Self.name(event.level).padding(toLength: 7, withPad: " ", startingAt: 0)) | \(prefix) - \(event.message)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func name(_ level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: "DEBUG"
        case .info, .notice: "INFO"
        case .warning: "WARNING"
        case .error: "ERROR"
        case .critical: "CRITICAL"
        }
    }

    private static func clock() -> String {
        let now = Date().timeIntervalSince1970
        let whole = now.rounded(.down)
        var seconds = time_t(whole)
        var parts = tm()
        localtime_r(&seconds, &parts)
        let millis = min(999, Int((now - whole) * 1_000))
        return String(format: "%02d:%02d:%02d.%03d", parts.tm_hour, parts.tm_min, parts.tm_sec, millis)
    }
}
