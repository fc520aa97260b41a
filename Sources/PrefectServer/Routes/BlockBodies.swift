import Foundation
import Hummingbird
import PrefectSchemas

/// The bodies of the block routes, checked as Prefect 3.9.1's `BlockTypeCreate`,
/// `BlockTypeUpdate`, `BlockSchemaCreate`, `BlockDocumentCreate` and `BlockDocumentUpdate`
/// check theirs (`server/schemas/actions.py`): extra members forbidden, slugs and document
/// names of lower-case letters, digits and dashes (`types/names.py`).
enum BlockBodies {
    static func blockTypeCreate(from request: Request) async throws -> BlockTypeStore.Create {
        var body = try await ActionBody.read(request, allowed: typeCreateMembers)
        // In the model's field order, as pydantic reports them.
        body.require("name")
        body.checkType("name", .string)
        body.checkName("name")
        body.require("slug")
        body.checkType("slug", .string)
        checkDashedName(&body, "slug", label: "Block type slug")
        for key in ["logo_url", "documentation_url", "description", "code_example"] { body.checkType(key, .string) }
        try body.throwErrors()
        let name = body.string("name") ?? ""
        if name.lowercased().hasPrefix("prefect") {
            throw APIError.detail(.forbidden, "Block type names beginning with 'Prefect' are reserved.")
        }
        return BlockTypeStore.Create(
            name: name, slug: body.string("slug") ?? "", logoURL: body.string("logo_url"),
            documentationURL: body.string("documentation_url"), description: body.string("description").map(escapeHTML),
            codeExample: body.string("code_example").map(escapeHTML))
    }

    static func blockTypeChanges(from request: Request) async throws -> BlockTypeStore.Changes {
        var body = try await ActionBody.read(request, allowed: typeUpdateMembers)
        for key in typeUpdateMembers.sorted() { body.checkType(key, .string) }
        try body.throwErrors()
        return typeUpdateMembers.sorted().filter(body.has).map { ($0, body.string($0)) }
    }

    struct SchemaCreate: Sendable {
        var fields: JSONObject
        var blockTypeID: UUID
        var capabilities: [String]
        var version: String
    }

    static func blockSchemaCreate(from request: Request) async throws -> SchemaCreate {
        var body = try await ActionBody.read(request, allowed: ["fields", "block_type_id", "capabilities", "version"])
        checkObject(&body, "fields")
        body.require("block_type_id")
        body.checkType("block_type_id", .uuid)
        body.checkType("capabilities", .stringList)
        body.checkType("version", .string)
        try body.throwErrors()
        return SchemaCreate(
            fields: body.object["fields"]?.objectValue ?? [:],
            blockTypeID: body.string("block_type_id").flatMap(UUID.init(uuidString:)) ?? UUID.version4(),
            capabilities: body.strings("capabilities"), version: body.string("version") ?? BlockSchemaStore.defaultVersion)
    }

    static func blockDocumentCreate(from request: Request) async throws -> BlockDocumentStore.Create {
        var body = try await ActionBody.read(request, allowed: ["name", "data", "block_schema_id", "block_type_id", "is_anonymous"])
        // `validate_name_present_on_nonanonymous_blocks` runs before the fields, alone.
        let anonymous = body.object["is_anonymous"]?.isTruthy ?? false
        if !anonymous, !(body.object["name"]?.isTruthy ?? false) {
            body.failBody(type: "value_error", msg: "Value error, Names must be provided for block documents.")
            try body.throwErrors()
        }
        body.checkType("name", .string)
        body.checkName("name")
        checkDashedName(&body, "name", label: "Block document name")
        checkObject(&body, "data")
        body.require("block_schema_id")
        body.checkType("block_schema_id", .uuid)
        body.require("block_type_id")
        body.checkType("block_type_id", .uuid)
        body.checkType("is_anonymous", .bool)
        try body.throwErrors()
        return BlockDocumentStore.Create(
            name: body.string("name"), data: body.object["data"]?.objectValue ?? [:],
            blockSchemaID: body.string("block_schema_id").flatMap(UUID.init(uuidString:)) ?? UUID.version4(),
            blockTypeID: body.string("block_type_id").flatMap(UUID.init(uuidString:)) ?? UUID.version4(),
            isAnonymous: body.object["is_anonymous"]?.boolValue ?? false)
    }

    static func blockDocumentUpdate(from request: Request) async throws -> BlockDocumentStore.Update {
        var body = try await ActionBody.read(request, allowed: ["block_schema_id", "data", "merge_existing_data"])
        body.checkType("block_schema_id", .uuid)
        checkObject(&body, "data")
        body.checkType("merge_existing_data", .bool)
        try body.throwErrors()
        let merge = body.object["merge_existing_data"]?.boolValue ?? true
        // `exclude_unset` only while merging: without it, a missing `data` is its default, `{}`.
        let data = body.object["data"]?.objectValue ?? (merge ? nil : [:])
        return BlockDocumentStore.Update(
            blockSchemaID: body.string("block_schema_id").flatMap(UUID.init(uuidString:)), data: data, mergeExistingData: merge)
    }

