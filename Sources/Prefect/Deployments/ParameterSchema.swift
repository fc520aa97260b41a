import Foundation

/// The JSON Schema of a flow's parameters, as Prefect's `parameter_schema`
/// (`prefect/utilities/callables.py`) builds one from a Python signature: the deployment's
/// `parameter_openapi_schema`, from which Prefect's UI draws its "Custom run" form and with
/// which a server enforcing it validates each run's parameters.
///
/// The members of a keyed input type (a `Codable` struct) are the parameters, in the order its
/// `init(from:)` reads them — a synthesized one reads them in declaration order — each with its
/// `title` (its name), `position`, type and, for optionals and ``ParameterDefaults``, its
/// `default`; nested structs and `CaseIterable` enums go to `definitions`. Any other input type
/// is one parameter named `input`, as the runtime passes it. Nothing is written by hand: the
/// type's own `init(from:)` is run against a decoder that records what it asks for.
///
/// A member whose type cannot be made up as a placeholder (an enum that is not
/// `CaseIterable`, a type whose `init(from:)` rejects every value) ends the recording of the
/// type that holds it: the members read before it are described, the rest are not.
public enum ParameterSchema {
    /// The parameter schema of flows whose input is `Input`.
    public static func of<Input: Decodable>(_ type: Input.Type) -> JSONObject {
        let recorder = SchemaRecorder()
        var properties = JSONObject()
        var required: [String] = []
        if let shape = keyedShape(Input.self, recorder: recorder) {
            var position = 0
            (properties, required) = recorder.members(of: shape, defaults: SchemaRecorder.defaults(of: Input.self)) {
                key, schema in
                var schema = schema
                schema["title"] = .string(key)
                schema["position"] = .int(Int64(position))
                position += 1
                return schema
            }
        } else {
            var schema = recorder.describe(Input.self).schema
            schema["title"] = "input"
            schema["position"] = 0
            properties["input"] = .object(schema)
            required = ["input"]
        }
        let definitions = JSONObject(recorder.definitions.mapValues(JSONValue.object))
        return [
            "title": "Parameters", "type": "object",
            "properties": sortedKeys(.object(properties), isPropertyMap: true),
            "required": .array(required.map(JSONValue.string)),
            "definitions": sortedKeys(.object(definitions), isPropertyMap: false),
        ]
    }

    /// The recorded members of `type` when it decodes from a keyed container (its members are
    /// the parameters), else nil (the value is the one parameter `input`).
    private static func keyedShape<Input: Decodable>(_ type: Input.Type, recorder: SchemaRecorder) -> RecordedShape? {
        if SchemaRecorder.scalar(type) != nil || type is any SchemaOptionalShape.Type || type is any SchemaArrayShape.Type
            || type is any SchemaDictionaryShape.Type || SchemaEnumCases.of(type) != nil
        {
            return nil
        }
        let decoder = SchemaRecordingDecoder(recorder: recorder, codingPath: [])
        _ = try? Input(from: decoder)
        switch decoder.shape.kind {
        // A struct without members (``NoParameters``) asks for nothing: no parameters.
        case .object, .unknown: return decoder.shape
        case .value, .array: return nil
        }
    }

    /// Each schema object's keys in name order, as pydantic writes them, except the members of
    /// a `properties` object (`isPropertyMap`), which keep the parameters' order. Defaults are
    /// users' data and keep theirs.
    private static func sortedKeys(_ value: JSONValue, isPropertyMap: Bool) -> JSONValue {
        switch value {
        case .object(let members) where isPropertyMap:
            return .object(JSONObject(members.keys.compactMap { key in
                members[key].map { (key, sortedKeys($0, isPropertyMap: false)) }
            }))
        case .object(let members):
            return .object(JSONObject(members.keys.sorted().compactMap { key in
                members[key].map { value in
                    (key, key == "default" ? value : sortedKeys(value, isPropertyMap: key == "properties"))
                }
            }))
        case .array(let items):
            return .array(items.map { sortedKeys($0, isPropertyMap: false) })
        default:
            return value
        }
    }
}

extension PrefectFlow {
    /// The JSON Schema of this flow's parameters (``ParameterSchema``), as a deployment's
    /// `parameter_openapi_schema`.
    public var parameterSchema: JSONObject { ParameterSchema.of(Input.self) }
}
