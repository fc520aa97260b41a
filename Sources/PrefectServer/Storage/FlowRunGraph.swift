import Foundation
import GRDB
import PrefectSchemas

/// A flow run's graph (Prefect's `flow_run_graph_v2` with its SQLite query,
/// `database/query_components.py`): its task runs and the subflow runs they stand for, each
/// with the nodes its inputs come from, its artifacts, and the run's states.
enum FlowRunGraph {
    /// `PREFECT_SERVER_FLOW_RUN_GRAPH_MAX_NODES` and `…_MAX_ARTIFACTS`.
    static let maximumNodes = 10_000
    static let maximumArtifacts = 10_000
    static let beginning = Date(timeIntervalSince1970: -62_135_596_800)

    struct TooLarge: Error {
        let message: String
    }

    /// One row of Prefect's `edges`: a node and one argument of one of its inputs.
    private struct Edge {
        let kind: String
        let id: String
        let label: String
        let stateType: String?
        let start: Int64
        let end: Int64?
        let parent: String?
        let encapsulating: Bool
    }

    /// The graph as the API answers it; nil when the flow run does not exist.
    static func read(_ db: Database, flowRunID: UUID, since: Date) throws -> JSONValue? {
        guard let run = try Row.fetchOne(
            db, sql: "SELECT COALESCE(start_time, expected_start_time) AS start, end_time FROM flow_run WHERE id = ?",
            arguments: [flowRunID.prefectString])
        else { return nil }
        let edges = try edgeRows(db, flowRunID: flowRunID)
        var rowsByID: [String: Int] = [:]
        for edge in edges { rowsByID[edge.id, default: 0] += 1 }
        // Prefect joins each edge row to every row of its parent, so an id comes once per row of
        // the node it names (json_group_array over the join).
        var parentIDs: [String: [String]] = [:]
        var childIDs: [String: [String]] = [:]
        var encapsulatingIDs: [String: [String]] = [:]
        for edge in edges {
            guard let parent = edge.parent, let repeats = rowsByID[parent] else { continue }
            for _ in 0..<repeats {
                if edge.encapsulating {
                    encapsulatingIDs[edge.id, default: []].append(parent)
                } else {
                    parentIDs[edge.id, default: []].append(parent)
                    childIDs[parent, default: []].append(edge.id)
                }
            }
        }
        var seen = Set<String>()
        let nodes = edges.filter { seen.insert($0.id).inserted }
            .filter { edge in edge.end.map { $0 >= StoredTime.micros(since) } ?? true }
            .enumerated()
            .sorted { lhs, rhs in
                let left = (lhs.element.start, lhs.element.end ?? Int64.min), right = (rhs.element.start, rhs.element.end ?? Int64.min)
                return left != right ? left < right : lhs.offset < rhs.offset
            }.map(\.element)
        guard nodes.count <= maximumNodes else {
            throw TooLarge(message: "The graph of flow run \(flowRunID.prefectString) has more than \(maximumNodes) nodes.")
        }
        let artifacts = try artifactsByTaskRun(db, flowRunID: flowRunID)
        func edgeList(_ ids: [String]) -> JSONValue { .array(ids.map { .object(JSONObject([("id", .string($0))])) }) }
        let nodeValues = nodes.map { node -> JSONValue in
            var encapsulating: [String] = []
            for id in encapsulatingIDs[node.id] ?? [] where !encapsulating.contains(id) { encapsulating.append(id) }
            let members: [(String, JSONValue)] = [
                ("kind", .string(node.kind)), ("id", .string(node.id)), ("label", .string(node.label)),
                ("state_type", node.stateType.map(JSONValue.string) ?? .null), ("start_time", time(node.start)),
                ("end_time", node.end.map(time) ?? .null), ("parents", edgeList(parentIDs[node.id] ?? [])),
                ("children", edgeList(childIDs[node.id] ?? [])), ("encapsulating", edgeList(encapsulating)),
                ("artifacts", .array(artifacts[node.id] ?? [])),
            ]
            return .array([.string(node.id), .object(JSONObject(members))])
        }
        let roots = nodes.filter { parentIDs[$0.id] == nil }.map { JSONValue.string($0.id) }
        let graph: [(String, JSONValue)] = [
            ("start_time", (run["start"] as Int64?).map(time) ?? .null), ("end_time", (run["end_time"] as Int64?).map(time) ?? .null),
            ("root_node_ids", .array(roots)), ("nodes", .array(nodeValues)), ("artifacts", .array(artifacts[""] ?? [])),
            ("states", .array(try states(db, flowRunID: flowRunID))),
        ]
        return .object(JSONObject(graph))
    }

    private static func time(_ micros: Int64) -> JSONValue { .string(PrefectDate.format(StoredTime.date(micros))) }

