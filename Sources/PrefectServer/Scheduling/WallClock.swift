import Foundation
import PrefectSchemas

/// A local date and time without a zone (Python's naive `datetime`), at second resolution with
/// the instant's fraction kept apart, and its conversions to and from instants in a time zone.
///
/// Schedules compute in wall time, as pendulum, croniter and dateutil do, and resolve each wall
/// time as Prefect does: a repeated time (clocks set back) is its first occurrence (`fold=0`); a
/// skipped time (clocks set forward) as the library of its schedule kind reads it.
struct WallClock: Hashable, Comparable, Sendable {
    /// Seconds since 1970-01-01T00:00:00 in wall time.
    var seconds: Int64

    /// Wall times are held within two days of Python's `datetime` range (years 1 to 9999), so
    /// that no schedule's arithmetic can overflow: a date beyond it has no meaning here.
    static let bound: Int64 = PrefectDate.latestMicroseconds / 1_000_000 + 2 * 86_400

    init(seconds: Int64) {
        self.seconds = max(-Self.bound, min(Self.bound, seconds))
    }

    /// Whether this wall time lies within Python's `datetime` range.
    var isRepresentable: Bool {
        seconds > PrefectDate.earliestMicroseconds / 1_000_000 - 86_400 && seconds < PrefectDate.latestMicroseconds / 1_000_000 + 86_400
    }

    init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        seconds = Int64(Self.days(year: year, month: month, day: day)) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    static func < (lhs: WallClock, rhs: WallClock) -> Bool { lhs.seconds < rhs.seconds }

    var day: Int64 { seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400 }
    var secondOfDay: Int { Int(seconds - day * 86_400) }
    var hour: Int { secondOfDay / 3600 }
    var minute: Int { (secondOfDay / 60) % 60 }
    var second: Int { secondOfDay % 60 }
    var date: (year: Int, month: Int, day: Int) { Self.civil(days: day) }
    /// Monday 0 … Sunday 6, as Python's `weekday()`.
    var weekday: Int { Int(((day % 7) + 7 + 3) % 7) }

    func adding(seconds delta: Int64) -> WallClock {
        let (sum, overflow) = seconds.addingReportingOverflow(delta)
        return WallClock(seconds: overflow ? (delta < 0 ? -Self.bound : Self.bound) : sum)
    }

    func adding(days delta: Int64) -> WallClock {
        let (span, overflow) = delta.multipliedReportingOverflow(by: 86_400)
        return overflow ? WallClock(seconds: delta < 0 ? -Self.bound : Self.bound) : adding(seconds: span)
    }

    /// The same time of day `months` later; nil when that day does not exist in the month.
    func adding(months: Int) -> WallClock? {
        let (year, month, dayOfMonth) = date
        let index = year * 12 + (month - 1) + months
        let newYear = index >= 0 ? index / 12 : (index - 11) / 12
        let newMonth = index - newYear * 12 + 1
        guard dayOfMonth <= Self.daysIn(year: newYear, month: newMonth) else { return nil }
        return WallClock(year: newYear, month: newMonth, day: dayOfMonth, hour: hour, minute: minute, second: second)
    }

    /// The wall time of `instant` in `zone` (the fraction of a second dropped).
    init(_ instant: Date, in zone: TimeZone) {
        // Held a day beyond Python's datetime range, so adding the zone's offset cannot overflow.
        let limit = PrefectDate.latestMicroseconds / 1_000_000 + 86_400
        let whole = max(-limit, min(limit, Int64(saturating: instant.timeIntervalSince1970.rounded(.down))))
        self.init(seconds: whole + Int64(zone.secondsFromGMT(for: instant)))
    }

    /// How a skipped wall time becomes an instant: read with the offset before the gap (so it
    /// lands after it, as pendulum and whenever do) or after it (as dateutil's zones do).
    enum SkippedTime {
        case offsetBefore, offsetAfter
    }

    /// The instant this wall time names in `zone`: the earlier of two (a repeated time), or, for
    /// a skipped one, as `skipped` says.
    func instant(in zone: TimeZone, skipped: SkippedTime = .offsetBefore) -> Date {
        let probe = Date(timeIntervalSince1970: Double(seconds))
        let offsets = Set([-86_400.0, 0, 86_400].map { zone.secondsFromGMT(for: probe.addingTimeInterval($0)) })
        let valid = offsets.filter { offset in
            zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds - Int64(offset)))) == offset
        }
        if let largest = valid.max() { return Date(timeIntervalSince1970: Double(seconds - Int64(largest))) }
        let offset = (skipped == .offsetBefore ? offsets.min() : offsets.max()) ?? 0
        return Date(timeIntervalSince1970: Double(seconds - Int64(offset)))
    }

    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
