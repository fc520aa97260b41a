import Foundation
import HTTPTypes
import PrefectSchemas

/// Prefect's `prefect/utilities/schema_tools/validation.validate(…, raise_on_error=True)`:
/// the schema preprocessed as Prefect does (pydantic's optional fields made nullable, tuple
/// `items` as `prefixItems`, block references accepted by id), `required` dropped on request,
/// and the best error as Prefect words it: "Validation failed for field 'x'. Failure reason: …".
enum ParameterSchemaValidation {
    enum Failure: Error {
        /// The instance does not conform; Prefect's `ValidationError` message.
        case invalid(String)
        /// The schema's references loop (Prefect's `CircularSchemaRefError`).
        case circular

        /// The route's answer: `status` with "`prefix`: message" for a misfit, and Prefect's
        /// 422 for a circular schema.
        func apiError(_ status: HTTPResponse.Status, prefix: String) -> APIError {
            switch self {
            case .invalid(let message): APIError.detail(status, "\(prefix): \(message)")
            case .circular: APIError.detail(.unprocessableContent, "Invalid schema: Unable to validate schema with circular references.")
            }
        }
    }

    static func validate(
        _ instance: JSONObject, schema: JSONObject, ignoreRequired: Bool, allowNoneWithDefault: Bool = false,
        preprocess: Bool = true
    ) throws(Failure) {
        var root = JSONValue.object(schema)
        if preprocess { root = preprocessed(schema, allowNoneWithDefault: allowNoneWithDefault) }
        if ignoreRequired { root = removingRequired(root) }
        let found: JSONSchemaValidator.SchemaError?
        do {
            found = try JSONSchemaValidator(root: root).bestError(.object(instance))
        } catch is JSONSchemaValidator.CircularReference {
            throw .circular
        } catch let error as JSONSchemaValidator.UnresolvableReference {
            throw .invalid("Validation failed. Failure reason: Unresolvable JSON pointer: \(PythonRepr.string(String(error.reference.dropFirst(2))))")
        } catch {
            throw .invalid("Validation failed. Failure reason: \(error)")
        }
        guard let found else { return }
        var jsonPath = "$"
        for element in found.path {
            switch element {
            case .key(let key): jsonPath += "." + key
            case .index(let index): jsonPath += "[\(index)]"
            }
        }
        let prefix = jsonPath == "$" ? "Validation failed." : "Validation failed for field \(PythonRepr.string(jsonPath.replacingOccurrences(of: "$.", with: "")))."
        throw .invalid("\(prefix) Failure reason: \(found.message)")
    }

    /// `preprocess_schema`.
    static func preprocessed(_ schema: JSONObject, allowNoneWithDefault: Bool) -> JSONValue {
        var schema = schema
        if case .object(let properties)? = schema["properties"] {
            schema["properties"] = .object(processed(properties, required: requiredNames(schema), allowNoneWithDefault: allowNoneWithDefault))
        }
        if case .object(var definitions)? = schema["definitions"] {
            for (name, definition) in definitions {
                guard case .object(var members) = definition else { continue }
                if case .object(let properties)? = members["properties"] {
                    members["properties"] = .object(processed(properties, required: requiredNames(members), allowNoneWithDefault: allowNoneWithDefault))
                    definitions[name] = .object(members)
                }
                if members["block_type_slug"] != nil, let title = members["title"]?.stringValue {
                    let reference: JSONValue = [
                        "type": "object",
                        "properties": ["$ref": ["oneOf": [["type": "string", "format": "uuid"],
                                                          ["type": "object", "additionalProperties": ["type": "string"], "minProperties": 1]]]],
                        "required": ["$ref"],
                    ]
                    definitions[title] = ["oneOf": [.object(members), reference]]
                }
            }
            schema["definitions"] = .object(definitions)
        }
        return .object(schema)
    }

    private static func requiredNames(_ schema: JSONObject) -> Set<String> {
        Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    /// `process_properties`: `_fix_null_typing` and `_fix_tuple_items`, into nested properties.
    private static func processed(_ properties: JSONObject, required: Set<String>, allowNoneWithDefault: Bool) -> JSONObject {
        var out = properties
        for (key, value) in properties {
            guard case .object(var property) = value else { continue }
            if !required.contains(key), let type = property["type"], type != "null",
                property["default"] == nil || allowNoneWithDefault
            {
                property["anyOf"] = [["type": type], ["type": "null"]]
                property["type"] = nil
            }
            if case .array(let items)? = property["items"], !items.isEmpty, property["prefixItems"] == nil {
                property["prefixItems"] = .array(items)
                property["items"] = nil
            }
            if case .object(let nested)? = property["properties"] {
                property["properties"] = .object(processed(nested, required: requiredNames(property), allowNoneWithDefault: allowNoneWithDefault))
            }
            out[key] = .object(property)
        }
        return out
    }

    /// `remove_nested_keys(["required"], schema)`.
    private static func removingRequired(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var out: JSONObject = [:]
            for (key, member) in members where key != "required" { out[key] = removingRequired(member) }
            return .object(out)
        case .array(let items):
            return .array(items.map(removingRequired))
        default:
            return value
        }
    }
}
