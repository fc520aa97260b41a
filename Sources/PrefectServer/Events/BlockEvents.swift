import Foundation
import GRDB
import PrefectSchemas

/// `prefect.block-type.*` and `prefect.block-document.*` (`_block_type_event`,
/// `_block_document_event`, `prefect/server/events/schemas/lifecycle.py`).
enum BlockEvents {
    /// Payload `BlockTypeEventPayload`: the type's identity, presentation and protection.
    static func blockType(_ action: LifecycleEvent.Action, _ blockType: BlockType, now: Date) -> Event {
        let text: (String?) -> JSONValue = { $0.map(JSONValue.string) ?? .null }
        return LifecycleEvent.make(
            kind: "block-type", action, id: blockType.id, name: blockType.name,
            payload: [
                "name": .string(blockType.name), "slug": .string(blockType.slug), "logo_url": text(blockType.logoURL),
                "documentation_url": text(blockType.documentationURL), "description": text(blockType.description),
                "code_example": text(blockType.codeExample), "is_protected": .bool(blockType.isProtected),
            ],
            now: now)
    }

    /// The event of the document as stored now (secrets masked); nil when there is none.
    /// Payload `BlockDocumentEventPayload`: its name, the string values of its data that are not
    /// secret fields, its schema's capabilities and block type; related to its block type and
    /// schema.
    static func blockDocument(_ db: Database, _ action: LifecycleEvent.Action, id: UUID, now: Date) throws -> Event? {
        guard let document = try BlockDocumentStore.read(db, id: id, includeSecrets: false) else { return nil }
        let secret = Set(document.blockSchema?.fields["secret_fields"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        var data = JSONObject()
        for key in document.data.keys where !secret.contains(key) {
            if case .string(let value)? = document.data[key] { data[key] = .string(value) }
        }
        var blockSchema: JSONValue = .null
        if let schema = document.blockSchema {
            blockSchema = [
                "capabilities": .array(schema.capabilities.map(JSONValue.string)),
                "block_type": ["id": .string(document.blockTypeID.prefectString), "name": .string(document.blockTypeName ?? "")],
            ]
        }
        var blockTypeResource: EventResource = [
            "prefect.resource.id": "prefect.block-type.\(document.blockTypeID.prefectString)", "prefect.resource.role": "block-type",
        ]
        if let typeName = document.blockTypeName, !typeName.isEmpty { blockTypeResource.labels["prefect.resource.name"] = typeName }
        return LifecycleEvent.make(
            kind: "block-document", action, id: document.id, name: document.name,
            payload: ["name": document.name.map(JSONValue.string) ?? .null, "data": .object(data), "block_schema": blockSchema],
            related: [
                blockTypeResource,
                ["prefect.resource.id": "prefect.block-schema.\(document.blockSchemaID.prefectString)", "prefect.resource.role": "block-schema"],
            ],
            now: now)
    }
}
