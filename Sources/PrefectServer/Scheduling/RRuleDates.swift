import Foundation

/// The dates of an `RRuleSchedule` (Prefect 3.9.1's `_get_dates_generator` over
/// `dateutil.rrule`): the rule's wall times in the schedule's zone from its floating `DTSTART`,
/// each resolved to an instant, on or after `start`.
///
/// Supported: `FREQ` (YEARLY … SECONDLY), `INTERVAL`, `COUNT`, `UNTIL`, `BYMONTH`,
/// `BYMONTHDAY` (negative counts from the month's end), `BYYEARDAY`, `BYDAY` (with ordinals
/// within the month or year), `BYHOUR`, `BYMINUTE`, `BYSECOND`, `BYSETPOS`, and rule sets of
/// several `RRULE`s with `RDATE`, `EXRULE` and `EXDATE` lines — with dateutil's defaults taken
/// from `DTSTART`. Not supported: `BYWEEKNO` and `BYEASTER` (such a schedule yields nothing).
struct RRuleDates {
    private let start: WallClock
    private let rules: [Rule]
    private let exclusionRules: [Rule]
    private let dates: [WallClock]
    private let exclusions: Set<WallClock>
    private let zone: TimeZone

    static let maximumIterations = 1000

    private enum Frequency: Int {
        case yearly, monthly, weekly, daily, hourly, minutely, secondly
    }

    private struct Rule {
        var frequency: Frequency
        var interval = 1
        var count: Int?
        var until: WallClock?
        var months: Set<Int> = []
        var monthDays: [Int] = []
        var yearDays: [Int] = []
        var weekdays: [(day: Int, nth: Int?)] = []
        var hours: [Int] = []
        var minutes: [Int] = []
        var seconds: [Int] = []
        var setPositions: [Int] = []
        var weekStart = 0
        var unsupported = false
    }

    init?(rrule text: String, timezone: String?) {
        guard let zone = TimeZone(identifier: timezone ?? "UTC") else { return nil }
        self.zone = zone
        var start = WallClock(year: 2020, month: 1, day: 1)
        var rules: [Rule] = [], exclusionRules: [Rule] = [], dates: [WallClock] = [], exclusions = Set<WallClock>()
        var ruleTexts: [(String, Bool)] = []
        for line in text.split(whereSeparator: \.isNewline).map({ String($0).trimmingCharacters(in: .whitespaces) }) {
            let upper = line.uppercased()
            if upper.hasPrefix("DTSTART") {
                guard let value = Self.stamp(after: line) else { return nil }
                start = value
            } else if upper.hasPrefix("RRULE:") {
                ruleTexts.append((String(line.dropFirst(6)), false))
            } else if upper.hasPrefix("EXRULE:") {
                ruleTexts.append((String(line.dropFirst(7)), true))
            } else if upper.hasPrefix("RDATE") || upper.hasPrefix("EXDATE") {
                let list = line.split(separator: ":", maxSplits: 1).last.map(String.init) ?? ""
                let values = list.split(separator: ",").compactMap { Self.stamp(String($0)) }
                if upper.hasPrefix("RDATE") { dates += values } else { exclusions.formUnion(values) }
            } else if !upper.contains(":") {
                ruleTexts.append((line, false))
            } else {
                return nil
            }
        }
        for (ruleText, excludes) in ruleTexts {
            guard var rule = Self.rule(ruleText) else { return nil }
            Self.applyDefaults(&rule, start: start)
            if excludes { exclusionRules.append(rule) } else { rules.append(rule) }
        }
        self.start = start
        self.rules = rules
        self.exclusionRules = exclusionRules
        self.dates = dates
        self.exclusions = exclusions
    }

    /// Up to `count` dates on or after `from` and not after `end`.
    func dates(count: Int, from: Date, end: Date?) -> [Date] {
        let floor = WallClock(from, in: zone).adding(days: -2)
        var excluded = exclusions
        for rule in exclusionRules {
            for wall in occurrences(rule, from: floor, limit: Self.maximumIterations * 4) { excluded.insert(wall) }
        }
        var walls = Set(dates.filter { $0 >= floor })
        for rule in rules { walls.formUnion(occurrences(rule, from: floor, limit: Self.maximumIterations + 2)) }
        var out: [Date] = []
        var seen = Set<Date>()
        var counter = 0
        for wall in walls.subtracting(excluded).sorted() {
            // dateutil reads a skipped wall time with the offset after the gap.
            let instant = wall.instant(in: zone, skipped: .offsetAfter)
            guard instant >= from else { continue }
            if let end, instant > end { break }
            if seen.insert(instant).inserted { out.append(instant) }
            if out.count >= count || counter > Self.maximumIterations { break }
            counter += 1
        }
        return out
    }