    private static let typeCreateMembers: Set<String> = ["name", "slug", "logo_url", "documentation_url", "description", "code_example"]
    private static let typeUpdateMembers: Set<String> = ["logo_url", "documentation_url", "description", "code_example"]

    /// `raise_on_name_alphanumeric_dashes_only`.
    private static func checkDashedName(_ body: inout ActionBody, _ key: String, label: String) {
        guard let text = body.string(key), !text.unicodeScalars.allSatisfy(isDashedNameCharacter) else { return }
        body.fail(key, type: "value_error", msg: "Value error, \(label) must only contain lowercase letters, numbers, and dashes.")
    }

    private static func isDashedNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-"
    }

    /// A `dict[str, Any]` member.
    private static func checkObject(_ body: inout ActionBody, _ key: String) {
        guard let value = body.object[key] else { return }
        if case .object = value { return }
        body.fail(key, type: "dict_type", msg: "Input should be a valid dictionary")
    }

    /// `html.escape(text, quote=False)`, which Prefect applies to a created block type's
    /// description and code example.
    static func escapeHTML(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}

/// The body of `/block_types/filter`.
struct BlockTypeFilterBody: Decodable, Sendable {
    var blockTypes: BlockTypeFilter?
    var blockSchemas: BlockSchemaFilter?
    var limit: Int?
    var offset: Int?

    enum CodingKeys: String, CodingKey {
        case blockTypes = "block_types"
        case blockSchemas = "block_schemas"
        case limit, offset
    }
}

/// The body of `/block_schemas/filter`.
struct BlockSchemaFilterBody: Decodable, Sendable {
    var blockSchemas: BlockSchemaFilter?
    var limit: Int?
    var offset: Int?

    enum CodingKeys: String, CodingKey {
        case blockSchemas = "block_schemas"
        case limit, offset
    }
}

/// The body of `/block_documents/filter` and `/block_documents/count`. Without a document
/// filter, or one without `is_anonymous`, anonymous documents are left out.
struct BlockDocumentFilterBody: Decodable, Sendable {
    var blockDocuments: BlockDocumentFilter?
    var blockTypes: BlockTypeFilter?
    var blockSchemas: BlockSchemaFilter?
    var includeSecrets: Bool?
    var sort: BlockDocumentSort?
    var limit: Int?
    var offset: Int?
    /// Whether the document filter sets `is_anonymous` at all (null included).
    var setsAnonymity = false

    enum CodingKeys: String, CodingKey {
        case blockDocuments = "block_documents"
        case blockTypes = "block_types"
        case blockSchemas = "block_schemas"
        case includeSecrets = "include_secrets"
        case sort, limit, offset
    }

    private enum DocumentKeys: String, CodingKey {
        case isAnonymous = "is_anonymous"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        blockDocuments = try container.decodeIfPresent(BlockDocumentFilter.self, forKey: .blockDocuments)
        blockTypes = try container.decodeIfPresent(BlockTypeFilter.self, forKey: .blockTypes)
        blockSchemas = try container.decodeIfPresent(BlockSchemaFilter.self, forKey: .blockSchemas)
        includeSecrets = try container.decodeIfPresent(Bool.self, forKey: .includeSecrets)
        sort = try container.decodeIfPresent(BlockDocumentSort.self, forKey: .sort)
        limit = try container.decodeIfPresent(Int.self, forKey: .limit)
        offset = try container.decodeIfPresent(Int.self, forKey: .offset)
        if blockDocuments != nil {
            setsAnonymity = try container.nestedContainer(keyedBy: DocumentKeys.self, forKey: .blockDocuments).contains(.isAnonymous)
        }
    }

    /// The documents this body picks (Prefect's `_apply_block_document_filters`).
    func condition() -> SQLCondition? {
        var parts = SQLConditionList()
        var documents = blockDocuments ?? BlockDocumentFilter()
        if !setsAnonymity { documents.isAnonymous = BlockDocumentFilterIsAnonymous(eq: false) }
        parts.add(documents.sqlCondition())
        if let blockTypes {
            var types = SQLConditionList()
            types.add(SQLCondition(sql: "block_type.id = block_document.block_type_id"))
            types.add(blockTypes.sqlCondition())
            parts.add(SQLConditionList.exists("block_type", types))
        }
        if let blockSchemas {
            var schemas = SQLConditionList()
            schemas.add(SQLCondition(sql: "block_schema.id = block_document.block_schema_id"))
            schemas.add(blockSchemas.sqlCondition())
            parts.add(SQLConditionList.exists("block_schema", schemas))
        }
        return parts.combined(.and)
    }

    /// `BlockDocumentSort.as_sql_sort`.
    var order: String {
        switch sort ?? .nameAsc {
        case .nameDesc: "block_document.name DESC"
        case .blockTypeAndNameAsc: "block_document.block_type_name ASC, block_document.name ASC"
        default: "block_document.name ASC"
        }
    }
}
