import Foundation

/// RRule strings as Prefect 3.9.1 stores them (`validate_rrule_string` and
/// `normalize_rrule_string` in `prefect/_internal/schemas/validators.py`).
enum RRuleText {
    /// Prefect's longest accepted rrule string (`MAX_RRULE_LENGTH`).
    static let maximumLength = 6500
    /// The anchor dateutil takes when a rule has no `DTSTART` (`DEFAULT_RRULE_ANCHOR`, 2020-01-01).
    static let legacyAnchor = Date(timeIntervalSince1970: 1_577_836_800)

    private static let frequencies: Set<String> = ["YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY"]

    /// The rule lines of `text`: `RRULE:`-prefixed or bare `FREQ=…` lines.
    private static func ruleLines(_ text: String) -> [Substring] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let upper = line.uppercased()
            if upper.hasPrefix("RRULE:") { return line.dropFirst(6) }
            if !upper.contains(":") { return line[...] }
            return nil
        }
    }

    private static func parts(_ rule: Substring) -> [String: String] {
        var parts: [String: String] = [:]
        for part in rule.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            parts[pair[0].uppercased()] = String(pair[1])
        }
        return parts
    }

    /// The reason Prefect refuses `text`, or nil when it is a rule (or set) dateutil reads.
    static func problem(in text: String) -> String? {
        let lines = text.split(whereSeparator: \.isNewline)
        let rules = ruleLines(text)
        let hasDates = lines.contains { $0.uppercased().hasPrefix("RDATE") }
        guard !lines.isEmpty, !rules.isEmpty || hasDates else { return "Invalid RRule string \"\(text)\": unsupported property" }
        for rule in rules {
            let parts = parts(rule)
            guard let frequency = parts["FREQ"]?.uppercased(), frequencies.contains(frequency) else {
                return "Invalid RRule string \"\(text)\": invalid FREQ"
            }
            if let interval = parts["INTERVAL"], Int(interval).map({ $0 > 0 }) != true {
                return "Invalid RRule string \"\(text)\": invalid INTERVAL"
            }
            if let count = parts["COUNT"], Int(count) == nil { return "Invalid RRule string \"\(text)\": invalid COUNT" }
        }
        if text.count > maximumLength {
            return "Invalid RRule string \"\(text.prefix(40))...\"\nMax length is \(maximumLength), got \(text.count)"
        }
        return nil
    }

    /// `normalize_rrule_string`: a rule without `DTSTART` gets one — for a `SECONDLY` or
    /// `MINUTELY` rule without `COUNT` the latest phase-equivalent instant at or before `now`
    /// (wall clock in `timezone`), for every other rule Prefect's legacy 2020-01-01 anchor.
    static func normalized(_ text: String, timezone: String?, now: Date) -> String {
        guard !text.uppercased().contains("DTSTART") else { return text }
        let rules = ruleLines(text)
        let lines = text.split(whereSeparator: \.isNewline)
        guard rules.count == 1, lines.count == 1 else { return prepend(legacyAnchor, to: text) }
        let parts = parts(rules[0])
        let unit: Double
        switch parts["FREQ"]?.uppercased() {
        case "SECONDLY"?: unit = 1
        case "MINUTELY"?: unit = 60
        default: return prepend(legacyAnchor, to: text)
        }
        guard parts["COUNT"] == nil else { return prepend(legacyAnchor, to: text) }
        let period = unit * Double(parts["INTERVAL"].flatMap(Int.init) ?? 1)
        let zone = timezone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(secondsFromGMT: 0) ?? .current
        let wallNow = now.addingTimeInterval(Double(zone.secondsFromGMT(for: now)))
        let elapsed = wallNow.timeIntervalSince(legacyAnchor)
        guard elapsed > 0 else { return prepend(legacyAnchor, to: text) }
        let steps = (elapsed / period).rounded(.down)
        return prepend(legacyAnchor.addingTimeInterval(steps * period), to: text)
    }

    /// `DTSTART:YYYYMMDDTHHMMSS` (floating, the wall clock of `wall` read as UTC) before `text`.
    private static func prepend(_ wall: Date, to text: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? .current
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: wall)
        let stamp = String(
            format: "%04d%02d%02dT%02d%02d%02d", parts.year ?? 2020, parts.month ?? 1, parts.day ?? 1,
            parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
        return "DTSTART:\(stamp)\n\(text)"
    }
}