    /// Prefect's `edges`: each task run of the flow run (the subflow run it stands for, if any),
    /// once per argument of each of its inputs (once without any), ordered by node id.
    private static func edgeRows(_ db: Database, flowRunID: UUID) throws -> [Edge] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT task_run.id AS task_id, task_run.name AS task_name, task_run.state_type AS task_state,
                       task_run.start_time AS task_start, task_run.expected_start_time AS task_expected,
                       task_run.end_time AS task_end, task_run.body AS task_body,
                       flow_run.id AS run_id, flow_run.name AS run_name, flow_run.state_type AS run_state,
                       flow_run.start_time AS run_start, flow_run.expected_start_time AS run_expected,
                       flow_run.end_time AS run_end, flow.name AS flow_name
                FROM task_run
                LEFT JOIN flow_run ON flow_run.parent_task_run_id = task_run.id
                LEFT JOIN flow ON flow.id = flow_run.flow_id
                WHERE task_run.flow_run_id = ?
                """,
            arguments: [flowRunID.prefectString])
        var edges: [Edge] = []
        for row in rows {
            let runID: String? = row["run_id"]
            let taskID: String = row["task_id"] ?? ""
            let starts: [Int64?] = [row["run_start"], row["run_expected"], row["task_start"], row["task_expected"]]
            guard let start = starts.compactMap({ $0 }).first else { continue }
            let taskState: String? = row["task_state"]
            let taskExpected: Int64? = row["task_expected"]
            let ends: [Int64?] = [row["run_end"], row["task_end"], taskState == "COMPLETED" ? taskExpected : nil]
            let label: String
            if runID != nil {
                label = (row["flow_name"] as String? ?? "") + " / " + (row["run_name"] as String? ?? "")
            } else {
                label = row["task_name"] ?? ""
            }
            let id = runID ?? taskID
            let kind = runID == nil ? "task-run" : "flow-run"
            let stateType: String? = row["run_state"] ?? taskState
            for (key, parent) in arguments(row["task_body"]) {
                edges.append(Edge(
                    kind: kind, id: id, label: label, stateType: stateType, start: start, end: ends.compactMap { $0 }.first,
                    parent: parent, encapsulating: key == "__parents__"))
            }
        }
        return edges.enumerated().sorted { $0.element.id != $1.element.id ? $0.element.id < $1.element.id : $0.offset < $1.offset }
            .map(\.element)
    }

    /// A task run's inputs as `json_each` twice gives them: (input name, the argument's `id`)
    /// per argument, (name, nil) for an input without arguments, (nil, nil) without inputs.
    private static func arguments(_ body: Data?) -> [(String?, String?)] {
        guard let body, let run = try? PrefectJSON.decode(JSONValue.self, from: body), case .object(let inputs)? = run["task_inputs"],
            !inputs.keys.isEmpty
        else { return [(nil, nil)] }
        var out: [(String?, String?)] = []
        for (key, value) in inputs {
            guard case .array(let items) = value, !items.isEmpty else {
                out.append((key, nil))
                continue
            }
            for item in items { out.append((key, item["id"]?.stringValue)) }
        }
        return out
    }

    /// The flow run's artifacts but results, oldest first, by task run (`""` for the flow run's
    /// own): `is_latest` when it has no key or is its key's latest; `data` for progress only.
    private static func artifactsByTaskRun(_ db: Database, flowRunID: UUID) throws -> [String: [JSONValue]] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT artifact.id, artifact.created, artifact.key, artifact.type, artifact.data, artifact.task_run_id,
                       artifact_collection.id AS latest
                FROM artifact LEFT JOIN artifact_collection
                  ON artifact_collection.key = artifact.key AND artifact_collection.latest_id = artifact.id
                WHERE artifact.flow_run_id = ? AND (artifact.type IS NULL OR artifact.type != 'result')
                ORDER BY artifact.created ASC LIMIT \(maximumArtifacts)
                """,
            arguments: [flowRunID.prefectString])
        var out: [String: [JSONValue]] = [:]
        for row in rows {
            let key: String? = row["key"]
            let type: String? = row["type"]
            let latest: String? = row["latest"]
            let created: Int64 = row["created"] ?? 0
            let data = type == "progress" ? (try JSONText.decode(row["data"] as String?) ?? .null) : .null
            let members: [(String, JSONValue)] = [
                ("id", .string(row["id"] ?? "")), ("created", time(created)), ("key", key.map(JSONValue.string) ?? .null),
                ("type", type.map(JSONValue.string) ?? .null), ("is_latest", .bool(key == nil || latest != nil)), ("data", data),
            ]
            out[row["task_run_id"] ?? "", default: []].append(.object(JSONObject(members)))
        }
        return out
    }

    /// `read_flow_run_states`: id, timestamp, type, name, oldest first.
    private static func states(_ db: Database, flowRunID: UUID) throws -> [JSONValue] {
        try Row.fetchAll(
            db, sql: "SELECT id, timestamp, type, name FROM flow_run_state WHERE flow_run_id = ? ORDER BY timestamp",
            arguments: [flowRunID.prefectString]
        ).map { row in
            let members: [(String, JSONValue)] = [
                ("id", .string(row["id"] ?? "")), ("timestamp", time(row["timestamp"] ?? 0)),
                ("type", .string(row["type"] ?? "")), ("name", .string(row["name"] ?? "")),
            ]
            return .object(JSONObject(members))
        }
    }
}
