import Foundation
import GRDB
import HTTPTypes
import PrefectSchemas

/// Prefect's `_validate_work_pool_job_variables` (`prefect/server/api/validation.py`): job
/// variables over the defaults of a work pool's base job template, against its `variables`
/// schema. With `ignoreInvalidDefaults`, defaults that do not fit the schema are dropped (and
/// then `required` is not enforced); a default that references a block document
/// (`{"$ref": {"block_document_id": …}}`) is that document's data (``resolvingBlockDefaults(_:_:)``).
enum JobVariableValidation {
    /// `validate_job_variable_defaults_for_work_pool`: the template's defaults fit its own
    /// variables schema (`required` ignored), or Prefect's 422.
    static func checkDefaults(_ stored: JSONObject, _ db: Database) throws {
        let template = try resolvingBlockDefaults(stored, db)
        do {
            try validate(template: template, [], ignoreRequired: true, ignoreInvalidDefaults: false)
        } catch {
            throw error.apiError(.unprocessableContent, prefix: "Validation failed for work pool's job variable defaults")
        }
    }

    /// The template with each block-reference default replaced by the document's data, its
    /// secrets obfuscated (Prefect's `_resolve_default_reference`); a reference without a
    /// document id is dropped. A document that does not exist is Prefect's 404 "Block not found.".
    static func resolvingBlockDefaults(_ template: JSONObject, _ db: Database) throws -> JSONObject {
        guard case .object(var variables)? = template["variables"], case .object(var properties)? = variables["properties"] else {
            return template
        }
        for (name, attributes) in properties {
            guard case .object(var members) = attributes, case .object(let reference)? = members["default"],
                  let target = reference["$ref"] else { continue }
            guard let idValue = target["block_document_id"], idValue != .null else {
                members.removeValue(forKey: "default")
                properties[name] = .object(members)
                continue
            }
            guard let id = idValue.stringValue.flatMap(UUID.init(uuidString:)),
                  let document = try BlockDocumentStore.read(db, id: id, includeSecrets: false) else {
                throw APIError.notFound("Block not found.")
            }
            members["default"] = .object(document.data)
            properties[name] = .object(members)
        }
        variables["properties"] = .object(properties)
        var resolved = template
        resolved["variables"] = .object(variables)
        return resolved
    }

    /// Throws ``ParameterSchemaValidation/Failure`` when the variables do not fit; nothing
    /// happens for a template without a variables schema.
    static func validate(
        template: JSONObject, _ layers: [JSONObject], ignoreRequired: Bool, ignoreInvalidDefaults: Bool = true
    ) throws(ParameterSchemaValidation.Failure) {
        guard !template.isEmpty, case .object(let variables)? = template["variables"], !variables.isEmpty else { return }
        var merged: JSONObject = [:]
        var invalidDefaults = false
        for (name, attributes) in variables["properties"]?.objectValue ?? [:] {
            guard let value = attributes["default"] else { continue }
            if case .object(let reference) = value, reference["$ref"] != nil { continue }
            guard ignoreInvalidDefaults else {
                merged[name] = value
                continue
            }
            do {
                try ParameterSchemaValidation.validate([name: value], schema: variables, ignoreRequired: true, preprocess: false)
                merged[name] = value
            } catch {
                invalidDefaults = true
            }
        }
        for layer in layers { merged.merge(layer) { _, given in given } }
        try ParameterSchemaValidation.validate(
            merged, schema: variables, ignoreRequired: ignoreRequired || invalidDefaults, allowNoneWithDefault: true)
    }
}
