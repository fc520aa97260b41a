import PrefectSchemas

extension JSONValue {
    /// Python's truth value of the value (`bool(value)`): false for null, false, 0, and an
    /// empty string, list or object.
    var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let flag): flag
        case .int(let number): number != 0
        case .double(let number): number != 0
        case .string(let text): !text.isEmpty
        case .array(let items): !items.isEmpty
        case .object(let members): !members.isEmpty
        }
    }

    /// The members, when this value is a JSON object.
    var objectValue: JSONObject? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The items, when this value is a JSON array.
    var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The flag, when this value is a JSON boolean.
    var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    /// The integer, when this value is a JSON integer.
    var intValue: Int64? {
        if case .int(let number) = self { return number }
        return nil
    }

    /// The number, when this value is a JSON number (integer or not).
    var isArray: Bool {
        if case .array = self { return true }
        return false
    }

    var isObject: Bool {
        if case .object = self { return true }
        return false
    }

    var isBool: Bool {
        if case .bool = self { return true }
        return false
    }

    var isInteger: Bool {
        if case .int = self { return true }
        return false
    }

    var doubleValue: Double? {
        switch self {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }
}
