import Foundation

/// The formats `jsonschema`'s `FORMAT_CHECKER` checks with the libraries Prefect 3.9.1 installs:
/// `date-time` and `time` (RFC 3339), `date` (`date.fromisoformat`, `YYYY-MM-DD`), `uuid`
/// (hyphenated), `email` (has an `@`), `ipv4` (dotted quad).
enum JSONSchemaFormats {
    /// Whether `text` is of `format`; nil for a format that is not checked.
    static func check(_ text: String, format: String) -> Bool? {
        switch format {
        case "date-time": isDateTime(text)
        case "date": isDate(text)
        case "time": isTime(text)
        case "uuid": text.count == 36 && UUID(uuidString: text) != nil
        case "email": text.contains("@")
        case "ipv4": isIPv4(text)
        default: nil
        }
    }

    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }), year >= 1, (1...12).contains(month)
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }

    /// RFC 3339 `full-time`: `HH:MM:SS[.frac](Z|±HH:MM)`.
    static func isTime(_ text: String) -> Bool {
        let characters = Array(text.uppercased())
        guard characters.count >= 9, characters[2] == ":", characters[5] == ":",
            let hour = Int(String(characters[0..<2])), let minute = Int(String(characters[3..<5])),
            let second = Int(String(characters[6..<8])), hour < 24, minute < 60, second <= 60
        else { return false }
        var index = 8
        if index < characters.count, characters[index] == "." {
            index += 1
            let start = index
            while index < characters.count, characters[index].isASCII, characters[index].isNumber { index += 1 }
            guard index > start else { return false }
        }
        let zone = String(characters[index...])
        if zone == "Z" { return true }
        let zoneCharacters = Array(zone)
        guard zoneCharacters.count == 6, zoneCharacters[0] == "+" || zoneCharacters[0] == "-", zoneCharacters[3] == ":",
            let hours = Int(String(zoneCharacters[1..<3])), let minutes = Int(String(zoneCharacters[4..<6]))
        else { return false }
        return hours < 24 && minutes < 60
    }

    /// RFC 3339 `date-time`: a date, `T` (or `t`, or a space is not allowed), a time.
    static func isDateTime(_ text: String) -> Bool {
        guard let separator = text.firstIndex(where: { $0 == "T" || $0 == "t" }) else { return false }
        return isDate(String(text[..<separator])) && isTime(String(text[text.index(after: separator)...]))
    }

    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy { $0.isASCII && $0.isNumber } && (Int(part) ?? 256) <= 255
                && !(part.count > 1 && part.hasPrefix("0"))
        }
    }
}
