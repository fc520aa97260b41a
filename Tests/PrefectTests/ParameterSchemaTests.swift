import Foundation
import Prefect
import Testing

/// The Swift twins of the Python signatures in scripts/record-parameter-schemas.py.
enum Twins {
    enum Color: String, Codable, Sendable, CaseIterable { case red, green, blue }
    enum Level: Int, Codable, Sendable, CaseIterable { case low = 1, high = 2 }

    struct Address: Codable, Sendable {
        var street: String
        var zipCode: Int?
        enum CodingKeys: String, CodingKey {
            case street
            case zipCode = "zip_code"
        }
    }

    struct Person: Codable, Sendable {
        var name: String
        var age: Int
        var address: Address
        var tags: [String]
    }

    struct Node: Codable, Sendable, ParameterDefaults {
        var name: String
        var children: [Node]
        static var parameterDefaults: JSONObject { ["children": []] }
    }

    struct Window: Codable, Sendable {
        var camelCase: Double
        var start: Date
        var color: Color?
    }

    struct Scalars: Codable, Sendable {
        var day: String
        var count: Int
        var ratio: Double
        var flag: Bool
        var when: Date
        var id: UUID
    }

    struct Defaults: Codable, Sendable, ParameterDefaults {
        var day: String
        var limit: Int
        var maybe: Int?
        var note: String?
        var names: [String]
        static var parameterDefaults: JSONObject { ["limit": 10, "note": "x", "names": ["a"]] }
    }

    struct Nested: Codable, Sendable {
        var person: Person
        var people: [Person]
        var window: Window?
    }

    struct Enums: Codable, Sendable, ParameterDefaults {
        var color: Color
        var level: Level
        var colors: [Color]
        static var parameterDefaults: JSONObject { ["level": 1, "colors": []] }
    }

    struct Collections: Codable, Sendable {
        var unique: Set<String>
        var counts: [String: Int]
        var matrix: [[Int]]
        var people: [String: Person]
    }

    struct Recursive: Codable, Sendable {
        var root: Node
    }
}

@Suite("Parameter schemas, compared whole with what Prefect 3.9.1 builds for the same Python signatures")
struct ParameterSchemaTests {
    static let recorded = Fixtures.object("parameter-schemas.json")

    static let cases: [(String, JSONObject)] = [
        ("scalars", ParameterSchema.of(Twins.Scalars.self)),
        ("defaults", ParameterSchema.of(Twins.Defaults.self)),
        ("nested", ParameterSchema.of(Twins.Nested.self)),
        ("enums", ParameterSchema.of(Twins.Enums.self)),
        ("collections", ParameterSchema.of(Twins.Collections.self)),
        ("recursive", ParameterSchema.of(Twins.Recursive.self)),
        ("single_input", ParameterSchema.of(String.self)),
        ("single_array_input", ParameterSchema.of([Int].self)),
        ("no_parameters", ParameterSchema.of(NoParameters.self)),
    ]

    @Test("each schema equals Prefect's, member for member, with the parameters in the same order", arguments: cases.map(\.0))
    func sameAsPrefect(name: String) throws {
        let expected = try #require(Self.recorded[name], "recorded by scripts/record-parameter-schemas.py")
        let built = try #require(Self.cases.first { $0.0 == name }?.1)
        #expect(JSONValue.object(built) == expected, "\(String(decoding: (try? PrefectJSON.encode(built)) ?? Data(), as: UTF8.self))")
        guard case .object(let properties)? = built["properties"], case .object(let recordedProperties)? = expected["properties"] else {
            Issue.record("no properties")
            return
        }
        #expect(properties.keys == recordedProperties.keys)
    }

    @Test("a flow's schema is its input type's")
    func flowSchema() {
        let flow = PrefectFlow("report") { (input: Twins.Defaults) in input.limit }
        #expect(flow.parameterSchema == ParameterSchema.of(Twins.Defaults.self))
    }
}
