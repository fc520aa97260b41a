import Foundation
import Hummingbird
import PrefectSchemas

/// The bodies of `POST /artifacts/` and `PATCH /artifacts/{id}`, checked as Prefect 3.9.1's
/// `ArtifactCreate` and `ArtifactUpdate` check theirs: extra members forbidden, the key an
/// `ArtifactKey` (lower-case letters, digits and dashes), metadata values cut to 500 characters
/// and "...".
enum ArtifactBodies {
    static let maximumMetadataLength = 500

    static func create(from request: Request) async throws -> ArtifactStore.Create {
        let data = try await APIBody.read(request)
        var body = data.isEmpty ? try ActionBody.parse(Data("{}".utf8), allowed: createMembers) : try ActionBody.parse(data, allowed: createMembers)
        if let key = body.string("key"), !key.unicodeScalars.allSatisfy(isKeyCharacter) {
            body.fail("key", type: "value_error", msg: "Value error, Artifact key must only contain lowercase letters, numbers, and dashes.")
        }
        body.checkType("key", .string)
        body.checkType("type", .string)
        body.checkType("description", .string)
        checkMetadata(&body)
        body.checkType("flow_run_id", .uuid)
        body.checkType("task_run_id", .uuid)
        try body.throwErrors()
        return ArtifactStore.Create(
            key: body.string("key"), type: body.string("type"), description: body.string("description"),
            data: body.object["data"], metadata: metadata(body.object["metadata_"]),
            flowRunID: body.string("flow_run_id").flatMap(UUID.init(uuidString:)),
            taskRunID: body.string("task_run_id").flatMap(UUID.init(uuidString:)))
    }

    static func changes(from request: Request) async throws -> ArtifactStore.Changes {
        var body = try await ActionBody.read(request, allowed: ["data", "description", "metadata_"])
        body.checkType("description", .string)
        checkMetadata(&body)
        try body.throwErrors()
        var changes: ArtifactStore.Changes = []
        if let data = body.object["data"] { changes.append(("data", data)) }
        if let description = body.object["description"] { changes.append(("description", description)) }
        if let metadata = body.object["metadata_"] { changes.append(("metadata", self.metadata(metadata) ?? .null)) }
        return changes
    }

    /// A filter body's bytes (`{}` when empty), checked as Prefect's filter models check theirs.
    static func filterData(from request: Request) async throws -> Data {
        var data = try await APIBody.read(request)
        if data.isEmpty { data = Data("{}".utf8) }
        try FilterValidation.check(try APIBody.decode(JSONValue.self, from: data))
        return data
    }

    private static let createMembers: Set<String> = ["key", "type", "description", "data", "metadata_", "flow_run_id", "task_run_id"]

    private static func isKeyCharacter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-"
    }

    /// `metadata_` must be an object of strings.
    private static func checkMetadata(_ body: inout ActionBody) {
        guard let value = body.object["metadata_"], value != .null else { return }
        guard case .object(let members) = value else {
            body.fail("metadata_", type: "dict_type", msg: "Input should be a valid dictionary")
            return
        }
        for (key, member) in members where member.stringValue == nil {
            body.append(APIError.validationEntry(
                type: "string_type", loc: ["body", "metadata_", .string(key)], msg: "Input should be a valid string", input: member))
        }
    }

    /// `validate_max_metadata_length`: each value at most 500 characters, longer ones cut and marked.
    private static func metadata(_ value: JSONValue?) -> JSONValue? {
        guard case .object(let members)? = value else { return nil }
        return .object(members.mapValues { member in
            guard let text = member.stringValue, text.count > maximumMetadataLength else { return member }
            return .string(String(text.prefix(maximumMetadataLength)) + "...")
        })
    }
}
