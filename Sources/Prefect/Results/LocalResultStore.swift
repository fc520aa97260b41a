import Foundation
import PrefectClient

/// Task results persisted as files — Prefect's `ResultStore` over `LocalFileSystem`
/// (`prefect/results.py`), one record per storage key under ``directory``
/// (`PREFECT_LOCAL_STORAGE_PATH`, default `$PREFECT_HOME/storage`).
///
/// A record is the JSON Prefect writes — `{"metadata": {"storage_key", "expiration",
/// "serializer": {"type": "json"}, "prefect_version", "storage_block_id"}, "result": "<JSON
/// text>"}` — so Prefect's own tooling can read it. Records are written to a temporary file
/// and renamed into place, so a process killed mid-write leaves the old record or none.
struct LocalResultStore: Sendable {
    let directory: URL

    /// A stored result and the metadata the Completed state carries as its `data`.
    struct Hit<Value> {
        let value: Value
        let metadata: JSONValue
    }

    enum Miss: Sendable {
        case absent
        case expired
        /// The record is there but is not a `Value` (another type, or unreadable).
        case undecodable(String)
    }

    /// The record for `key`, if present, unexpired and a `Value`.
    func read<Value: Decodable>(_ type: Value.Type, key: String, now: Date = Date()) -> Result<Hit<Value>, MissError> {
        guard let url = try? fileURL(for: key), let data = try? Data(contentsOf: url) else {
            return .failure(MissError(miss: .absent))
        }
        do {
            let record = try PrefectJSON.decode(Record.self, from: data)
            if let expiration = record.metadata.expiration, expiration <= now {
                return .failure(MissError(miss: .expired))
            }
            let value = try PrefectJSON.decode(Value.self, from: Data(record.result.utf8))
            return .success(Hit(value: value, metadata: record.metadata.json))
        } catch {
            return .failure(MissError(miss: .undecodable("\(error)")))
        }
    }

    /// Writes `value` under `key`; returns the metadata for the Completed state's `data`.
    func write<Value: Encodable>(_ value: Value, key: String, expiration: Date?) throws -> JSONValue {
        let url = try fileURL(for: key)
        let metadata = Metadata(storageKey: url.path, expiration: expiration)
        let record = Record(metadata: metadata, result: String(decoding: try PrefectJSON.encode(value), as: UTF8.self))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID.version4().prefectString).tmp")
        try PrefectJSON.encode(record).write(to: temporary)
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot store the result at \(url.path): \(reason)"])
        }
        return metadata.json
    }

    /// `directory/key`; keys may name subfolders but never leave the directory.
    func fileURL(for key: String) throws -> URL {
        let parts = key.split(separator: "/", omittingEmptySubsequences: true)
        guard !parts.isEmpty, !parts.contains(where: { $0 == ".." || $0 == "." }) else {
            throw CocoaError(.fileWriteInvalidFileName, userInfo: [NSLocalizedDescriptionKey: "invalid result storage key '\(key)'"])
        }
        return parts.reduce(directory) { $0.appendingPathComponent(String($1)) }
    }

    struct MissError: Error {
        let miss: Miss
    }

    /// Prefect's `ResultRecordMetadata`.
    struct Metadata: Codable {
        var storageKey: String
        var expiration: Date?
        var serializer: [String: String] = ["type": "json"]
        var prefectVersion = PrefectAPI.targetPrefectVersion
        var storageBlockID: String?

        init(storageKey: String, expiration: Date?) {
            self.storageKey = storageKey
            self.expiration = expiration
        }

        enum CodingKeys: String, CodingKey {
            case storageKey = "storage_key"
            case expiration
            case serializer
            case prefectVersion = "prefect_version"
            case storageBlockID = "storage_block_id"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            storageKey = try container.decodeIfPresent(String.self, forKey: .storageKey) ?? ""
            expiration = try container.decodeIfPresent(String.self, forKey: .expiration).flatMap(PrefectDate.parse)
            serializer = (try? container.decodeIfPresent([String: String].self, forKey: .serializer)) ?? ["type": "json"]
            prefectVersion = try container.decodeIfPresent(String.self, forKey: .prefectVersion) ?? ""
            storageBlockID = try container.decodeIfPresent(String.self, forKey: .storageBlockID)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(storageKey, forKey: .storageKey)
            if let expiration {
                try container.encode(PrefectDate.format(expiration), forKey: .expiration)
            } else {
                try container.encodeNil(forKey: .expiration)
            }
            try container.encode(serializer, forKey: .serializer)
            try container.encode(prefectVersion, forKey: .prefectVersion)
            try container.encodeNil(forKey: .storageBlockID)
        }

        /// The metadata as the Completed state's `data`: its own encoding.
        var json: JSONValue {
            (try? RunParameters.json(self)) ?? .null
        }
    }

    /// Prefect's `ResultRecord` as stored: the result serialized to text.
    struct Record: Codable {
        var metadata: Metadata
        var result: String
    }
}
