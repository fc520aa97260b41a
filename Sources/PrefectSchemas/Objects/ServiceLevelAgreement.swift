/// A service level agreement on a deployment's runs, one of Prefect's `SlaTypes`
/// (`prefect/_experimental/sla/objects.py`: `TimeToCompletionSla`, `FrequencySla`,
/// `LatenessSla`). Written by hand: Prefect keeps these outside `prefect.client.schemas`.
/// Prefect Cloud evaluates SLAs; a self-hosted server does not serve them.
public struct ServiceLevelAgreement: Sendable, Hashable, Encodable {
    /// What the SLA watches.
    public enum Kind: Sendable, Hashable {
        /// A flow run takes longer than this many seconds (`TimeToCompletionSla.duration`).
        case timeToCompletion(seconds: Int)
        /// No completed flow run within this many seconds of the previous one (`FrequencySla.stale_after`).
        case frequency(staleAfterSeconds: Double)
        /// A flow run does not start within this many seconds of its schedule (`LatenessSla.within`).
        case lateness(withinSeconds: Double)
    }

    /// `severity`.
    public enum Severity: String, Sendable, Hashable {
        case minor, low, moderate, high, critical
    }

    /// Unique per deployment; applying SLAs matches by name.
    public var name: String
    public var kind: Kind
    /// Nil leaves Prefect's default (`moderate`).
    public var severity: Severity?
    /// Nil leaves Prefect's default (enabled).
    public var enabled: Bool?
    /// `owner_resource`: `prefect.deployment.{id}`, set when applied to a deployment.
    public var ownerResource: String?

    public init(name: String, kind: Kind, severity: Severity? = nil, enabled: Bool? = nil, ownerResource: String? = nil) {
        self.name = name
        self.kind = kind
        self.severity = severity
        self.enabled = enabled
        self.ownerResource = ownerResource
    }

    enum CodingKeys: String, CodingKey {
        case name, severity, enabled, duration, within
        case staleAfter = "stale_after"
        case ownerResource = "owner_resource"
    }

    /// As Prefect sends it: `model_dump(mode="json", exclude_unset=True)`, durations in seconds.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(severity?.rawValue, forKey: .severity)
        try container.encodeIfPresent(enabled, forKey: .enabled)
        switch kind {
        case .timeToCompletion(let seconds): try container.encode(seconds, forKey: .duration)
        case .frequency(let seconds): try container.encode(seconds, forKey: .staleAfter)
        case .lateness(let seconds): try container.encode(seconds, forKey: .within)
        }
        try container.encode(ownerResource, forKey: .ownerResource)
    }
}

/// What applying a deployment's SLAs changed (`SlaMergeResponse`): the names created, updated and deleted.
public struct SlaMergeResponse: Sendable, Hashable, Codable {
    public var created: [String]
    public var updated: [String]
    public var deleted: [String]

    public init(created: [String], updated: [String], deleted: [String]) {
        self.created = created
        self.updated = updated
        self.deleted = deleted
    }
}
