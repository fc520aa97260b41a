import Foundation
import PrefectSchemas

/// The dates a stored schedule (`IntervalSchedule`, `CronSchedule` or `RRuleSchedule` JSON, as
/// ``ScheduleBodies`` normalized it) yields: Prefect's `schedule._get_dates_generator(n, start, end)`.
enum ScheduleDates {
    /// Up to `count` dates on or after `start`, none after `end`, in order; nil for a schedule
    /// that cannot be read (one written around the API's validation).
    static func dates(_ schedule: JSONValue, count: Int, start: Date, end: Date?) -> [Date]? {
        guard case .object(let members) = schedule else { return nil }
        let timezone = members["timezone"]?.stringValue
        if let interval = members["interval"].flatMap(ScheduleBodies.seconds),
            let anchor = members["anchor_date"]?.stringValue.flatMap(PrefectDate.parse),
            let dates = IntervalDates(interval: interval, anchor: anchor, timezone: timezone)
        {
            return dates.dates(count: count, start: start, end: end)
        }
        if let cron = members["cron"]?.stringValue,
            let dates = CronDates(cron: cron, timezone: timezone, dayOr: members["day_or"]?.boolValue ?? true)
        {
            return dates.dates(count: count, start: start, end: end)
        }
        if let rule = members["rrule"]?.stringValue, let dates = RRuleDates(rrule: rule, timezone: timezone) {
            return dates.dates(count: count, from: start, end: end)
        }
        return nil
    }

    /// The schedule's class name, which an auto-scheduled run's `created_by.display_value`
    /// shows when the schedule has no slug.
    static func className(_ schedule: JSONValue) -> String {
        if schedule["interval"] != nil { return "IntervalSchedule" }
        if schedule["cron"] != nil { return "CronSchedule" }
        return "RRuleSchedule"
    }
}
