import PrefectSchemas

/// What pydantic refuses in a filter body that the forward-compatible schemas accept: an
/// `operator` other than `and_`/`or_`, and a state type Prefect does not have.
enum FilterValidation {
    static func check(_ body: JSONValue) throws {
        var errors: [JSONValue] = []
        walk(body, path: ["body"], errors: &errors)
        guard errors.isEmpty else { throw APIError.validation(errors, requestBody: body) }
    }

    private static let operators: Set<String> = ["and_", "or_"]
    private static let stateTypes = Set(StateType.allCases.map(\.rawValue))

    private static func walk(_ value: JSONValue, path: [JSONValue], errors: inout [JSONValue]) {
        switch value {
        case .object(let object):
            for (key, child) in object {
                let childPath = path + [.string(key)]
                if key == "operator", case .string(let op) = child, !operators.contains(op) {
                    errors.append(APIError.validationEntry(
                        type: "enum", loc: childPath, msg: "Input should be 'and_' or 'or_'", input: child))
                } else if isStateTypeList(childPath), case .array(let items) = child {
                    for (index, item) in items.enumerated() {
                        if case .string(let type) = item, stateTypes.contains(type) { continue }
                        errors.append(APIError.validationEntry(
                            type: "enum", loc: childPath + [.int(Int64(index))],
                            msg: "Input should be " + ActionBody.alternatives(StateType.allCases.map(\.rawValue)),
                            input: item))
                    }
                } else {
                    walk(child, path: childPath, errors: &errors)
                }
            }
        case .array(let items):
            for (index, item) in items.enumerated() { walk(item, path: path + [.int(Int64(index))], errors: &errors) }
        default:
            break
        }
    }

    /// `…state.type.any_` or `…state.type.not_any_`.
    private static func isStateTypeList(_ path: [JSONValue]) -> Bool {
        guard path.count >= 3 else { return false }
        let tail = path.suffix(3).map { $0.stringKey }
        return tail[0] == "state" && tail[1] == "type" && (tail[2] == "any_" || tail[2] == "not_any_")
    }
}

extension JSONValue {
    fileprivate var stringKey: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
