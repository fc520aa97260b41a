import PrefectSchemas

extension JSONValue {
    /// The members, when this value is a JSON object.
    var objectValue: [String: JSONValue]? {
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
    var doubleValue: Double? {
        switch self {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }
}
