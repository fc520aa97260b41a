import Foundation

/// The dates of a `CronSchedule` (Prefect 3.9.1's `_get_dates_whenever` over croniter): the
/// wall times the expression matches in the schedule's zone, after `start`, each resolved to an
/// instant (a repeated time once, at its first occurrence; a skipped time moved forward by the
/// gap), without duplicates.
///
/// Fields: minute, hour, day of month, month, day of week (`0`–`7`, names), and croniter's
/// optional sixth field of seconds; lists, ranges, steps, `L` (last day of the month, also as a
/// range's end), `Ln` (last weekday n of the month), `n#k` (k-th weekday n). With `day_or` a restricted day of
/// month and a restricted day of week match either (cron's rule), without it both.
struct CronDates {
    private let minutes: Set<Int>
    private let hours: Set<Int>
    private let seconds: Set<Int>
    private let months: Set<Int>
    private let daysOfMonth: DayField
    private let daysOfWeek: DayField
    private let dayOr: Bool
    private let zone: TimeZone

    /// Prefect's `MAX_ITERATIONS`.
    static let maximumIterations = 1000

    private struct DayField {
        var values: Set<Int> = []
        var lastDay = false
        var lastWeekdays: Set<Int> = []
        var nthWeekdays: Set<[Int]> = []
        var isWildcard = false
    }

    init?(cron: String, timezone: String?, dayOr: Bool) {
        guard CronSyntax.problem(in: cron) == nil, let zone = TimeZone(identifier: timezone ?? "UTC") else { return nil }
        var fields = cron.split(whereSeparator: \.isWhitespace).map { $0.lowercased() }
        if fields.count == 1 {
            fields = switch fields[0] {
            case "@yearly", "@annually": ["0", "0", "1", "1", "*"]
            case "@monthly": ["0", "0", "1", "*", "*"]
            case "@weekly": ["0", "0", "*", "*", "0"]
            case "@daily", "@midnight": ["0", "0", "*", "*", "*"]
            default: ["0", "*", "*", "*", "*"]
            }
        }
        guard let minutes = Self.values(fields[0], 0...59, [:]), let hours = Self.values(fields[1], 0...23, [:]),
            let months = Self.values(fields[3], 1...12, CronSyntax.monthNames)
        else { return nil }
        let seconds = fields.count == 6 ? Self.values(fields[5], 0...59, [:]) : [0]
        guard let seconds, let dom = Self.dayField(fields[2], 1...31, [:], weekday: false),
            let dow = Self.dayField(fields[4], 0...7, CronSyntax.dayNames, weekday: true)
        else { return nil }
        self.minutes = minutes
        self.hours = hours
        self.seconds = seconds
        self.months = months
        daysOfMonth = dom
        daysOfWeek = dow
        self.dayOr = dayOr
        self.zone = zone
    }

    /// Up to `count` dates on or after `start` and not after `end`.
    func dates(count: Int, start: Date, end: Date?) -> [Date] {
        let hasFraction = start.timeIntervalSince1970 != start.timeIntervalSince1970.rounded(.down)
        // croniter's next time strictly after `start_naive`, i.e. on or after `start` (at whole seconds).
        var after = WallClock(start, in: zone).adding(seconds: hasFraction ? 0 : -1)
        var seen = Set<Date>()
        var out: [Date] = []
        var candidates = 0
        let sortedHours = hours.sorted(), sortedMinutes = minutes.sorted(), sortedSeconds = seconds.sorted()
        var day = after.day
        let lastDay = day + 366 * 40
        while day <= lastDay, candidates < Self.maximumIterations + 2 {
            defer { day += 1 }
            guard matches(day: day) else { continue }
            for hour in sortedHours {
                for minute in sortedMinutes {
                    for second in sortedSeconds {
                        let wall = WallClock(seconds: day * 86_400 + Int64(hour * 3600 + minute * 60 + second))
                        guard wall > after else { continue }
                        after = wall
                        candidates += 1
                        let instant = wall.instant(in: zone)
                        if let end, instant > end { return out }
                        if instant >= start, seen.insert(instant).inserted { out.append(instant) }
                        if out.count >= count || candidates >= Self.maximumIterations + 2 { return out }
                    }
                }
            }
        }
        return out
    }