    /// The rule's occurrences from `floor` on, in order, at most `limit` of them.
    private func occurrences(_ rule: Rule, from floor: WallClock, limit: Int) -> [WallClock] {
        guard !rule.unsupported else { return [] }
        var out: [WallClock] = []
        var emitted = 0
        var period = firstPeriod(rule, near: floor)
        // With a COUNT, the periods before `floor` are walked only when they might have used it
        // up; otherwise none of them can end the series, and they are skipped as without one.
        if let count = rule.count, Double(period) * Double(Self.occurrencesPerPeriod(rule)) + Double(limit) >= Double(count) {
            period = 0
        }
        var empty = 0
        var walked = 0
        while out.count < limit, empty < 200_000, walked < Self.maximumPeriodsWalked {
            walked += 1
            // A period past the dates Python can represent ends the series.
            guard let candidates = expand(rule, period: period) else { return out }
            period += 1
            if candidates.isEmpty { empty += 1; continue }
            empty = 0
            for wall in candidates where wall >= start {
                if let until = rule.until, wall > until { return out }
                emitted += 1
                if let count = rule.count, emitted > count { return out }
                if wall >= floor { out.append(wall) }
            }
        }
        return out
    }

    /// The most periods one call walks: a COUNT of 10^17 seconds from DTSTART could otherwise
    /// hold a scheduler pass for hours; past this many the series is taken to end.
    static let maximumPeriodsWalked = 2_000_000

    /// At most how many occurrences one period of `rule` makes.
    private static func occurrencesPerPeriod(_ rule: Rule) -> Int {
        let days: Int = switch rule.frequency {
        case .yearly: 366
        case .monthly: 31
        case .weekly: 7
        default: 1
        }
        return days * max(1, rule.hours.count) * max(1, rule.minutes.count) * max(1, rule.seconds.count)
    }

    /// A period index a little before `floor`, skipping the periods that cannot reach it.
    private func firstPeriod(_ rule: Rule, near floor: WallClock) -> Int {
        guard floor > start else { return 0 }
        let elapsed = floor.seconds - start.seconds
        let periods: Int64
        switch rule.frequency {
        case .yearly: periods = Int64(floor.date.year - start.date.year)
        case .monthly: periods = Int64((floor.date.year - start.date.year) * 12 + floor.date.month - start.date.month)
        case .weekly: periods = elapsed / (7 * 86_400)
        case .daily: periods = elapsed / 86_400
        case .hourly: periods = elapsed / 3600
        case .minutely: periods = elapsed / 60
        case .secondly: periods = elapsed
        }
        return max(0, Int(periods / Int64(rule.interval)) - 1)
    }

