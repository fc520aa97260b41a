import Foundation
import PrefectSchemas

/// A deployment schedule as Prefect 3.9.1's action models read it: the union
/// `IntervalSchedule | CronSchedule | RRuleSchedule` (`prefect/server/schemas/schedules.py`),
/// each with extra members forbidden, normalized as `NormalizedSchedule` does.
///
/// A schedule that fits no member is refused with pydantic's union errors: each member's own
/// errors under the member's name.
enum ScheduleBodies {
    private static let intervalMember = "function-after[validate_timezone(), IntervalSchedule]"
    private static let cronMember = "function-after[validate_timezone(), CronSchedule]"
    private static let rruleMember = "RRuleSchedule"

    /// The normalized schedule, or nil after appending the errors at `loc` to `errors`.
    static func normalize(_ value: JSONValue, at loc: [JSONValue], now: Date, errors: inout [JSONValue]) -> JSONValue? {
        guard case .object(let object) = value else {
            for (member, title) in [(intervalMember, "IntervalSchedule"), (cronMember, "CronSchedule"), (rruleMember, "RRuleSchedule")] {
                errors.append(APIError.validationEntry(
                    type: "model_type", loc: loc + [.string(member)],
                    msg: "Input should be a valid dictionary or instance of \(title)", input: value))
            }
            return nil
        }
        var interval = MemberCheck(loc: loc + [.string(intervalMember)], object: object)
        let intervalResult = interval.interval(now: now)
        if interval.errors.isEmpty, let intervalResult { return intervalResult }
        var cron = MemberCheck(loc: loc + [.string(cronMember)], object: object)
        let cronResult = cron.cron()
        if cron.errors.isEmpty, let cronResult { return cronResult }
        var rrule = MemberCheck(loc: loc + [.string(rruleMember)], object: object)
        let rruleResult = rrule.rrule(now: now)
        if rrule.errors.isEmpty, let rruleResult { return rruleResult }
        errors += interval.errors + cron.errors + rrule.errors
        return nil
    }

    /// Whether `name` is a time zone Prefect accepts (an IANA identifier).
    static func isKnownTimeZone(_ name: String) -> Bool {
        TimeZone(identifier: name) != nil
    }

    /// The checks of one union member, collecting its errors.
    private struct MemberCheck {
        let loc: [JSONValue]
        let object: JSONObject
        var errors: [JSONValue] = []

        mutating func fail(_ key: String?, type: String, msg: String, input: JSONValue) {
            var at = loc
            if let key { at.append(.string(key)) }
            errors.append(APIError.validationEntry(type: type, loc: at, msg: msg, input: input))
        }

        mutating func members(_ allowed: [String], required: String) {
            if object[required] == nil { fail(required, type: "missing", msg: "Field required", input: .object(object)) }
            for (key, value) in object where !allowed.contains(key) {
                fail(key, type: "extra_forbidden", msg: "Extra inputs are not permitted", input: value)
            }
        }

        /// A `timezone` member: null, or a string (checked by the member's after-validator).
        mutating func timezone() -> String?? {
            switch object["timezone"] {
            case nil, .null?: return .some(nil)
            case .string(let name)?: return .some(name)
            case let other?:
                fail("timezone", type: "string_type", msg: "Input should be a valid string", input: other)
                return .none
            }
        }

        /// `default_timezone`: a given zone must be an IANA one.
        mutating func checkTimezone(_ name: String?) {
            guard let name, !name.isEmpty, !ScheduleBodies.isKnownTimeZone(name) else { return }
            fail(
                nil, type: "value_error",
                msg: "Value error, Invalid timezone: \"\(name)\" (specify in IANA tzdata format, for example, America/New_York)",
                input: .object(object))
        }

        mutating func interval(now: Date) -> JSONValue? {
            members(["interval", "anchor_date", "timezone"], required: "interval")
            var seconds: Double?
            if let value = object["interval"] {
                switch PythonTimedelta.parse(value) {
                case .failure(let problem):
                    fail("interval", type: problem.type, msg: problem.message, input: value)
                case .success(let interval) where !interval.isPositive:
                    fail("interval", type: "value_error", msg: "Value error, interval must be positive", input: value)
                case .success(let interval):
                    seconds = interval.totalSeconds
                }
            }
            var anchor = AnchorDate.format(now)
            if let value = object["anchor_date"] {
                if case .string(let text) = value, let parsed = AnchorDate.normalized(text) {
                    anchor = parsed
                } else {
                    fail("anchor_date", type: "datetime_from_date_parsing", msg: "Input should be a valid datetime", input: value)
                }
            }
            let zone = timezone()
            guard errors.isEmpty, let seconds, case .some(let name) = zone else { return nil }
            checkTimezone(name)
            guard errors.isEmpty else { return nil }
            return .object(["interval": .double(seconds), "anchor_date": .string(anchor), "timezone": .string(name ?? "UTC")])
        }

