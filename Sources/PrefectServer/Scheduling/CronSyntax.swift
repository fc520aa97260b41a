import Foundation

/// Whether a cron string is one Prefect 3.9.1 accepts (`validate_cron_string`: croniter's
/// `is_valid`, without its random `R` and hashed `H` forms).
///
/// Five fields (minute, hour, day of month, month, day of week), optionally a sixth for
/// seconds as croniter reads it, or one of the `@hourly`-style aliases. A field is a list of
/// `*`, `?`, a value or a range, each with an optional `/step`; months and weekdays may be
/// names; day of month may be `L` (or end a range with it), day of week `Ln` (the last weekday
/// n of the month) or `n#k`.
enum CronSyntax {
    static let aliases: Set<String> = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]

    /// The reason Prefect gives for refusing `text`, or nil when it is valid.
    static func problem(in text: String) -> String? {
        let fields = text.split(whereSeparator: \.isWhitespace).map(String.init)
        if fields.contains(where: { ["r", "h"].contains($0.lowercased()) }) {
            return isValid(fields) ? "Random and Hashed expressions are unsupported, received: \"\(text)\"" : "Invalid cron string: \"\(text)\""
        }
        return isValid(fields) ? nil : "Invalid cron string: \"\(text)\""
    }

    private static func isValid(_ fields: [String]) -> Bool {
        if fields.count == 1, aliases.contains(fields[0].lowercased()) { return true }
        guard fields.count == 5 || fields.count == 6 else { return false }
        let ranges: [ClosedRange<Int>] = [0...59, 0...23, 1...31, 1...12, 0...7, 0...59]
        for (index, field) in fields.enumerated() {
            let names: [String: Int] = switch index {
            case 3: monthNames
            case 4: dayNames
            default: [:]
            }
            guard field.split(separator: ",", omittingEmptySubsequences: false).allSatisfy({
                isValidItem(String($0).lowercased(), range: ranges[index], names: names, field: index)
            }) else { return false }
        }
        return true
    }

    private static func isValidItem(_ item: String, range: ClosedRange<Int>, names: [String: Int], field: Int) -> Bool {
        var base = item
        if let slash = item.firstIndex(of: "/") {
            guard let step = Int(item[item.index(after: slash)...]), step > 0 else { return false }
            base = String(item[..<slash])
        }
        if base == "*" || base == "r" || base == "h" { return true }
        if base == "?" { return field == 2 || field == 4 }
        if field == 2, base == "l" { return true }
        if field == 4 {
            if base.hasPrefix("l"), value(String(base.dropFirst()), range: range, names: names) != nil { return true }
            let parts = base.split(separator: "#", omittingEmptySubsequences: false)
            if parts.count == 2 {
                guard value(String(parts[0]), range: range, names: names) != nil, let nth = Int(parts[1]) else { return false }
                return (1...5).contains(nth)
            }
        }
        let bounds = base.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        switch bounds.count {
        case 1: return value(bounds[0], range: range, names: names) != nil
        case 2:
            let upper = field == 2 && bounds[1] == "l" ? 31 : value(bounds[1], range: range, names: names)
            return value(bounds[0], range: range, names: names) != nil && upper != nil
        default: return false
        }
    }

    private static func value(_ text: String, range: ClosedRange<Int>, names: [String: Int]) -> Int? {
        if let number = Int(text) { return range.contains(number) ? number : nil }
        return names[text]
    }

    static let monthNames: [String: Int] = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    ]
    static let dayNames: [String: Int] = ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]
}
