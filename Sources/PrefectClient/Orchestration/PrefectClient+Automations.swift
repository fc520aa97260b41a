public import Foundation
import HTTPTypes

/// Automations (Prefect's `AutomationAsyncClient`, `prefect/client/orchestration/_automations/client.py`).
extension PrefectClient {
    /// Creates an automation (`POST /automations/`) and answers its id.
    public func createAutomation(_ automation: AutomationCore) async throws -> UUID {
        let created = try await request(.post, "/automations/", json: automation).decode(AutomationID.self)
        return created.id
    }

    /// Replaces the automation's name, trigger, actions and the rest (`PUT /automations/{id}`).
    /// `ownerResource` is set when an automation is created and is not sent.
    ///
    /// - Throws: ``ObjectNotFound``.
    public func updateAutomation(automationID: UUID, _ automation: AutomationCore) async throws {
        var replacement = automation
        replacement.ownerResource = nil
        _ = try await request(.put, "/automations/\(Self.segment(automationID))", json: replacement, errors: .notFound)
    }

    /// Automations matching `filter`, in `sort` order (by name unless given) (`POST /automations/filter`).
    public func readAutomations(
        filter: AutomationFilter? = nil, sort: AutomationSort? = nil, limit: Int? = nil, offset: Int = 0
    ) async throws -> [Automation] {
        let body = AutomationQuery(automations: filter, sort: sort?.rawValue, limit: limit, offset: offset)
        return try await request(.post, "/automations/filter", json: body).decode([Automation].self)
    }

    /// The automation with this id, or `nil` when there is none (`GET /automations/{id}`).
    public func readAutomation(automationID: UUID) async throws -> Automation? {
        do {
            return try await request(.get, "/automations/\(Self.segment(automationID))", errors: .notFound).decode(Automation.self)
        } catch is ObjectNotFound {
            return nil
        }
    }

    /// The automations named exactly `name`, most recently updated first.
    public func readAutomationsByName(_ name: String) async throws -> [Automation] {
        try await readAutomations(filter: AutomationFilter(nameAny: [name]), sort: .updatedDesc)
    }

    /// The automation `idOrName` names: by id when it is one, else by exact name, else by name
    /// without regard to case; `nil` when no name matches.
    ///
    /// - Throws: ``ObjectNotFound`` for an id no automation has, as Prefect's `find_automation`.
    public func findAutomation(_ idOrName: String) async throws -> Automation? {
        if let id = UUID(uuidString: idOrName) {
            return try await request(.get, "/automations/\(Self.segment(id))", errors: .notFound).decode(Automation.self)
        }
        let automations = try await readAutomations()
        return automations.first { $0.name == idOrName } ?? automations.first { $0.name.lowercased() == idOrName.lowercased() }
    }

    /// Stops the server evaluating the automation (`PATCH /automations/{id}` with `enabled: false`).
    ///
    /// - Throws: ``ObjectNotFound``.
    public func pauseAutomation(automationID: UUID) async throws {
        _ = try await request(.patch, "/automations/\(Self.segment(automationID))", json: Enabled(enabled: false), errors: .notFound)
    }

    /// Has the server evaluate the automation again (`enabled: true`).
    ///
    /// - Throws: ``ObjectNotFound``.
    public func resumeAutomation(automationID: UUID) async throws {
        _ = try await request(.patch, "/automations/\(Self.segment(automationID))", json: Enabled(enabled: true), errors: .notFound)
    }

    /// Deletes the automation (`DELETE /automations/{id}`); one that does not exist is no error,
    /// as in Prefect's client.
    public func deleteAutomation(automationID: UUID) async throws {
        do {
            _ = try await request(.delete, "/automations/\(Self.segment(automationID))", errors: .notFound)
        } catch is ObjectNotFound {
            return
        }
    }

    /// The automations related to a resource (`GET /automations/related-to/{resource_id}`):
    /// those it owns and those whose actions select it (`prefect.deployment.{id}`).
    public func readResourceRelatedAutomations(resourceID: String) async throws -> [Automation] {
        try await request(.get, "/automations/related-to/\(Self.segment(resourceID))").decode([Automation].self)
    }

    /// Deletes the automations the resource owns (`DELETE /automations/owned-by/{resource_id}`).
    public func deleteResourceOwnedAutomations(resourceID: String) async throws {
        _ = try await request(.delete, "/automations/owned-by/\(Self.segment(resourceID))")
    }
}

private struct AutomationID: Decodable {
    var id: UUID
}

private struct Enabled: Encodable {
    var enabled: Bool
}

/// The body of `/automations/filter`.
private struct AutomationQuery: Encodable {
    var automations: AutomationFilter?
    var sort: String?
    var limit: Int?
    var offset: Int

    func encode(to encoder: any Encoder) throws {
        enum Keys: String, CodingKey { case automations, sort, limit, offset }
        var container = encoder.container(keyedBy: Keys.self)
        try container.encodeIfPresent(automations, forKey: .automations)
        try container.encodeIfPresent(sort, forKey: .sort)
        try container.encodeIfPresent(limit, forKey: .limit)
        try container.encode(offset, forKey: .offset)
    }
}
