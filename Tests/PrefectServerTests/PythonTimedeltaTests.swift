import PrefectSchemas
@testable import PrefectServer
import Testing

/// Durations read as pydantic 2.14 reads a `timedelta` in Prefect 3.9.1's models; every
/// expectation here was printed by `pydantic.TypeAdapter(timedelta).validate_python(…)`.
@Suite("Python timedeltas")
struct PythonTimedeltaTests {
    /// (input, total seconds) pairs pydantic accepts.
    static let accepted: [(JSONValue, Double)] = [
        (5e-07, 0.000001), (1.5e-06, 0.000002), (2.5e-06, 0.000003), (1.0000005, 1.000001), (-1.0, -1),
        (86_399_999_999_999, 86_399_999_999_999), (true, 1), ("P1D", 86_400), ("P1W", 604_800), ("PT1H30M", 5_400),
        ("P1DT1H", 90_000), ("PT1.5S", 1.5), ("P1Y", 31_536_000), ("P1M", 2_592_000), ("00:00:01.5", 1.5),
        ("10:00:00.000001", 36_000.000001), ("P0.5D", 43_200), ("P1.5W", 907_200), ("PT1,5S", 1.5), ("3 days", 259_200),
        ("1 day", 86_400), ("01:00:00", 3_600), ("1 day, 01:00:00", 90_000), ("1d", 86_400), ("25:00:00", 90_000),
        ("12:30", 45_000), ("-P1D", -86_400), ("+PT5S", 5), ("P1DT", 86_400), ("1 days", 86_400), ("99 d", 8_553_600),
        ("01:02:03.1234567", 3_723.123456), ("PT0.0000005S", 0.000001), ("PT0.00000049S", 0), ("00:00:00", 0),
        ("999999999 days, 23:59:59.999999", 86_399_999_999_999.999999),
    ]

    @Test("pydantic's durations are read to the microsecond", arguments: 0..<accepted.count)
    func accepts(index: Int) throws {
        let (input, seconds) = Self.accepted[index]
        let parsed = try PythonTimedelta.parse(input).get()
        #expect(abs(parsed.totalSeconds - seconds) <= max(1e-7, abs(seconds) * 1e-15), "\(input)")
    }

    /// (input, pydantic's message after "Input should be a valid timedelta, ").
    static let refused: [(JSONValue, String)] = [
        (.double(.nan), "NaN values not permitted"), (.double(.infinity), "durations may not exceed 999,999,999 days"),
        (1e20, "durations may not exceed 999,999,999 days"), (86_400_000_000_000.0, "durations may not exceed 999,999,999 days"),
        ("x", "invalid digit in duration"), ("", "input is too short"), ("P", "input is too short"), ("PT", "input is too short"),
        ("12:00:00:00", "unexpected extra characters at the end of the input"),
        ("10:61:00", "minute value is outside expected range of 0-59"),
        ("1 day, 01:00:60", "second value is outside expected range of 0-59"),
        ("P1.5DT1H", "quantity fraction invalid in duration"), ("PT1H1", "quantity invalid in time part of duration"),
        ("P1X", "quantity invalid in date part of duration"), ("PT1D", "quantity invalid in time part of duration"),
        ("P1DT1HT", "`t` character repeated in duration"), ("PX", "invalid digit in duration"),
        ("3", "\"day\" identifier in duration not correctly formatted"), ("1x", "\"day\" identifier in duration not correctly formatted"),
        ("4294967296 days", "a numeric value in the duration is too large"),
        ("P4294967296D", "a numeric value in the duration is too large"),
        ("1000000000d", "durations may not exceed 999,999,999 days"), ("PT-1S", "invalid digit in duration"),
    ]

    @Test("what pydantic refuses is refused with its reason", arguments: 0..<refused.count)
    func refuses(index: Int) {
        let (input, reason) = Self.refused[index]
        #expect(PythonTimedelta.parse(input) == .failure(.parsing(reason)), "\(input)")
    }

    @Test("only a timedelta above zero once rounded to the microsecond is positive")
    func positivity() throws {
        for (input, positive) in [(JSONValue.double(.leastNonzeroMagnitude), false), (4e-07, false), (6e-07, true), (-0.0, false), ("P0D", false),
                                  ("PT0.0000001S", false), (1, true)] {
            #expect(try PythonTimedelta.parse(input).get().isPositive == positive, "\(input)")
        }
        #expect(PythonTimedelta.parse(["interval"]) == .failure(.init(type: "time_delta_type", message: "Input should be a valid timedelta")))
    }
}