        mutating func cron() -> JSONValue? {
            members(["cron", "timezone", "day_or"], required: "cron")
            var expression: String?
            switch object["cron"] {
            case .string(let text)?:
                if let problem = CronSyntax.problem(in: text) {
                    fail("cron", type: "value_error", msg: "Value error, \(problem)", input: .string(text))
                } else {
                    expression = text
                }
            case let other?:
                fail("cron", type: "string_type", msg: "Input should be a valid string", input: other)
            case nil:
                break
            }
            var dayOr = true
            switch object["day_or"] {
            case nil: break
            case .bool(let flag)?: dayOr = flag
            case let other?: fail("day_or", type: "bool_type", msg: "Input should be a valid boolean", input: other)
            }
            let zone = timezone()
            guard errors.isEmpty, let expression, case .some(let name) = zone else { return nil }
            checkTimezone(name)
            guard errors.isEmpty else { return nil }
            return .object(["cron": .string(expression), "timezone": name.map(JSONValue.string) ?? .null, "day_or": .bool(dayOr)])
        }

        mutating func rrule(now: Date) -> JSONValue? {
            members(["rrule", "timezone"], required: "rrule")
            var zone: String? = "UTC"
            switch object["timezone"] {
            case nil: break
            case .null?: zone = nil
            case .string(let name)? where ScheduleBodies.isKnownTimeZone(name): zone = name
            case let other?:
                fail("timezone", type: "string_pattern_mismatch", msg: "String should match pattern of an IANA time zone name", input: other)
            }
            var rule: String?
            switch object["rrule"] {
            case .string(let text)?:
                if let problem = RRuleText.problem(in: text) {
                    fail("rrule", type: "value_error", msg: "Value error, \(problem)", input: .string(text))
                } else {
                    rule = text
                }
            case let other?:
                fail("rrule", type: "string_type", msg: "Input should be a valid string", input: other)
            case nil:
                break
            }
            guard errors.isEmpty, let rule else { return nil }
            return .object([
                "rrule": .string(RRuleText.normalized(rule, timezone: zone, now: now)),
                "timezone": zone.map(JSONValue.string) ?? .null,
            ])
        }
    }

    /// A stored schedule's `interval` in seconds: a positive timedelta as ``PythonTimedelta``
    /// reads one; nil for anything else (a row written around the API).
    static func seconds(_ value: JSONValue) -> Double? {
        guard case .success(let interval) = PythonTimedelta.parse(value), interval.isPositive else { return nil }
        return interval.totalSeconds
    }
}

/// An interval schedule's `anchor_date` as pydantic writes it back: the instant in the offset it
/// was given with (`Z` for UTC; a value without an offset is UTC), microseconds only when set.
enum AnchorDate {
    static func format(_ date: Date) -> String {
        PrefectDate.format(date)
    }

    static func normalized(_ text: String) -> String? {
        guard PrefectDate.parse(text) != nil,
            let match = text.wholeMatch(
                of: /(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2})(?::(\d{2}))?(?:\.(\d{1,6})\d*)?(Z|z|[+-]\d{2}(?::?\d{2})?)?/)
        else { return nil }
        var out = "\(match.output.1)T\(match.output.2):\(match.output.3 ?? "00")"
        if let fraction = match.output.4, fraction.contains(where: { $0 != "0" }) {
            out += "." + fraction.padding(toLength: 6, withPad: "0", startingAt: 0)
        }
        switch match.output.5.map(String.init) {
        case nil, "Z"?, "z"?, "+00:00"?, "-00:00"?, "+0000"?, "+00"?: out += "Z"
        case let offset?:
            let digits = offset.filter(\.isNumber)
            let hours = digits.prefix(2)
            let minutes = digits.count >= 4 ? digits.suffix(2) : "00"
            out += "\(offset.prefix(1))\(hours):\(minutes)"
        }
        return out
    }
}
