import Foundation
import PrefectSchemas

/// Timestamps as the database stores them: whole microseconds since the Unix epoch, which
/// keeps Prefect's microsecond precision and orders as plain integers.
enum StoredTime {
    /// `date` in microseconds, held within Python's `datetime` range (``PrefectDate/microseconds(_:)``).
    static func micros(_ date: Date) -> Int64 {
        PrefectDate.microseconds(date)
    }

    static func optionalMicros(_ date: Date?) -> Int64? {
        date.map { micros($0) }
    }

    static func date(_ micros: Int64) -> Date {
        Date(timeIntervalSince1970: Double(micros) / 1_000_000)
    }

    /// A stored time as the API writes it (`YYYY-MM-DDTHH:MM:SS.ffffffZ`), null for NULL.
    static func json(_ micros: Int64?) -> JSONValue {
        micros.map { .string(PrefectDate.format(date($0))) } ?? .null
    }

    /// `date` cut to whole microseconds, as Prefect's database keeps it.
    static func truncated(_ date: Date) -> Date {
        Self.date(micros(date))
    }
}