    /// The occurrences of the rule's `period`-th period, before `BYSETPOS`… and after it; nil
    /// when the period starts past the dates Python can represent (or its arithmetic would
    /// overflow: an `INTERVAL` of 2^63).
    private func expand(_ rule: Rule, period: Int) -> [WallClock]? {
        let (step, overflow) = period.multipliedReportingOverflow(by: rule.interval)
        let (year, month, _) = start.date
        // No period beyond 10,000 years of seconds lies within Python's range.
        guard !overflow, step.magnitude <= 400_000_000_000 else { return nil }
        var days: [Int64] = []
        var fixed: (hour: Int?, minute: Int?, second: Int?) = (nil, nil, nil)
        switch rule.frequency {
        case .yearly:
            guard (1...9999).contains(year + step) else { return year + step < 1 ? [] : nil }
            let first = Int64(WallClock.days(year: year + step, month: 1, day: 1))
            let length: Int64 = WallClock.isLeap(year + step) ? 366 : 365
            days = (0..<length).map { first + $0 }.filter { matchesDay(rule, $0, scope: .year) }
        case .monthly:
            let index = year * 12 + month - 1 + step
            let y = index / 12, m = index % 12 + 1
            guard (1...9999).contains(y) else { return y < 1 ? [] : nil }
            let first = Int64(WallClock.days(year: y, month: m, day: 1))
            days = (0..<Int64(WallClock.daysIn(year: y, month: m))).map { first + $0 }.filter { matchesDay(rule, $0, scope: .month) }
        case .weekly:
            let weekday = start.weekday
            let weekFirst = start.day - Int64((weekday - rule.weekStart + 7) % 7) + Int64(step) * 7
            days = (0..<7).map { weekFirst + $0 }.filter { matchesDay(rule, $0, scope: .week) }
        case .daily:
            let day = start.day + Int64(step)
            days = matchesDay(rule, day, scope: .day) ? [day] : []
        case .hourly, .minutely, .secondly:
            let unit: Int64 = rule.frequency == .hourly ? 3600 : (rule.frequency == .minutely ? 60 : 1)
            let base = rule.frequency == .hourly ? start.seconds - Int64(start.minute * 60 + start.second)
                : (rule.frequency == .minutely ? start.seconds - Int64(start.second) : start.seconds)
            let moment = WallClock(seconds: base + Int64(step) * unit)
            guard matchesDay(rule, moment.day, scope: .day) else { return [] }
            days = [moment.day]
            fixed.hour = moment.hour
            if rule.frequency != .hourly { fixed.minute = moment.minute }
            if rule.frequency == .secondly { fixed.second = moment.second }
        }
        let hours = fixed.hour.map { rule.hours.isEmpty || rule.hours.contains($0) ? [$0] : [] } ?? rule.hours
        let minutes = fixed.minute.map { rule.minutes.isEmpty || rule.minutes.contains($0) ? [$0] : [] } ?? rule.minutes
        let seconds = fixed.second.map { rule.seconds.isEmpty || rule.seconds.contains($0) ? [$0] : [] } ?? rule.seconds
        var candidates: [WallClock] = []
        for day in days {
            for hour in hours.sorted() {
                for minute in minutes.sorted() {
                    for second in seconds.sorted() {
                        candidates.append(WallClock(seconds: day * 86_400 + Int64(hour * 3600 + minute * 60 + second)))
                    }
                }
            }
        }
        guard candidates.allSatisfy(\.isRepresentable) else { return nil }
        guard !rule.setPositions.isEmpty else { return candidates }
        return rule.setPositions.compactMap { position in
            let index = position > 0 ? position - 1 : candidates.count + position
            return candidates.indices.contains(index) ? candidates[index] : nil
        }.sorted()
    }

    private enum Scope {
        case year, month, week, day
    }

    private func matchesDay(_ rule: Rule, _ day: Int64, scope: Scope) -> Bool {
        let wall = WallClock(seconds: day * 86_400)
        let (year, month, dayOfMonth) = wall.date
        if !rule.months.isEmpty, !rule.months.contains(month) { return false }
        let monthLength = WallClock.daysIn(year: year, month: month)
        if !rule.monthDays.isEmpty, !rule.monthDays.contains(where: { $0 > 0 ? $0 == dayOfMonth : monthLength + $0 + 1 == dayOfMonth }) {
            return false
        }
        if !rule.yearDays.isEmpty {
            let dayOfYear = Int(day - Int64(WallClock.days(year: year, month: 1, day: 1))) + 1
            let yearLength = WallClock.isLeap(year) ? 366 : 365
            if !rule.yearDays.contains(where: { $0 > 0 ? $0 == dayOfYear : yearLength + $0 + 1 == dayOfYear }) { return false }
        }
        if !rule.weekdays.isEmpty {
            let weekday = wall.weekday
            let matched = rule.weekdays.contains { entry in
                guard entry.day == weekday else { return false }
                guard let nth = entry.nth, scope == .year || scope == .month else { return true }
                // The ordinal counts within the month (MONTHLY, or YEARLY with BYMONTH) or the year.
                let withinMonth = scope == .month || !rule.months.isEmpty
                let (first, length): (Int64, Int) = withinMonth
                    ? (Int64(WallClock.days(year: year, month: month, day: 1)), monthLength)
                    : (Int64(WallClock.days(year: year, month: 1, day: 1)), WallClock.isLeap(year) ? 366 : 365)
                let position = Int(day - first)
                return nth > 0 ? position / 7 + 1 == nth : (length - 1 - position) / 7 + 1 == -nth
            }
            if !matched { return false }
        }
        return true
    }

