import Foundation
import PrefectClient

/// Which task run produced which value, so that a task called with an earlier task's result
/// records it in `task_inputs` — Prefect's `link_state_to_result` and
/// `collect_task_run_inputs` (`prefect/utilities/engine`).
///
/// Prefect links by object identity; Swift results are values, so this links by value: the
/// JSON of a result and of each of its members (one level deep, as Prefect does). Values too
/// common to say anything — `null`, booleans, small integers (the ones Python keeps as
/// singletons and Prefect therefore cannot track), empty strings and collections — are never
/// linked.
struct ResultLinks {
    private var producers: [JSONValue: [UUID]] = [:]

    mutating func record(_ result: JSONValue, from taskRunID: UUID) {
        add(result, taskRunID)
        switch result {
        case .array(let elements): for element in elements { add(element, taskRunID) }
        case .object(let members): for value in members.values { add(value, taskRunID) }
        default: break
        }
    }

    /// For each parameter, the task runs whose results it holds, found anywhere inside it.
    func inputs(for parameters: JSONObject) -> [String: [TaskRunInput]] {
        var inputs: [String: [TaskRunInput]] = [:]
        for (name, value) in parameters {
            var found: [UUID] = []
            collect(value, into: &found)
            inputs[name] = found.map { .taskRun(TaskRunResult(id: $0)) }
        }
        return inputs
    }

    private func collect(_ value: JSONValue, into found: inout [UUID]) {
        guard !producers.isEmpty else { return }
        if Self.isTrackable(value), let ids = producers[value] {
            for id in ids where !found.contains(id) { found.append(id) }
        }
        switch value {
        case .array(let elements): for element in elements { collect(element, into: &found) }
        case .object(let members): for member in members.values { collect(member, into: &found) }
        default: break
        }
    }

    private mutating func add(_ value: JSONValue, _ id: UUID) {
        guard Self.isTrackable(value) else { return }
        if producers[value]?.contains(id) != true {
            producers[value, default: []].append(id)
        }
    }

    static func isTrackable(_ value: JSONValue) -> Bool {
        switch value {
        case .null, .bool: false
        case .int(let number): !(-5...256).contains(number)
        case .double: true
        case .string(let text): !text.isEmpty
        case .array(let elements): !elements.isEmpty
        case .object(let members): !members.isEmpty
        }
    }
}
