import PrefectSchemas

/// The `ctx` member pydantic-core adds to an error entry, read back from the entry's `type`
/// and its message (pydantic writes the message from the context, with fixed templates).
enum ValidationContext {
    /// The error types whose message ends in `, <error>` after "Input should be a valid …".
    private static let parsingTypes: Set<String> = [
        "uuid_parsing", "datetime_parsing", "datetime_from_date_parsing", "date_parsing", "date_from_datetime_parsing",
        "time_parsing", "time_delta_parsing", "url_parsing",
    ]

    static func ctx(type: String, msg: String) -> JSONValue? {
        switch type {
        case "value_error", "assertion_error":
            // The exception object, which FastAPI's encoder writes as an empty object.
            return ["error": [:]]
        case "enum", "literal_error":
            return after("Input should be ", in: msg).map { ["expected": .string($0)] }
        case "greater_than": return bound("gt", after: "Input should be greater than ", in: msg)
        case "greater_than_equal": return bound("ge", after: "Input should be greater than or equal to ", in: msg)
        case "less_than": return bound("lt", after: "Input should be less than ", in: msg)
        case "less_than_equal": return bound("le", after: "Input should be less than or equal to ", in: msg)
        case "string_pattern_mismatch":
            guard let pattern = after("String should match pattern '", in: msg), pattern.hasSuffix("'") else { return nil }
            return ["pattern": .string(String(pattern.dropLast()))]
        case "string_too_short", "string_too_long":
            guard let match = msg.firstMatch(of: /String should have at (least|most) (\d+) characters?/), let length = Int64(match.output.2)
            else { return nil }
            return [type == "string_too_short" ? "min_length" : "max_length": .int(length)]
        case "too_short", "too_long":
            guard let match = msg.firstMatch(of: /^(\w+) should have at (?:least|most) (\d+) items? after validation, not (\d+)/),
                let limit = Int64(match.output.2), let actual = Int64(match.output.3)
            else { return nil }
            return [
                "field_type": .string(String(match.output.1)),
                type == "too_short" ? "min_length" : "max_length": .int(limit), "actual_length": .int(actual),
            ]
        case "model_type", "model_attributes_type":
            return after("Input should be a valid dictionary or instance of ", in: msg).map { ["class_name": .string($0)] }
        case "union_tag_invalid":
            guard let match = msg.firstMatch(of: /^Input tag '(.*)' found using (.*) does not match any of the expected tags: (.*)$/) else {
                return nil
            }
            return [
                "discriminator": .string(String(match.output.2)), "tag": .string(String(match.output.1)),
                "expected_tags": .string(String(match.output.3)),
            ]
        case "union_tag_not_found":
            return after("Unable to extract tag using discriminator ", in: msg).map { ["discriminator": .string($0)] }
        case let parsing where parsingTypes.contains(parsing):
            guard msg.hasPrefix("Input should be a valid "), let comma = msg.firstRange(of: ", ") else { return nil }
            return ["error": .string(String(msg[comma.upperBound...]))]
        default:
            return nil
        }
    }

    private static func after(_ prefix: String, in msg: String) -> String? {
        msg.hasPrefix(prefix) ? String(msg.dropFirst(prefix.count)) : nil
    }

    /// A numeric bound as pydantic echoes it: an integer when the message writes one.
    private static func bound(_ name: String, after prefix: String, in msg: String) -> JSONValue? {
        guard let text = after(prefix, in: msg) else { return nil }
        if let whole = Int64(text) { return [name: .int(whole)] }
        if let number = Double(text) { return [name: .double(number)] }
        return [name: .string(text)]
    }
}
