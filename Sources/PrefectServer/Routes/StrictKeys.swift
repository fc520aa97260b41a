import Foundation
import PrefectSchemas

/// The members a request body may have: Prefect's action models (`FlowCreate`, `StateCreate`, …)
/// forbid extras, so a member they do not define is a 422 `extra_forbidden`, where the
/// forward-compatible schemas would ignore it.
struct KeyRules: Sendable {
    /// The members allowed here; nil allows any (free-form objects, FastAPI's embedded bodies).
    var allowed: Set<String>?
    /// Rules for the objects under some members.
    var nested: [String: KeyRules] = [:]
    /// Whether the value is a list whose items follow these rules.
    var isList = false

    func check(_ value: JSONValue, path: [JSONValue] = ["body"], errors: inout [JSONValue]) {
        if isList {
            guard case .array(let items) = value else { return }
            var item = self
            item.isList = false
            for (index, element) in items.enumerated() {
                item.check(element, path: path + [.int(Int64(index))], errors: &errors)
            }
            return
        }
        guard case .object(let object) = value else { return }
        for (key, child) in object {
            if let allowed, !allowed.contains(key) {
                errors.append(APIError.validationEntry(
                    type: "extra_forbidden", loc: path + [.string(key)], msg: "Extra inputs are not permitted", input: child))
            } else if let rules = nested[key] {
                rules.check(child, path: path + [.string(key)], errors: &errors)
            }
        }
    }

    /// The members `sample` encodes with every field present.
    static func members<T: Encodable>(of sample: T, except excluded: Set<String> = []) -> KeyRules {
        guard let data = try? ServerJSON.encode(sample), case .object(let object)? = try? PrefectJSON.decode(JSONValue.self, from: data)
        else { return KeyRules(allowed: nil) }
        return KeyRules(allowed: Set(object.keys).subtracting(excluded))
    }
}

/// The rules of the bodies the embedded server reads (Prefect 3.9.1's `schemas.actions`).
enum StrictBodies {
    static let state = KeyRules.members(of: StateCreate(type: .pending))
    static let flowCreate = KeyRules.members(of: FlowCreate(name: ""))
    static let flowUpdate = KeyRules.members(of: FlowUpdate())
    static let flowRunCreate = with(KeyRules.members(of: FlowRunCreate(flowID: UUID.version4())), nested: ["state": state])
    static let flowRunUpdate = KeyRules.members(of: FlowRunUpdate())
    static let taskRunCreate = with(KeyRules.members(of: TaskRunCreate(taskKey: "", dynamicKey: "")), nested: ["state": state])
    static let taskRunUpdate = KeyRules.members(of: TaskRunUpdate())
    /// `set_state`: `state` and `force` are embedded body parameters (extras ignored), the state
    /// itself a `StateCreate`.
    static let setState = KeyRules(allowed: nil, nested: ["state": state])

    private static func with(_ rules: KeyRules, nested: [String: KeyRules]) -> KeyRules {
        var rules = rules
        rules.nested = nested
        return rules
    }
}
