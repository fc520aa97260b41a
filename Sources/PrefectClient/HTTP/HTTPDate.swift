import Foundation
import PrefectSchemas

/// Reads the HTTP-date forms of RFC 9110 §5.6.7 (IMF-fixdate, obsolete RFC 850 and asctime).
enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// The instant an HTTP-date names, or `nil` when `text` is not an HTTP-date.
    static func parse(_ text: String) -> Date? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        let day: Int?
        let monthName: String
        let year: Int?
        let time: String
        switch parts.count {
        case 4 where parts[1].contains("-"):  // Sunday, 06-Nov-94 08:49:37 GMT
            let dateParts = parts[1].split(separator: "-").map(String.init)
            guard dateParts.count == 3, let twoDigitYear = Int(dateParts[2]) else { return nil }
            day = Int(dateParts[0])
            monthName = dateParts[1]
            year = twoDigitYear < 70 ? 2000 + twoDigitYear : 1900 + twoDigitYear
            time = parts[2]
        case 6:  // Sun, 06 Nov 1994 08:49:37 GMT
            day = Int(parts[1])
            monthName = parts[2]
            year = Int(parts[3])
            time = parts[4]
            guard parts[5].uppercased() == "GMT" || parts[5].uppercased() == "UTC" else { return nil }
        case 5:  // Sun Nov  6 08:49:37 1994
            day = Int(parts[2])
            monthName = parts[1]
            year = Int(parts[4])
            time = parts[3]
        default:
            return nil
        }
        guard let day, let year, let month = months.firstIndex(of: monthName.lowercased()) else { return nil }
        let clock = time.split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3, (1...31).contains(day), (1...9999).contains(year), clock.allSatisfy({ $0 >= 0 }),
              clock[0] < 24, clock[1] < 60, clock[2] < 61
        else {
            return nil
        }
        let days = PrefectDate.daysSinceEpoch(year: year, month: month + 1, day: day)
        let seconds = days * 86_400 + Int64(clock[0] * 3600 + clock[1] * 60 + clock[2])
        return Date(timeIntervalSince1970: Double(seconds))
    }
}
