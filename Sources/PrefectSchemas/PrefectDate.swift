public import Foundation

/// Prefect's wire format for timestamps: ISO 8601 / RFC 3339 with up to microsecond precision.
///
/// The server sends values such as `2026-11-24T19:30:00.123456Z` or
/// `2026-11-24T19:30:00.123456+00:00`. ``parse(_:)`` reads both (and a space instead of `T`,
/// as Python's `isoformat(" ")` writes) without Foundation's slow date formatters;
/// ``format(_:)`` writes UTC with six fractional digits, so a decoded value re-encodes to the
/// same instant, microseconds included.
public enum PrefectDate {
    /// Parses an ISO 8601 timestamp; `nil` when the text is not one.
    ///
    /// A value without an offset is taken as UTC, as Prefect's server does.
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(utf8: $0) }
    }

    /// Microseconds since the Unix epoch of Python's `datetime.min` (0001-01-01T00:00:00Z).
    public static let earliestMicroseconds: Int64 = -62_135_596_800_000_000
    /// Microseconds since the Unix epoch of Python's `datetime.max` (9999-12-31T23:59:59.999999Z).
    public static let latestMicroseconds: Int64 = 253_402_300_799_999_999

    /// `date` in whole microseconds since the Unix epoch, rounded, and held within Python's
    /// `datetime` range (years 1 to 9999), so that no date, however it was computed, traps
    /// when it is stored or written. NaN counts as the earliest instant.
    public static func microseconds(_ date: Date) -> Int64 {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        guard micros > Double(earliestMicroseconds) else { return earliestMicroseconds }
        guard micros < Double(latestMicroseconds) else { return latestMicroseconds }
        return Int64(micros)
    }

    /// Formats `date` as `YYYY-MM-DDTHH:MM:SS.ffffffZ`, rounded to the microsecond; a date
    /// outside years 1 to 9999 is written as the nearest end of that range.
    public static func format(_ date: Date) -> String {
        String(unsafeUninitializedCapacity: formattedLength) { buffer in
            write(date, into: UnsafeMutableRawBufferPointer(buffer))
            return formattedLength
        }
    }

    /// The length of ``format(_:)``'s text.
    static let formattedLength = 27

    /// Writes ``format(_:)``'s 27 ASCII bytes at the start of `out` (which holds at least 27).
    static func write(_ date: Date, into out: UnsafeMutableRawBufferPointer) {
        let microsPerDay: Int64 = 86_400_000_000
        let total = microseconds(date)
        var days = total / microsPerDay
        var microsOfDay = total % microsPerDay
        if microsOfDay < 0 {
            microsOfDay += microsPerDay
            days -= 1
        }
        let (year, month, day) = civilDate(fromDaysSinceEpoch: days)
        let seconds = microsOfDay / 1_000_000
        func digits(_ value: Int64, width: Int, at offset: Int) {
            var rest = value
            for position in stride(from: offset + width - 1, through: offset, by: -1) {
                out[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            }
        }
        digits(Int64(year), width: 4, at: 0)
        out[4] = UInt8(ascii: "-")
        digits(Int64(month), width: 2, at: 5)
        out[7] = UInt8(ascii: "-")
        digits(Int64(day), width: 2, at: 8)
        out[10] = UInt8(ascii: "T")
        digits(seconds / 3600, width: 2, at: 11)
        out[13] = UInt8(ascii: ":")
        digits((seconds / 60) % 60, width: 2, at: 14)
        out[16] = UInt8(ascii: ":")
        digits(seconds % 60, width: 2, at: 17)
        out[19] = UInt8(ascii: ".")
        digits(microsOfDay % 1_000_000, width: 6, at: 20)
        out[26] = UInt8(ascii: "Z")
    }

    static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var reader = DigitReader(bytes: bytes)
        guard let year = reader.number(digits: 4), reader.consume(UInt8(ascii: "-")),
            let month = reader.number(digits: 2), reader.consume(UInt8(ascii: "-")),
            let day = reader.number(digits: 2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        guard reader.consume(UInt8(ascii: "T")) || reader.consume(UInt8(ascii: "t"))
            || reader.consume(UInt8(ascii: " "))
        else { return nil }
        guard let hour = reader.number(digits: 2), reader.consume(UInt8(ascii: ":")),
            let minute = reader.number(digits: 2), reader.consume(UInt8(ascii: ":")),
            let second = reader.number(digits: 2), hour < 24, minute < 60, second < 61
        else { return nil }
        var micros: Int64 = 0
        if reader.consume(UInt8(ascii: ".")) || reader.consume(UInt8(ascii: ",")) {
            var digits = 0
            while let digit = reader.digit() {
                if digits < 6 { micros = micros * 10 + Int64(digit) }
                digits += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 6) { micros *= 10 }
        }
        var offsetSeconds: Int64 = 0
        if reader.consume(UInt8(ascii: "Z")) || reader.consume(UInt8(ascii: "z")) {
            offsetSeconds = 0
        } else if let sign = reader.sign() {
            guard let offsetHours = reader.number(digits: 2) else { return nil }
            _ = reader.consume(UInt8(ascii: ":"))
            let offsetMinutes = reader.number(digits: 2) ?? 0
            offsetSeconds = sign * Int64(offsetHours * 3600 + offsetMinutes * 60)
        }
        guard reader.isAtEnd else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    package static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilDate(fromDaysSinceEpoch days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

}

/// Reads ASCII digits and separators from a UTF-8 buffer.
private struct DigitReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    var isAtEnd: Bool { index == bytes.count }

    mutating func digit() -> Int? {
        guard index < bytes.count else { return nil }
        let byte = bytes[index]
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        index += 1
        return Int(byte - UInt8(ascii: "0"))
    }

    mutating func number(digits count: Int) -> Int? {
        var value = 0
        for _ in 0..<count {
            guard let digit = digit() else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func sign() -> Int64? {
        if consume(UInt8(ascii: "+")) { return 1 }
        if consume(UInt8(ascii: "-")) { return -1 }
        return nil
    }
}
