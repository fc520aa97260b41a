import Foundation

/// The dates of an `IntervalSchedule` (Prefect 3.9.1's `_get_dates_generator` on Python before
/// 3.13, with pendulum's arithmetic): `anchor_date` plus whole multiples of `interval`.
///
/// An interval with whole days moves in wall time in the schedule's zone (a daily run keeps its
/// local hour across daylight saving time), one without days in elapsed time; a step that lands
/// on a skipped local time is moved past the gap and the series goes on from there.
struct IntervalDates {
    let anchor: Date
    let interval: Double
    let zone: TimeZone
    let isUTC: Bool

    /// Prefect's `MAX_ITERATIONS`: candidates checked after the first.
    static let maximumIterations = 1000

    init?(interval: Double, anchor: Date, timezone: String?) {
        guard interval > 0, let zone = TimeZone(identifier: timezone ?? "UTC") else { return nil }
        self.anchor = anchor
        self.interval = interval
        self.zone = zone
        isUTC = (timezone ?? "UTC") == "UTC"
    }

    private var days: Int64 { Int64((interval / 86_400).rounded(.down)) }
    private var remainder: Double { interval - Double(days) * 86_400 }

    /// pendulum's `add(days:seconds:)`: with days, in wall time; without, in elapsed time.
    private func add(_ date: Date, days: Int64, seconds: Double) -> Date {
        guard days != 0 else { return date.addingTimeInterval(seconds) }
        let fraction = date.timeIntervalSince1970 - date.timeIntervalSince1970.rounded(.down)
        let wholeSeconds = Int64((seconds + fraction).rounded(.down))
        let rest = seconds + fraction - Double(wholeSeconds)
        let wall = WallClock(date, in: zone).adding(days: days).adding(seconds: wholeSeconds)
        return wall.instant(in: zone).addingTimeInterval(rest)
    }

    private func jump(_ intervals: Int64) -> Date {
        if days == 0 || remainder == 0 {
            return add(anchor, days: days * intervals, seconds: remainder * Double(intervals))
        }
        return anchor.addingTimeInterval(interval * Double(intervals))
    }

    /// Up to `count` dates on or after `start` and not after `end`.
    func dates(count: Int, start: Date, end: Date?) -> [Date] {
        var offset: Int64 = 0
        var next: Date
        let calendarDays = days != 0 && remainder == 0
        if start >= anchor, calendarDays, !isUTC {
            next = anchor
            while next < start { next = add(next, days: days, seconds: 0) }
        } else {
            offset = Int64(start.timeIntervalSince(anchor) / interval)
            next = jump(offset)
            while next > start {
                offset -= 1
                next = jump(offset)
            }
        }
        let beforeAnchorDays = start < anchor && calendarDays
        func following(_ date: Date) -> Date {
            if beforeAnchorDays, offset < 0 {
                offset += 1
                return jump(offset)
            }
            return add(date, days: days, seconds: remainder)
        }
        while next < start { next = following(next) }
        var seen = Set<Date>()
        var out: [Date] = []
        var counter = 0
        while true {
            if let end, next > end { break }
            if seen.insert(next).inserted { out.append(next) }
            if out.count >= count || counter > Self.maximumIterations { break }
            counter += 1
            next = following(next)
        }
        return out
    }
}
