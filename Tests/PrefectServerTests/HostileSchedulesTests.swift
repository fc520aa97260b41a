import Foundation
import PrefectSchemas
@testable import PrefectServer
import Testing

/// Schedules at the edges of what the API accepts, or stored around it: each yields its dates
/// (or none) without trapping and without running on for ever (an rrule with a COUNT of 10^17
/// seconds took 13 minutes before its walk was bounded).
@Suite("Hostile schedules")
struct HostileSchedulesTests {
    static let schedules: [JSONValue] = [
        ["interval": 0.000001, "anchor_date": "2020-01-01T00:00:00Z", "timezone": "UTC"],
        ["interval": 86_399_999_999_999, "anchor_date": "0001-01-01T00:00:00Z", "timezone": "America/New_York"],
        ["interval": 86_399_999_999_999, "anchor_date": "9999-12-31T23:59:59Z", "timezone": "Europe/Paris"],
        ["interval": 86_400, "anchor_date": "0001-01-01T00:00:00Z", "timezone": "Asia/Kolkata"],
        ["interval": .double(.leastNonzeroMagnitude), "anchor_date": "2020-01-01T00:00:00Z", "timezone": "UTC"],
        ["interval": -1, "anchor_date": "2020-01-01T00:00:00Z"],
        ["interval": 1e308, "anchor_date": "2020-01-01T00:00:00Z"],
        ["interval": "garbage", "anchor_date": "2020-01-01T00:00:00Z"],
        ["cron": "* * * * *", "timezone": "Pacific/Chatham"],
        ["cron": "0 0 31 2 *", "timezone": "UTC"],
        ["cron": "59 23 29 2 1", "timezone": "UTC", "day_or": false],
        ["cron": "*/1 * * * * */1", "timezone": "UTC"],
        ["rrule": "FREQ=YEARLY;INTERVAL=9223372036854775807", "timezone": "UTC"],
        ["rrule": "FREQ=SECONDLY;INTERVAL=1;COUNT=99999999999999999", "timezone": "UTC"],
        ["rrule": "FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=2", "timezone": "UTC"],
        ["rrule": "DTSTART:00010101T000000\nRRULE:FREQ=DAILY", "timezone": "UTC"],
        ["rrule": "DTSTART:99991231T235959\nRRULE:FREQ=SECONDLY", "timezone": "UTC"],
        ["rrule": "FREQ=WEEKLY;BYSETPOS=-366;BYDAY=MO", "timezone": "UTC"],
        ["rrule": "FREQ=HOURLY;INTERVAL=4294967296", "timezone": "UTC"],
    ]

    @Test("each yields its dates or none, within seconds (a debug build), in order", arguments: 0..<schedules.count)
    func hostile(index: Int) {
        let now = Date()
        let started = ContinuousClock.now
        let dates = ScheduleDates.dates(Self.schedules[index], count: 100, start: now, end: now.addingTimeInterval(100 * 86_400))
        #expect(ContinuousClock.now - started < .seconds(5), "\(Self.schedules[index])")
        if let dates { #expect(dates == dates.sorted(), "\(Self.schedules[index])") }
    }
}
