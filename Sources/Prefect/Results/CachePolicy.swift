public import Foundation
public import PrefectClient

/// How a task's cache key is made — Prefect's cache policies (`prefect/cache_policies.py`):
/// ``inputs``, ``taskSource``, ``flowParameters``, ``runID``, combined with `+`, ``noCache``,
/// and ``key(_:)`` for a key of your own (Prefect's `cache_key_fn`).
///
/// A task run whose key matches an unexpired stored result ends Completed, named "Cached",
/// with that result, and its body does not run.
///
/// ```swift
/// PrefectTask("geocode", cachePolicy: .inputs, cacheExpiration: 3_600) { (address: String) in … }
/// PrefectTask("report", cachePolicy: .key { context in "report-\(context.parameters["day"]?.stringValue ?? "")" }) { … }
/// ```
public struct CachePolicy: Sendable {
    enum Part: Sendable, Hashable {
        case inputs
        case taskSource
        case flowParameters
        case runID
    }

    let parts: [Part]
    let keyFunction: (@Sendable (CacheKeyContext) -> String?)?

    private init(parts: [Part], keyFunction: (@Sendable (CacheKeyContext) -> String?)? = nil) {
        self.parts = parts
        self.keyFunction = keyFunction
    }

    /// The task's inputs (`INPUTS`): the same inputs share a result, across tasks and flow runs.
    public static let inputs = CachePolicy(parts: [.inputs])
    /// The task itself (`TASK_SOURCE`): here its `taskKey` and version, as Swift has no source to hash.
    public static let taskSource = CachePolicy(parts: [.taskSource])
    /// The parameters of the flow run (`FLOW_PARAMETERS`).
    public static let flowParameters = CachePolicy(parts: [.flowParameters])
    /// The flow run (`RUN_ID`): a result is reused within one flow run only.
    public static let runID = CachePolicy(parts: [.runID])
    /// Never a cache key (`NO_CACHE`).
    public static let noCache = CachePolicy(parts: [])
    /// Prefect's `DEFAULT`: inputs + task source + run id (reused by the same task, same inputs,
    /// same flow run — a retried flow run, say).
    public static let `default` = inputs + taskSource + runID

    /// The key `function` returns; `nil` means no caching for that call.
    public static func key(_ function: @escaping @Sendable (CacheKeyContext) -> String?) -> CachePolicy {
        CachePolicy(parts: [], keyFunction: function)
    }

    /// A policy whose key combines both policies' keys (Prefect's `CompoundCachePolicy`).
    public static func + (lhs: CachePolicy, rhs: CachePolicy) -> CachePolicy {
        CachePolicy(parts: lhs.parts + rhs.parts.filter { !lhs.parts.contains($0) }, keyFunction: lhs.keyFunction ?? rhs.keyFunction)
    }

    /// Whether this policy can make a key at all.
    var isNoCache: Bool { parts.isEmpty && keyFunction == nil }

    /// The cache key for one call, or `nil` when the policy makes none (no inputs for
    /// ``inputs`` alone, say).
    func key(for context: CacheKeyContext) -> String? {
        if let keyFunction { return keyFunction(context) }
        var keys: [String] = []
        for part in parts {
            switch part {
            case .inputs:
                if !context.parameters.isEmpty { keys.append(StableHash.hex(of: .object(context.parameters))) }
            case .taskSource:
                keys.append(StableHash.hex(of: .array([.string(context.taskKey), context.taskVersion.map(JSONValue.string) ?? .null])))
            case .flowParameters:
                if !context.flowParameters.isEmpty { keys.append(StableHash.hex(of: .object(context.flowParameters))) }
            case .runID:
                keys.append((context.flowRunID ?? context.taskRunID).prefectString)
            }
        }
        switch keys.count {
        case 0: return nil
        case 1: return keys[0]
        default: return StableHash.hex(of: .array(keys.map(JSONValue.string)))
        }
    }
}

/// What a cache key can be made from.
public struct CacheKeyContext: Sendable {
    /// The task's `taskKey`.
    public let taskKey: String
    /// The task's version.
    public let taskVersion: String?
    /// The call's parameters (the input's members, or `input`).
    public let parameters: JSONObject
    /// The flow run the call belongs to, if any.
    public let flowRunID: UUID?
    /// The task run's id.
    public let taskRunID: UUID
    /// The flow run's parameters.
    public let flowParameters: JSONObject
}

/// A stable 128-bit FNV-1a hash of a value's canonical JSON (sorted keys), as hex: the same
/// value gives the same key in every process (Prefect hashes with md5 over its own encoding).
enum StableHash {
    static func hex(of value: JSONValue) -> String {
        var hash: UInt128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d
        let prime: UInt128 = 0x0000_0000_0100_0000_0000_0000_0000_013b
        for byte in value.jsonText.utf8 {
            hash ^= UInt128(byte)
            hash = hash &* prime
        }
        let text = String(hash, radix: 16)
        return String(repeating: "0", count: 32 - text.count) + text
    }
}
