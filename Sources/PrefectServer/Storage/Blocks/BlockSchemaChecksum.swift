import Crypto
import Foundation
import PrefectSchemas

/// A block schema's checksum and the definitions it keeps, as Prefect 3.9.1 computes them
/// (`blocks/core.py` `Block._calculate_schema_checksum`, `_get_non_block_reference_definitions`,
/// `_collect_nested_reference_strings`).
enum BlockSchemaChecksum {
    /// `sha256:` and the hex SHA-256 of `json.dumps(((fields,), {}), sort_keys=True)`, where
    /// `fields` lost every `secret_fields` member and keeps only the definitions that are not
    /// block schemas (none at all when that leaves none).
    static func checksum(_ fields: JSONObject) -> String {
        guard case .object(var hashed) = removingSecretFields(.object(fields)) else { return "" }
        if let definitions = hashed["definitions"], definitions.isTruthy {
            let kept = nonBlockDefinitions(of: .object(hashed), definitions: definitions.objectValue ?? [:])
            if kept.isEmpty {
                hashed.removeValue(forKey: "definitions")
            } else {
                hashed["definitions"] = .object(kept)
            }
        }
        let text = PythonJSONText.dumps(.array([.array([.object(hashed)]), .object([:])]))
        let digest = SHA256.hash(data: Data(text.utf8))
        return "sha256:" + digest.map { String(format: "%02x", $0) }.joined()
    }

    /// The definitions `object` (or anything below it) refers to by `#/definitions/…` that are
    /// not block schemas (no `block_type_slug`), with the ones those refer to. A definition that
    /// refers back to one already taken is not walked again (Prefect would recurse without end).
    static func nonBlockDefinitions(of object: JSONValue, definitions: JSONObject) -> JSONObject {
        var kept: JSONObject = [:]
        collectNonBlockDefinitions(of: object, definitions: definitions, into: &kept)
        return kept
    }

    private static func collectNonBlockDefinitions(
        of object: JSONValue, definitions: JSONObject, into kept: inout JSONObject
    ) {
        for reference in referenceStrings(in: object) {
            let key = reference.replacingOccurrences(of: "#/definitions/", with: "")
            guard kept[key] == nil, let definition = definitions[key], definition.isTruthy,
                  (definition["block_type_slug"] ?? .null) == .null else { continue }
            kept[key] = definition
            collectNonBlockDefinitions(of: definition, definitions: definitions, into: &kept)
        }
    }

    /// Every string `$ref` in `value`, depth first, as `_collect_nested_reference_strings`.
    static func referenceStrings(in value: JSONValue) -> [String] {
        switch value {
        case .object(let members):
            var found: [String] = []
            if let reference = members["$ref"]?.stringValue { found.append(reference) }
            for member in members.values { found += referenceStrings(in: member) }
            return found
        case .array(let items):
            return items.flatMap(referenceStrings(in:))
        default:
            return []
        }
    }

    /// `remove_nested_keys(["secret_fields"], …)`: through objects, not lists.
    private static func removingSecretFields(_ value: JSONValue) -> JSONValue {
        guard case .object(let members) = value else { return value }
        var kept: JSONObject = [:]
        for (key, member) in members where key != "secret_fields" {
            kept[key] = removingSecretFields(member)
        }
        return .object(kept)
    }
}
