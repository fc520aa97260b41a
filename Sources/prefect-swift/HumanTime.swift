import Foundation

/// "3 minutes ago", "in 5 seconds": Prefect's `human_friendly_diff`, for table cells.
enum HumanTime {
    static func diff(_ date: Date?, now: Date = Date()) -> String {
        guard let date else { return "" }
        let seconds = date.timeIntervalSince(now)
        let magnitude = abs(seconds)
        let (value, unit): (Int, String)
        switch magnitude {
        case ..<1: return "just now"
        case ..<60: (value, unit) = (Int(magnitude), "second")
        case ..<3_600: (value, unit) = (Int(magnitude / 60), "minute")
        case ..<86_400: (value, unit) = (Int(magnitude / 3_600), "hour")
        default: (value, unit) = (Int(magnitude / 86_400), "day")
        }
        let phrase = "\(value) \(unit)\(value == 1 ? "" : "s")"
        return seconds < 0 ? "\(phrase) ago" : "in \(phrase)"
    }
}
