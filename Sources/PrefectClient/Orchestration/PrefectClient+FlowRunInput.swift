public import Foundation
import HTTPTypes

extension PrefectClient {
    /// Stores `value` under `key` for a flow run (`POST /flow_runs/{id}/input`); used by
    /// `pause_flow_run(wait_for_input=…)` and `send_input`.
    ///
    /// - Throws: ``PrefectArgumentError`` when `key` has characters other than letters, digits
    ///   and dashes (checked before sending, as Prefect does); ``ObjectAlreadyExists`` when the
    ///   key is taken.
    public func createFlowRunInput(flowRunID: UUID, key: String, value: String, sender: String? = nil) async throws {
        try Self.validateInputKey(key)
        _ = try await request(
            .post, "/flow_runs/\(Self.segment(flowRunID))/input",
            json: FlowRunInputCreate(key: key, value: value, sender: sender), errors: [.notFound, .conflict])
    }

    /// The value stored under `key` for a flow run, as sent (`GET /flow_runs/{id}/input/{key}`).
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such key.
    public func readFlowRunInput(flowRunID: UUID, key: String) async throws -> String {
        try await request(
            .get, "/flow_runs/\(Self.segment(flowRunID))/input/\(Self.segment(key))", errors: .notFound
        ).text
    }

    /// Inputs of a flow run whose keys start with `keyPrefix`, leaving out `excludeKeys`
    /// (`POST /flow_runs/{id}/input/filter`).
    public func filterFlowRunInput(
        flowRunID: UUID, keyPrefix: String, limit: Int = 1, excludeKeys: Set<String> = []
    ) async throws -> [FlowRunInput] {
        try await request(
            .post, "/flow_runs/\(Self.segment(flowRunID))/input/filter",
            json: FlowRunInputFilter(prefix: keyPrefix, limit: limit, excludeKeys: excludeKeys.sorted())
        ).decode([FlowRunInput].self)
    }

    /// Removes the input stored under `key` (`DELETE /flow_runs/{id}/input/{key}`).
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such key.
    public func deleteFlowRunInput(flowRunID: UUID, key: String) async throws {
        _ = try await request(
            .delete, "/flow_runs/\(Self.segment(flowRunID))/input/\(Self.segment(key))", errors: .notFound)
    }

    /// Prefect's `raise_on_name_alphanumeric_dashes_only`.
    static func validateInputKey(_ key: String) throws {
        let allowed = key.unicodeScalars.allSatisfy { scalar in
            scalar == "-" || (scalar.isASCII && CharacterSet.alphanumerics.contains(scalar))
        }
        guard !key.isEmpty, allowed else {
            throw PrefectArgumentError(argument: "key", message: "'\(key)' must only contain letters, numbers, and dashes")
        }
    }
}

/// The body of `POST /flow_runs/{id}/input`.
struct FlowRunInputCreate: Encodable {
    let key: String
    let value: String
    let sender: String?

    enum CodingKeys: String, CodingKey {
        case key, value, sender
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key, forKey: .key)
        try container.encode(value, forKey: .value)
        try container.encode(sender, forKey: .sender)
    }
}

/// The body of `POST /flow_runs/{id}/input/filter`.
struct FlowRunInputFilter: Encodable {
    let prefix: String
    let limit: Int
    let excludeKeys: [String]

    enum CodingKeys: String, CodingKey {
        case prefix, limit
        case excludeKeys = "exclude_keys"
    }
}
