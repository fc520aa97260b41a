import Foundation

/// A duration in seconds: Prefect's `timedelta` fields (`total_run_time`, a schedule's
/// `interval`, …), which the server sends as a number of seconds.
public typealias Seconds = Double

extension KeyedDecodingContainer {
    /// Decodes a duration sent as seconds (`12.5`) or as an ISO 8601 duration (`PT12.5S`).
    public func decodeSeconds(forKey key: Key) throws -> Seconds {
        guard let value = try decodeSecondsIfPresent(forKey: key) else {
            throw DecodingError.valueNotFound(
                Seconds.self, .init(codingPath: codingPath + [key], debugDescription: "Expected a duration"))
        }
        return value
    }

    /// Decodes an optional duration; absent or `null` gives `nil`.
    public func decodeSecondsIfPresent(forKey key: Key) throws -> Seconds? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let number = try? decode(Double.self, forKey: key) { return number }
        let text = try decode(String.self, forKey: key)
        guard let seconds = ISODuration.seconds(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "Expected seconds or an ISO 8601 duration, got '\(text)'")
        }
        return seconds
    }
}

/// Reads ISO 8601 durations such as `P1DT2H3M4.5S` or `-PT30S`.
package enum ISODuration {
    package static func seconds(_ text: String) -> Double? {
        var rest = Substring(text)
        var sign = 1.0
        if rest.hasPrefix("-") {
            sign = -1
            rest = rest.dropFirst()
        }
        guard rest.hasPrefix("P") else { return nil }
        rest = rest.dropFirst()
        var total = 0.0
        var inTime = false
        var number = ""
        for character in rest {
            if character == "T" {
                inTime = true
                continue
            }
            if character.isNumber || character == "." {
                number.append(character)
                continue
            }
            guard let value = Double(number) else { return nil }
            number = ""
            switch (character, inTime) {
            case ("W", false): total += value * 604_800
            case ("D", false): total += value * 86_400
            case ("H", true): total += value * 3_600
            case ("M", true): total += value * 60
            case ("S", true): total += value
            default: return nil
            }
        }
        return number.isEmpty ? sign * total : nil
    }
}

/// Coding keys for models with no fields.
enum EmptyCodingKeys: CodingKey {}