    /// dateutil's defaults: without any day rule, the day comes from `DTSTART`; the times of
    /// day not given come from `DTSTART` for frequencies coarser than them.
    private static func applyDefaults(_ rule: inout Rule, start: WallClock) {
        let (_, month, day) = start.date
        if rule.monthDays.isEmpty, rule.yearDays.isEmpty, rule.weekdays.isEmpty {
            switch rule.frequency {
            case .yearly:
                if rule.months.isEmpty { rule.months = [month] }
                rule.monthDays = [day]
            case .monthly: rule.monthDays = [day]
            case .weekly: rule.weekdays = [(start.weekday, nil)]
            default: break
            }
        }
        if rule.hours.isEmpty, rule.frequency.rawValue < Frequency.hourly.rawValue { rule.hours = [start.hour] }
        if rule.minutes.isEmpty, rule.frequency.rawValue < Frequency.minutely.rawValue { rule.minutes = [start.minute] }
        if rule.seconds.isEmpty, rule.frequency.rawValue < Frequency.secondly.rawValue { rule.seconds = [start.second] }
    }

    private static let weekdayNames = ["MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6]

    private static func rule(_ text: String) -> Rule? {
        var parts: [String: String] = [:]
        for part in text.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { return nil }
            parts[pair[0].uppercased()] = String(pair[1]).uppercased()
        }
        let frequencies: [String: Frequency] = [
            "YEARLY": .yearly, "MONTHLY": .monthly, "WEEKLY": .weekly, "DAILY": .daily, "HOURLY": .hourly,
            "MINUTELY": .minutely, "SECONDLY": .secondly,
        ]
        guard let frequency = parts["FREQ"].flatMap({ frequencies[$0] }) else { return nil }
        var rule = Rule(frequency: frequency)
        func integers(_ key: String) -> [Int] { parts[key]?.split(separator: ",").compactMap { Int($0) } ?? [] }
        rule.interval = max(1, parts["INTERVAL"].flatMap { Int($0) } ?? 1)
        rule.count = parts["COUNT"].flatMap { Int($0) }
        rule.until = parts["UNTIL"].flatMap { stamp($0) }
        rule.months = Set(integers("BYMONTH"))
        rule.monthDays = integers("BYMONTHDAY")
        rule.yearDays = integers("BYYEARDAY")
        rule.hours = integers("BYHOUR")
        rule.minutes = integers("BYMINUTE")
        rule.seconds = integers("BYSECOND")
        rule.setPositions = integers("BYSETPOS")
        rule.weekStart = parts["WKST"].flatMap { weekdayNames[$0] } ?? 0
        rule.unsupported = parts["BYWEEKNO"] != nil || parts["BYEASTER"] != nil
        for entry in parts["BYDAY"]?.split(separator: ",") ?? [] {
            let name = String(entry.suffix(2))
            guard let day = weekdayNames[name] else { return nil }
            let ordinal = entry.dropLast(2)
            rule.weekdays.append((day, ordinal.isEmpty ? nil : Int(ordinal)))
        }
        return rule
    }

    /// `YYYYMMDD[THHMMSS][Z]` after a `NAME:` or `NAME;PARAMS:` prefix, or alone.
    private static func stamp(after line: String) -> WallClock? {
        line.split(separator: ":", maxSplits: 1).last.flatMap { stamp(String($0)) }
    }

    private static func stamp(_ text: String) -> WallClock? {
        let digits = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard let match = digits.wholeMatch(of: /(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2}))?Z?/),
            let year = Int(match.output.1), let month = Int(match.output.2), let day = Int(match.output.3)
        else { return nil }
        return WallClock(
            year: year, month: month, day: day, hour: match.output.4.flatMap { Int($0) } ?? 0,
            minute: match.output.5.flatMap { Int($0) } ?? 0, second: match.output.6.flatMap { Int($0) } ?? 0)
    }
}