    private func matches(day: Int64) -> Bool {
        let wall = WallClock(seconds: day * 86_400)
        let (year, month, dayOfMonth) = wall.date
        guard months.contains(month) else { return false }
        let cronWeekday = (wall.weekday + 1) % 7
        let length = WallClock.daysIn(year: year, month: month)
        let domMatch = daysOfMonth.values.contains(dayOfMonth) || (daysOfMonth.lastDay && dayOfMonth == length)
        let nth = (dayOfMonth - 1) / 7 + 1
        let dowMatch = daysOfWeek.values.contains(cronWeekday)
            || (daysOfWeek.lastWeekdays.contains(cronWeekday) && dayOfMonth + 7 > length)
            || daysOfWeek.nthWeekdays.contains([cronWeekday, nth])
        if daysOfMonth.isWildcard { return daysOfWeek.isWildcard || dowMatch }
        if daysOfWeek.isWildcard { return domMatch }
        return dayOr ? (domMatch || dowMatch) : (domMatch && dowMatch)
    }

    private static func dayField(_ field: String, _ range: ClosedRange<Int>, _ names: [String: Int], weekday: Bool) -> DayField? {
        var day = DayField()
        if field == "*" || field == "?" {
            day.isWildcard = true
            day.values = Set(range)
        }
        for item in field.split(separator: ",").map(String.init) where !day.isWildcard {
            if !weekday, item == "l" {
                day.lastDay = true
            } else if weekday, item.hasPrefix("l"), let value = value(String(item.dropFirst()), range, names) {
                day.lastWeekdays.insert(value % 7)
            } else if !weekday, item.hasSuffix("-l"), let first = value(String(item.dropLast(2)), range, names) {
                day.values.formUnion(first...range.upperBound)
                day.lastDay = true
            } else if weekday, item.contains("#") {
                let parts = item.split(separator: "#")
                guard parts.count == 2, let value = value(String(parts[0]), range, names), let nth = Int(parts[1]) else { return nil }
                day.nthWeekdays.insert([value % 7, nth])
            } else {
                guard let values = values(item, range, names) else { return nil }
                day.values.formUnion(weekday ? Set(values.map { $0 % 7 }) : values)
            }
        }
        return day
    }

    private static func values(_ field: String, _ range: ClosedRange<Int>, _ names: [String: Int]) -> Set<Int>? {
        var out = Set<Int>()
        for item in field.split(separator: ",").map(String.init) {
            var step = 1
            var base = item
            if let slash = item.firstIndex(of: "/") {
                guard let parsed = Int(item[item.index(after: slash)...]), parsed > 0 else { return nil }
                step = parsed
                base = String(item[..<slash])
            }
            var low = range.lowerBound, high = range.upperBound
            if base != "*" && base != "?" {
                let bounds = base.split(separator: "-").map(String.init)
                guard let first = bounds.first.flatMap({ value($0, range, names) }) else { return nil }
                low = first
                high = bounds.count == 2 ? (value(bounds[1], range, names) ?? first) : (item.contains("/") ? range.upperBound : first)
            }
            if low <= high {
                out.formUnion(stride(from: low, through: high, by: step))
            } else {
                // A wrapping range (croniter reads `fri-mon` and `22-2` round the end).
                out.formUnion(stride(from: low, through: range.upperBound, by: step))
                out.formUnion(stride(from: range.lowerBound, through: high, by: step))
            }
        }
        return out
    }

    private static func value(_ text: String, _ range: ClosedRange<Int>, _ names: [String: Int]) -> Int? {
        if let number = Int(text) { return range.contains(number) ? number : nil }
        return names[text]
    }
}
