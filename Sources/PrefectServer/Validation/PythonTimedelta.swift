import PrefectSchemas

/// A `datetime.timedelta` as pydantic 2.14 reads one from a request body, so the server accepts
/// and refuses exactly the durations Prefect 3.9.1's models do: a number of seconds
/// (pydantic-core's `int_as_duration` and `float_as_duration`: the fraction rounded to the
/// microsecond) or a string in one of speedate's duration forms (`P1DT2H`, `PT1.5S`, `P1W`,
/// `1 day, 01:00:00`, `3d`, `12:30:00`, each with an optional sign).
///
/// The result is always within Python's range (at most 999,999,999 days either way), so every
/// later conversion of it is total.
struct PythonTimedelta: Equatable {
    /// Python's `timedelta.max.days`.
    static let maximumDays: UInt64 = 999_999_999

    var negative: Bool
    /// Whole days, at most ``maximumDays``.
    var days: UInt64
    /// Seconds of the last day, below 86,400.
    var seconds: UInt64
    /// Microseconds of the last second, below 1,000,000.
    var microseconds: UInt64

    /// `timedelta.total_seconds()`.
    var totalSeconds: Double {
        let magnitude = Double(days * 86_400 + seconds) + Double(microseconds) / 1_000_000
        return negative ? -magnitude : magnitude
    }

    /// `> timedelta(0)`: what `PositiveInterval` asks of a schedule's interval.
    var isPositive: Bool { !negative && (days > 0 || seconds > 0 || microseconds > 0) }

    /// Why a value is not a timedelta: pydantic's error `type` and its `msg`.
    struct Problem: Error, Equatable {
        var type: String
        var message: String

        static func parsing(_ reason: String) -> Problem {
            Problem(type: "time_delta_parsing", message: "Input should be a valid timedelta, \(reason)")
        }

        static let tooManyDays = parsing("durations may not exceed 999,999,999 days")
    }

    /// The timedelta `value` stands for, or pydantic's reason for refusing it.
    static func parse(_ value: JSONValue) -> Result<PythonTimedelta, Problem> {
        switch value {
        case .bool(let flag): return fromSeconds(Int64(flag ? 1 : 0))
        case .int(let number): return fromSeconds(number)
        case .double(let number): return fromSeconds(number)
        case .string(let text): return parse(text: text)
        default: return .failure(Problem(type: "time_delta_type", message: "Input should be a valid timedelta"))
        }
    }

    /// `int_as_duration`.
    static func fromSeconds(_ total: Int64) -> Result<PythonTimedelta, Problem> {
        let magnitude = total.magnitude
        return normalized(negative: total < 0, days: magnitude / 86_400, seconds: magnitude % 86_400, microseconds: 0)
    }

    /// `float_as_duration`: NaN refused, the fraction rounded to the microsecond, anything
    /// beyond the day limit (infinities included) refused.
    static func fromSeconds(_ total: Double) -> Result<PythonTimedelta, Problem> {
        guard !total.isNaN else { return .failure(.parsing("NaN values not permitted")) }
        let magnitude = total.magnitude
        guard magnitude < Double(maximumDays + 1) * 86_400 else { return .failure(.tooManyDays) }
        let whole = magnitude.rounded(.towardZero)
        let micros = ((magnitude - whole) * 1_000_000).rounded(.toNearestOrAwayFromZero)
        let wholeSeconds = UInt64(whole)
        return normalized(
            negative: total < 0, days: wholeSeconds / 86_400, seconds: wholeSeconds % 86_400, microseconds: UInt64(micros))
    }

    /// speedate's `Duration::parse_bytes`.
    static func parse(text: String) -> Result<PythonTimedelta, Problem> {
        var reader = DurationText(Array(text.utf8))
        do {
            var negative = false
            switch reader.peek() {
            case nil: throw Problem.parsing("input is too short")
            case UInt8(ascii: "+"): reader.position += 1
            case UInt8(ascii: "-"): reader.position += 1; negative = true
            default: break
            }
            let parts: (days: UInt64, seconds: UInt64, micros: UInt64)
            if reader.peek() == UInt8(ascii: "P") {
                reader.position += 1
                parts = try reader.isoDuration()
            } else if reader.peek(2) == UInt8(ascii: ":") {
                parts = try reader.clockOnly()
            } else {
                parts = try reader.daysAndClock()
            }
            return normalized(negative: negative, days: parts.days, seconds: parts.seconds, microseconds: parts.micros)
        } catch let problem as Problem {
            return .failure(problem)
        } catch {
            return .failure(.parsing("invalid digit in duration"))
        }
    }

