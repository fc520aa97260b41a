public import Foundation

/// An automation as it is created or replaced (Prefect's `AutomationCore`,
/// `prefect/events/schemas/automations.py`): a trigger and the actions it runs.
public struct AutomationCore: Sendable, Hashable, Codable {
    public var name: String
    public var description: String
    /// Whether the server evaluates it (``PrefectClient/pauseAutomation(automationID:)`` clears it).
    public var enabled: Bool
    public var tags: [String]
    public var trigger: AutomationTrigger
    /// Run when the trigger fires.
    public var actions: [AutomationAction]
    /// Run when the trigger enters its triggered state.
    public var actionsOnTrigger: [AutomationAction]
    /// Run when the trigger resolves.
    public var actionsOnResolve: [AutomationAction]
    /// The resource that owns it (`prefect.deployment.{id}` for a deployment's triggers), whose
    /// deletion deletes it (``PrefectClient/deleteResourceOwnedAutomations(resourceID:)``).
    public var ownerResource: String?

    public init(
        name: String, description: String = "", enabled: Bool = true, tags: [String] = [], trigger: AutomationTrigger,
        actions: [AutomationAction], actionsOnTrigger: [AutomationAction] = [], actionsOnResolve: [AutomationAction] = [],
        ownerResource: String? = nil
    ) {
        self.name = name
        self.description = description
        self.enabled = enabled
        self.tags = tags
        self.trigger = trigger
        self.actions = actions
        self.actionsOnTrigger = actionsOnTrigger
        self.actionsOnResolve = actionsOnResolve
        self.ownerResource = ownerResource
    }

    enum CodingKeys: String, CodingKey {
        case name, description, enabled, tags, trigger, actions
        case actionsOnTrigger = "actions_on_trigger"
        case actionsOnResolve = "actions_on_resolve"
        case ownerResource = "owner_resource"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        description = try container.decodeIfPresent(String.self, forKey: .description) ?? ""
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        tags = try container.decodeIfPresent([String].self, forKey: .tags) ?? []
        trigger = try container.decode(AutomationTrigger.self, forKey: .trigger)
        actions = try container.decode([AutomationAction].self, forKey: .actions)
        actionsOnTrigger = try container.decodeIfPresent([AutomationAction].self, forKey: .actionsOnTrigger) ?? []
        actionsOnResolve = try container.decodeIfPresent([AutomationAction].self, forKey: .actionsOnResolve) ?? []
        ownerResource = try container.decodeIfPresent(String.self, forKey: .ownerResource)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(description, forKey: .description)
        try container.encode(enabled, forKey: .enabled)
        try container.encode(tags, forKey: .tags)
        try container.encode(trigger, forKey: .trigger)
        try container.encode(actions, forKey: .actions)
        try container.encode(actionsOnTrigger, forKey: .actionsOnTrigger)
        try container.encode(actionsOnResolve, forKey: .actionsOnResolve)
        try container.encodeIfPresent(ownerResource, forKey: .ownerResource)
    }
}

/// A stored automation (Prefect's `Automation`): its id, times and what it was created with.
@dynamicMemberLookup
public struct Automation: Sendable, Hashable, Codable {
    public var id: UUID
    public var created: Date?
    public var updated: Date?
    public var core: AutomationCore

    public init(id: UUID, created: Date? = nil, updated: Date? = nil, core: AutomationCore) {
        self.id = id
        self.created = created
        self.updated = updated
        self.core = core
    }

    /// The members of ``core``, read as the automation's own (`automation.name`).
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<AutomationCore, Value>) -> Value {
        get { core[keyPath: keyPath] }
        set { core[keyPath: keyPath] = newValue }
    }

    enum CodingKeys: String, CodingKey {
        case id, created, updated
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(UUID.self, forKey: .id)
        created = try container.decodePrefectDateIfPresent(forKey: .created)
        updated = try container.decodePrefectDateIfPresent(forKey: .updated)
        core = try AutomationCore(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try core.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.uuidString.lowercased(), forKey: .id)
        try container.encodeIfPresent(created.map(PrefectDate.format), forKey: .created)
        try container.encodeIfPresent(updated.map(PrefectDate.format), forKey: .updated)
    }
}

/// Which automations to read (Prefect's `AutomationFilter`, `prefect/events/filters.py`).
public struct AutomationFilter: Sendable, Hashable, Codable {
    /// Automations with one of these names.
    public var nameAny: [String]?
    /// Automations with one of these ids.
    public var idAny: [UUID]?
    /// Automations created at or before this time.
    public var createdBefore: Date?
    /// Automations with every one of these tags.
    public var tagsAll: [String]?
    /// Automations with at least one of these tags.
    public var tagsAny: [String]?

    public init(nameAny: [String]? = nil, idAny: [UUID]? = nil, createdBefore: Date? = nil, tagsAll: [String]? = nil,
                tagsAny: [String]? = nil) {
        self.nameAny = nameAny
        self.idAny = idAny
        self.createdBefore = createdBefore
        self.tagsAll = tagsAll
        self.tagsAny = tagsAny
    }

    enum CodingKeys: String, CodingKey {
        case name, id, created, tags
    }

    enum AnyKeys: String, CodingKey {
        case any = "any_"
        case all = "all_"
        case before = "before_"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func nested(_ key: CodingKeys) throws -> KeyedDecodingContainer<AnyKeys>? {
            guard container.contains(key), try !container.decodeNil(forKey: key) else { return nil }
            return try container.nestedContainer(keyedBy: AnyKeys.self, forKey: key)
        }
        nameAny = try nested(.name)?.decodeIfPresent([String].self, forKey: .any)
        idAny = try nested(.id)?.decodeIfPresent([UUID].self, forKey: .any)
        createdBefore = try nested(.created)?.decodePrefectDateIfPresent(forKey: .before)
        let tags = try nested(.tags)
        tagsAll = try tags?.decodeIfPresent([String].self, forKey: .all)
        tagsAny = try tags?.decodeIfPresent([String].self, forKey: .any)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if let nameAny {
            var name = container.nestedContainer(keyedBy: AnyKeys.self, forKey: .name)
            try name.encode(nameAny, forKey: .any)
        }
        if let idAny {
            var id = container.nestedContainer(keyedBy: AnyKeys.self, forKey: .id)
            try id.encode(idAny.map { $0.uuidString.lowercased() }, forKey: .any)
        }
        if let createdBefore {
            var created = container.nestedContainer(keyedBy: AnyKeys.self, forKey: .created)
            try created.encode(PrefectDate.format(createdBefore), forKey: .before)
        }
        if tagsAll != nil || tagsAny != nil {
            var tags = container.nestedContainer(keyedBy: AnyKeys.self, forKey: .tags)
            try tags.encodeIfPresent(tagsAll, forKey: .all)
            try tags.encodeIfPresent(tagsAny, forKey: .any)
        }
    }
}
