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
}
