import Foundation
import PrefectSchemas

/// Builds the JSON Schema of `Decodable` types as pydantic builds one for the equivalent Python
/// types (what Prefect's `parameter_schema` in `prefect/utilities/callables.py` stores): scalars
/// inline, `CaseIterable` enums and keyed types as `definitions` referred to by `$ref`, arrays
/// with `items`, `[String: V]` with `additionalProperties`, optionals as `anyOf` with `null`.
///
/// A keyed type is described by running its own `init(from:)` against a
/// ``SchemaRecordingDecoder``, which notes each key asked for, its type and whether it may be
/// missing (`decodeIfPresent`), and hands back a placeholder value so the decoding goes on.
final class SchemaRecorder {
    /// The definitions met so far, by name.
    private(set) var definitions: [String: JSONObject] = [:]
    private var inProgress: Set<String> = []

    /// Why no value of a type could be made to hand back to a decoding in progress.
    struct NoPlaceholder: Error {
        let type: Any.Type
    }

    /// The schema of a value of `type`, and a value of it for the decoding that asked.
    func describe<T: Decodable>(_ type: T.Type) -> (schema: JSONObject, placeholder: Result<T, any Error>) {
        if let (schema, value) = Self.scalar(type) { return (schema, .success(value)) }
        if let shape = type as? any SchemaOptionalShape.Type {
            let wrapped = schema(of: shape.schemaWrapped)
            return (["anyOf": .array([.object(wrapped), ["type": "null"]])], placeholder(shape.schemaPlaceholder))
        }
        if let shape = type as? any SchemaArrayShape.Type {
            var schema: JSONObject = ["items": .object(schema(of: shape.schemaElement)), "type": "array"]
            if shape.schemaUniqueItems { schema["uniqueItems"] = true }
            return (schema, placeholder(shape.schemaPlaceholder))
        }
        if let shape = type as? any SchemaDictionaryShape.Type {
            let schema: JSONObject = ["additionalProperties": .object(schema(of: shape.schemaValue)), "type": "object"]
            return (schema, placeholder(shape.schemaPlaceholder))
        }
        let name = Self.definitionName(type)
        let reference: JSONObject = ["$ref": .string("#/definitions/\(name)")]
        if let (values, first) = SchemaEnumCases.of(type) {
            let valueType: JSONValue = values.allSatisfy { if case .string = $0 { true } else { false } } ? "string" : "integer"
            definitions[name] = ["enum": .array(values), "title": .string(name), "type": valueType]
            return (reference, .success(first))
        }
        guard !inProgress.contains(name) else {
            // A type that contains itself does so through an array, an optional or a
            // dictionary, whose placeholders are empty: no value of it is needed here.
            return (reference, .failure(NoPlaceholder(type: type)))
        }
        inProgress.insert(name)
        defer { inProgress.remove(name) }
        let decoder = SchemaRecordingDecoder(recorder: self, codingPath: [])
        let value = Result { try T(from: decoder) }
        switch decoder.shape.kind {
        case .object:
            definitions[name] = objectDefinition(decoder.shape, title: name, defaults: Self.defaults(of: type))
            return (reference, value)
        case .value(let schema):
            return (schema, value)
        case .array:
            return (["type": "array"], value)
        case .unknown:
            return ([:], value)
        }
    }

    /// The schema of `type` alone (an array's elements, a dictionary's values, an optional's
    /// wrapped type), whose placeholder nobody needs.
    func schema(of type: any Decodable.Type) -> JSONObject {
        func open<T: Decodable>(_ type: T.Type) -> JSONObject { describe(type).schema }
        return open(type)
    }

    /// A keyed type's members as a definition: `properties` (titled as pydantic titles a
    /// field), `required`, `title`, `type`.
    func objectDefinition(_ shape: RecordedShape, title: String, defaults: JSONObject?) -> JSONObject {
        let (properties, required) = members(of: shape, defaults: defaults, finish: Self.titled)
        return ["properties": .object(properties), "required": .array(required.map(JSONValue.string)), "title": .string(title), "type": "object"]
    }

