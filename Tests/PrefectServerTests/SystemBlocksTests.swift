import Foundation
import GRDB
import PrefectSchemas
@testable import PrefectServer
import Testing

/// The block schemas a fresh database registers, read back as the API answers them, against
/// what a fresh Prefect 3.9.1 answers (``SystemBlocks``, captured by
/// `scripts/generate-system-blocks.py`); and the JSON text Prefect hashes for checksums.
@Suite("System blocks and block-schema checksums")
struct SystemBlocksTests {
    @Test("a fresh database has Prefect's 54 block types and 64 schemas, each read back as Prefect answers it")
    func registeredAsPrefect() throws {
        let harness = try OrchestrationHarness()
        let catalog = try SystemBlockRegistration.catalog()
        #expect(catalog.blockTypes.count == 54)
        #expect(catalog.blockSchemas.count == 64)
        let (types, schemas) = try harness.database.pool.read { db in
            (try BlockTypeStore.filter(db, nil, page: Page(limit: -1, offset: 0)),
             try BlockSchemaStore.filter(db, nil, page: Page(limit: -1, offset: 0)).map { try BlockSchemaAssembly.schema(db, $0) })
        }
        #expect(types.map(\.slug) == catalog.blockTypes.map(\.slug), "the same types, in Prefect's order by name")
        #expect(types.filter(\.isProtected).map(\.slug).sorted() == ["local-file-system", "secret", "webhook"])
        #expect(schemas.count == 64)
        let slugs = Dictionary(uniqueKeysWithValues: types.map { ($0.id, $0.slug) })
        // Newest first, as `read_block_schemas` answers; the catalog is in creation order.
        for (schema, expected) in zip(schemas, catalog.blockSchemas.reversed()) {
            #expect(slugs[schema.blockTypeID ?? UUID()] == expected.blockTypeSlug)
            #expect(schema.checksum == expected.checksum)
            #expect(schema.version == expected.version)
            #expect(schema.capabilities == expected.capabilities)
            #expect(schema.fields == expected.fields, "\(expected.blockTypeSlug) \(expected.version)")
        }
    }

    @Test("opening the database again registers nothing twice")
    func registrationIsIdempotent() throws {
        let harness = try OrchestrationHarness()
        let counts = { () throws -> [Int] in
            try harness.database.pool.read { db in
                try ["block_type", "block_schema", "block_schema_reference"].map { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)") ?? 0 }
            }
        }
        let first = try counts()
        try harness.database.pool.write { try SystemBlockRegistration.register($0, now: Date()) }
        #expect(try counts() == first)
        #expect(first[2] > 0, "nested system schemas are linked")
    }

    @Test("schemas of Prefect's registry hash as Prefect hashes them, where their fields allow it")
    func checksums() throws {
        let catalog = try SystemBlockRegistration.catalog()
        // Prefect's own `_calculate_schema_checksum` over these fields as its API answers them
        // gives another checksum for 8 of them (their stored definitions differ from those they
        // were registered with); for the other 56 the checksum is the stored one.
        let matching = catalog.blockSchemas.filter { BlockSchemaChecksum.checksum($0.fields) == $0.checksum }
        #expect(matching.count == 56)
    }

    @Test("JSON text as Python's json.dumps(sort_keys=True) writes it")
    func pythonText() {
        let value: JSONValue = [
            "b": 1,
            "a": [1.5, 1e-05, 1e16, 100.0, 0.1, 123456789.123, -2.5e-07, "é\n\"\\/\t\u{1}\u{7f}😀", nil, true, false],
            "B": [:], "é": [],
        ]
        #expect(PythonJSONText.dumps(value) == #"{"B": {}, "a": [1.5, 1e-05, 1e+16, 100.0, 0.1, 123456789.123, -2.5e-07, "\u00e9\n\"\\/\t\u0001\u007f\ud83d\ude00", null, true, false], "b": 1, "\u00e9": []}"#)
    }

    @Test("secret fields are obfuscated by path and by wildcard, and kept when sent back obfuscated")
    func secrets() {
        let data: JSONObject = ["user": "u", "password": "p", "nested": ["token": "t", "other": "o"], "all": ["a": 1, "b": ["c": 2]],
                                         "empty": nil]
        let masked = BlockDocumentSecrets.masked(data, secretFields: ["password", "nested.token", "all.*", "empty"])
        #expect(masked == ["user": "u", "password": "********", "nested": ["token": "********", "other": "o"],
                           "all": ["a": "********", "b": ["c": "********"]], "empty": nil])
        let restored = BlockDocumentSecrets.restored(masked, current: data, secretFields: ["password", "nested.token", "all.*"])
        #expect(restored == data)
    }
}
