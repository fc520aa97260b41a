import PrefectSchemas

/// How block documents hide their secrets (Prefect's `BlockDocument.from_orm_model` and
/// `update_block_document`, over `utilities/collections.py` `dict_to_flatdict`): the data is
/// flattened to key paths, and each path a schema's `secret_fields` names (`a.b`, or `a.*` for
/// everything below `a`) is replaced by `obfuscate`'s eight asterisks.
enum BlockDocumentSecrets {
    /// `prefect.utilities.names.obfuscate` of any value.
    static let obfuscated = JSONValue.string("********")

    /// `data` with the secret fields obfuscated; values that are null stay null unless a
    /// wildcard covers them, as in Prefect.
    static func masked(_ data: JSONObject, secretFields: [String]) -> JSONObject {
        var flat = flatten(data)
        for field in secretFields {
            let path = field.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            if let index = flat.firstIndex(where: { $0.path == path }), flat[index].value != .null {
                flat[index].value = obfuscated
            } else if let wildcard = path.firstIndex(of: "*") {
                let prefix = Array(path[..<wildcard])
                for index in flat.indices where Array(flat[index].path.prefix(wildcard)) == prefix {
                    flat[index].value = obfuscated
                }
            }
        }
        return unflatten(flat)
    }

    /// An update's `data` with every secret the caller sent back still obfuscated replaced by
    /// the stored value, so saving a document read without secrets keeps them.
    static func restored(_ update: JSONObject, current: JSONObject, secretFields: [String]) -> JSONObject {
        var flat = flatten(update)
        let stored = flatten(current)
        for field in secretFields {
            let path = field.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            if let currentSecret = stored.first(where: { $0.path == path })?.value, currentSecret != .null {
                if let index = flat.firstIndex(where: { $0.path == path }), flat[index].value == obfuscated {
                    flat[index].value = currentSecret
                }
            } else if let wildcard = path.firstIndex(of: "*") {
                let prefix = Array(path[..<wildcard])
                for index in flat.indices where Array(flat[index].path.prefix(wildcard)) == prefix && flat[index].value == obfuscated {
                    if let original = stored.first(where: { $0.path == flat[index].path })?.value {
                        flat[index].value = original
                    }
                }
            }
        }
        return unflatten(flat)
    }

    typealias FlatEntry = (path: [String], value: JSONValue)

    /// `dict_to_flatdict`: non-empty objects are walked; everything else is a leaf.
    static func flatten(_ object: JSONObject, parent: [String] = []) -> [FlatEntry] {
        var entries: [FlatEntry] = []
        for (key, value) in object {
            if case .object(let members) = value, !members.isEmpty {
                entries += flatten(members, parent: parent + [key])
            } else {
                entries.append((parent + [key], value))
            }
        }
        return entries
    }

    /// `flatdict_to_dict`.
    static func unflatten(_ entries: [FlatEntry]) -> JSONObject {
        var object: JSONObject = [:]
        for entry in entries { insert(entry.value, at: entry.path[...], into: &object) }
        return object
    }

    private static func insert(_ value: JSONValue, at path: ArraySlice<String>, into object: inout JSONObject) {
        guard let key = path.first else { return }
        if path.count == 1 {
            object[key] = value
            return
        }
        var members = object[key]?.objectValue ?? [:]
        insert(value, at: path.dropFirst(), into: &members)
        object[key] = .object(members)
    }
}
