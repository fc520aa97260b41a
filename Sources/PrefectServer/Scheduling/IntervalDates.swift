import Foundation
import PrefectSchemas

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

    /// Nil unless `interval` is a positive timedelta (at least a microsecond, at most
    /// Python's `timedelta.max`) and the zone is known: a stored schedule that was written
    /// around the API's validation yields no dates instead of arithmetic that cannot end.
    init?(interval: Double, anchor: Date, timezone: String?) {
        guard interval.isFinite, interval >= 0.000_000_5,
            interval < Double(PythonTimedelta.maximumDays + 1) * 86_400,
            let zone = TimeZone(identifier: timezone ?? "UTC") else { return nil }
        self.anchor = anchor
        self.interval = interval
        self.zone = zone
        isUTC = (timezone ?? "UTC") == "UTC"
    }

    private var days: Int64 { Int64(saturating: (interval / 86_400).rounded(.down)) }
    private var remainder: Double { interval - Double(days) * 86_400 }

    /// pendulum's `add(days:seconds:)`: with days, in wall time; without, in elapsed time.
    private func add(_ date: Date, days: Int64, seconds: Double) -> Date {
        guard days != 0 else { return date.addingTimeInterval(seconds) }
        let fraction = date.timeIntervalSince1970 - date.timeIntervalSince1970.rounded(.down)
        let wholeSeconds = Int64(saturating: (seconds + fraction).rounded(.down))
        let rest = seconds + fraction - Double(wholeSeconds)
        let wall = WallClock(date, in: zone).adding(days: days).adding(seconds: wholeSeconds)
        return wall.instant(in: zone).addingTimeInterval(rest)
    }

    private func jump(_ intervals: Int64) -> Date {
        if days == 0 || remainder == 0 {
            let (allDays, overflow) = days.multipliedReportingOverflow(by: intervals)
            guard !overflow else { return intervals < 0 ? .distantPast : .distantFuture }
            return add(anchor, days: allDays, seconds: remainder * Double(intervals))
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
            // pendulum walks from the anchor one interval at a time (a step that lands in a
            // skipped hour moves the rest of the series); an anchor more than 100,000 intervals
            // back is jumped to within two of `start` instead, so no schedule holds a pass.
            let behind = Int64(saturating: start.timeIntervalSince(anchor) / interval)
            if behind > 100_000 { next = add(anchor, days: days * (behind - 2), seconds: 0) }
            while next < start {
                let later = add(next, days: days, seconds: 0)
                guard later > next else { return [] }
                next = later
            }
        } else {
            offset = Int64(saturating: start.timeIntervalSince(anchor) / interval)
            next = jump(offset)
            var stepsBack = 0
            while next > start {
                // One or two steps for any date arithmetic can represent; more means it cannot.
                stepsBack += 1
                guard stepsBack <= Self.maximumIterations else { return [] }
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
        while next < start {
            let later = following(next)
            guard later > next else { return [] }
            next = later
        }
        var seen = Set<Date>()
        var out: [Date] = []
        var counter = 0
        let latest = StoredTime.date(PrefectDate.latestMicroseconds)
        while true {
            if let end, next > end { break }
            // Past Python's `datetime.max` Prefect's own arithmetic overflows: the series ends.
            if next > latest { break }
            if seen.insert(next).inserted { out.append(next) }
            if out.count >= count || counter > Self.maximumIterations { break }
            counter += 1
            next = following(next)
        }
        return out
    }
}