    /// The properties of `shape` (each passed through `finish` with its key) and the names of
    /// those a value must have: those read with `decode`, not `decodeIfPresent`, and without a
    /// default. A member that may be missing defaults to `null` unless `defaults` names one.
    func members(
        of shape: RecordedShape, defaults: JSONObject?, finish: (String, JSONObject) -> JSONObject
    ) -> (properties: JSONObject, required: [String]) {
        var properties = JSONObject()
        var required: [String] = []
        for member in shape.members {
            var schema = materialize(member.schema)
            if member.mayBeMissing {
                schema = ["anyOf": .array([.object(schema), ["type": "null"]])]
            }
            if let value = defaults?[member.key] {
                schema["default"] = value
            } else if member.mayBeMissing {
                schema["default"] = .null
            } else {
                required.append(member.key)
            }
            properties[member.key] = .object(finish(member.key, schema))
        }
        return (properties, required)
    }

    private func materialize(_ schema: RecordedShape.MemberSchema) -> JSONObject {
        switch schema {
        case .schema(let schema): return schema
        case .nested(let shape):
            switch shape.kind {
            case .object:
                let (properties, required) = members(of: shape, defaults: nil, finish: Self.titled)
                return ["properties": .object(properties), "required": .array(required.map(JSONValue.string)), "type": "object"]
            case .value(let schema): return schema
            case .array: return ["type": "array"]
            case .unknown: return [:]
            }
        }
    }

    private func placeholder<T, P>(_ value: P) -> Result<T, any Error> {
        guard let value = value as? T else { return .failure(NoPlaceholder(type: T.self)) }
        return .success(value)
    }

    /// The defaults ``ParameterDefaults`` gives for `type`'s members.
    static func defaults(of type: Any.Type) -> JSONObject? {
        (type as? any ParameterDefaults.Type)?.parameterDefaults
    }

    /// Scalars: their schema and a value of them.
    static func scalar<T>(_ type: T.Type) -> (JSONObject, T)? {
        func typed(_ schema: JSONObject, _ value: Any) -> (JSONObject, T)? {
            guard let value = value as? T else { return nil }
            return (schema, value)
        }
        switch type {
        case is String.Type: return typed(["type": "string"], "")
        case is Bool.Type: return typed(["type": "boolean"], false)
        case is Date.Type: return typed(["format": "date-time", "type": "string"], Date(timeIntervalSince1970: 0))
        case is UUID.Type: return typed(["format": "uuid", "type": "string"], UUID.version4())
        case is URL.Type: return typed(["format": "uri", "minLength": 1, "type": "string"], URL(fileURLWithPath: "/"))
        case is Data.Type: return typed(["format": "binary", "type": "string"], Data())
        case is Decimal.Type: return typed(["type": "number"], Decimal(0))
        case is JSONValue.Type: return typed([:], JSONValue.null)
        case is JSONObject.Type: return typed(["type": "object"], JSONObject())
        default: break
        }
        if let integer = type as? any FixedWidthInteger.Type {
            func zero<I: FixedWidthInteger>(_ type: I.Type) -> Any { I.zero }
            return typed(["type": "integer"], zero(integer))
        }
        if let floating = type as? any BinaryFloatingPoint.Type {
            func zero<F: BinaryFloatingPoint>(_ type: F.Type) -> Any { F.zero }
            return typed(["type": "number"], zero(floating))
        }
        return nil
    }

    /// A type's name as a definition's key: generic arguments joined by `_` (`Box<Int>` is
    /// `Box_Int_`), as pydantic names a generic model.
    static func definitionName(_ type: Any.Type) -> String {
        String(String(describing: type).map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
    }

    /// A member's schema with its title, unless it refers to a definition (alone or or-null),
    /// which has its own: pydantic's `field_title_should_be_set`.
    static func titled(_ key: String, _ schema: JSONObject) -> JSONObject {
        var refers = schema["$ref"] != nil
        if case .array(let options)? = schema["anyOf"], options.count == 2, options.contains(["type": "null"]) {
            refers = options.contains { $0["$ref"] != nil }
        }
        guard !refers else { return schema }
        var schema = schema
        schema["title"] = .string(fieldTitle(key))
        return schema
    }

    /// pydantic's default title of a field: Python's `str.title()` (each run of letters
    /// capitalised, the rest lowered) with `_` as a space — `zip_code` is "Zip Code",
    /// `camelCase` "Camelcase".
    static func fieldTitle(_ key: String) -> String {
        var title = ""
        var afterLetter = false
        for character in key {
            if character.isLetter {
                title += afterLetter ? character.lowercased() : character.uppercased()
                afterLetter = true
            } else {
                title.append(character == "_" ? " " : character)
                afterLetter = false
            }
        }
        return title.trimmingCharacters(in: .whitespaces)
    }
}