    private static func normalized(negative: Bool, days: UInt64, seconds: UInt64, microseconds: UInt64) -> Result<PythonTimedelta, Problem> {
        let seconds = seconds + microseconds / 1_000_000
        let days = days + seconds / 86_400
        guard days <= maximumDays else { return .failure(.tooManyDays) }
        return .success(PythonTimedelta(
            negative: negative, days: days, seconds: seconds % 86_400, microseconds: microseconds % 1_000_000))
    }
}

/// The text of a duration, read as speedate reads it. Numbers are capped at `UInt32.max`, as
/// speedate's are ("a numeric value in the duration is too large").
private struct DurationText {
    let bytes: [UInt8]
    var position: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        position = 0
    }

    func peek(_ ahead: Int = 0) -> UInt8? {
        bytes.indices.contains(position + ahead) ? bytes[position + ahead] : nil
    }

    static func isDigit(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    static let tooLarge = PythonTimedelta.Problem.parsing("a numeric value in the duration is too large")

    /// Whole digits at the position.
    mutating func number() throws -> UInt64 {
        guard Self.isDigit(peek()) else { throw PythonTimedelta.Problem.parsing("invalid digit in duration") }
        var value: UInt64 = 0
        while let byte = peek(), Self.isDigit(byte) {
            value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
            guard value <= UInt64(UInt32.max) else { throw Self.tooLarge }
            position += 1
        }
        return value
    }

    /// Digits, then an optional `.` or `,` fraction.
    mutating func numberWithFraction() throws -> (UInt64, Double?) {
        let whole = try number()
        guard peek() == UInt8(ascii: ".") || peek() == UInt8(ascii: ",") else { return (whole, nil) }
        position += 1
        var fraction = 0.0
        var scale = 1.0
        while let byte = peek(), Self.isDigit(byte) {
            fraction = fraction * 10 + Double(byte - UInt8(ascii: "0"))
            scale *= 10
            position += 1
        }
        return (whole, fraction / scale)
    }

    /// `PnYnMnWnDTnHnMnS` after the `P`: years of 365 days, months of 30; only the last
    /// quantity may have a fraction.
    mutating func isoDuration() throws -> (days: UInt64, seconds: UInt64, micros: UInt64) {
        var inTime = false
        var hadFraction = false
        var days: UInt64 = 0
        var seconds: UInt64 = 0
        var micros: UInt64 = 0
        /// A fraction's seconds (below a year's worth): whole ones to `seconds`, the rest
        /// rounded to microseconds.
        func addSeconds(_ amount: Double) throws {
            let whole = amount.rounded(.towardZero)
            seconds = try Self.capped(seconds + UInt64(whole))
            micros += UInt64(((amount - whole) * 1_000_000).rounded(.toNearestOrAwayFromZero))
        }
        while let byte = peek() {
            if byte == UInt8(ascii: "T") {
                guard !inTime else { throw PythonTimedelta.Problem.parsing("`t` character repeated in duration") }
                inTime = true
                position += 1
                continue
            }
            let (value, fraction) = try numberWithFraction()
            guard !hadFraction else { throw PythonTimedelta.Problem.parsing("quantity fraction invalid in duration") }
            hadFraction = fraction != nil
            let unit = peek()
            if inTime {
                let scale: UInt64
                switch unit {
                case UInt8(ascii: "H"): scale = 3_600
                case UInt8(ascii: "M"): scale = 60
                case UInt8(ascii: "S"): scale = 1
                default: throw PythonTimedelta.Problem.parsing("quantity invalid in time part of duration")
                }
                seconds = try Self.capped(seconds + value * scale)
                if let fraction { try addSeconds(fraction * Double(scale)) }
            } else {
                let scale: UInt64
                switch unit {
                case UInt8(ascii: "Y"): scale = 365
                case UInt8(ascii: "M"): scale = 30
                case UInt8(ascii: "W"): scale = 7
                case UInt8(ascii: "D"): scale = 1
                default: throw PythonTimedelta.Problem.parsing("quantity invalid in date part of duration")
                }
                days = try Self.capped(days + value * scale)
                if let fraction {
                    let extraDays = fraction * Double(scale)
                    let wholeDays = extraDays.rounded(.towardZero)
                    days = try Self.capped(days + UInt64(wholeDays))
                    try addSeconds((extraDays - wholeDays) * 86_400)
                }
            }
            position += 1
        }
        guard position >= 3 else { throw PythonTimedelta.Problem.parsing("input is too short") }
        return (days, seconds, micros)
    }

    private static func capped(_ value: UInt64) throws -> UInt64 {
        guard value <= UInt64(UInt32.max) else { throw tooLarge }
        return value
    }

    /// `N[ ]d[ay[s]][,][ ]HH:MM[:SS[.ffffff]]`.
    mutating func daysAndClock() throws -> (days: UInt64, seconds: UInt64, micros: UInt64) {
        guard peek() != nil else { throw PythonTimedelta.Problem.parsing("input is too short") }
        let days = try number()
        let invalidDays = PythonTimedelta.Problem.parsing("\"day\" identifier in duration not correctly formatted")
        if peek() == UInt8(ascii: " ") { position += 1 }
        guard peek() == UInt8(ascii: "d") || peek() == UInt8(ascii: "D") else { throw invalidDays }
        position += 1
        if peek() == UInt8(ascii: "a") || peek() == UInt8(ascii: "A") {
            guard peek(1) == UInt8(ascii: "y") || peek(1) == UInt8(ascii: "Y") else { throw invalidDays }
            position += 2
            if peek() == UInt8(ascii: "s") || peek() == UInt8(ascii: "S") { position += 1 }
        }
        if peek() == UInt8(ascii: ",") { position += 1 }
        if peek() == UInt8(ascii: " ") { position += 1 }
        guard peek() != nil else { return (days, 0, 0) }
        let (seconds, micros) = try clock()
        return (days, seconds, micros)
    }

    /// `HH:MM[:SS[.ffffff]]` and nothing after it.
    mutating func clockOnly() throws -> (days: UInt64, seconds: UInt64, micros: UInt64) {
        let (seconds, micros) = try clock()
        return (0, seconds, micros)
    }

    /// speedate's time of day as a duration: two-digit hours (any), minutes and seconds
    /// below 60, up to six fractional digits (more are dropped).
    private mutating func clock() throws -> (seconds: UInt64, micros: UInt64) {
        func twoDigits(_ field: String) throws -> UInt64 {
            guard Self.isDigit(peek()), Self.isDigit(peek(1)), let first = peek(), let second = peek(1) else {
                throw PythonTimedelta.Problem.parsing(peek() == nil ? "input is too short" : "invalid character in \(field)")
            }
            position += 2
            return UInt64(first - UInt8(ascii: "0")) * 10 + UInt64(second - UInt8(ascii: "0"))
        }
        let hours = try twoDigits("hour")
        guard peek() == UInt8(ascii: ":") else { throw PythonTimedelta.Problem.parsing("invalid character in time separator") }
        position += 1
        let minutes = try twoDigits("minute")
        guard minutes < 60 else { throw PythonTimedelta.Problem.parsing("minute value is outside expected range of 0-59") }
        var seconds: UInt64 = 0
        var micros: UInt64 = 0
        if peek() == UInt8(ascii: ":") {
            position += 1
            seconds = try twoDigits("second")
            guard seconds < 60 else { throw PythonTimedelta.Problem.parsing("second value is outside expected range of 0-59") }
            if peek() == UInt8(ascii: ".") || peek() == UInt8(ascii: ",") {
                position += 1
                var digits = 0
                while let byte = peek(), Self.isDigit(byte) {
                    if digits < 6 { micros = micros * 10 + UInt64(byte - UInt8(ascii: "0")) }
                    digits += 1
                    position += 1
                }
                guard digits > 0 else { throw PythonTimedelta.Problem.parsing("invalid digit in duration") }
                for _ in digits..<max(digits, 6) { micros *= 10 }
            }
        }
        guard peek() == nil else {
            throw PythonTimedelta.Problem.parsing("unexpected extra characters at the end of the input")
        }
        return (hours * 3_600 + minutes * 60 + seconds, micros)
    }
}
