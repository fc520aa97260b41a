import Foundation
import PrefectSchemas

/// Prefect's `_validate_work_pool_job_variables` (`prefect/server/api/validation.py`): job
/// variables over the defaults of a work pool's base job template, against its `variables`
/// schema. With `ignoreInvalidDefaults`, defaults that do not fit the schema are dropped (and
/// then `required` is not enforced); defaults that reference blocks are left out, since the
/// embedded server has no blocks yet.
enum JobVariableValidation {
    /// Throws ``ParameterSchemaValidation/Failure`` when the variables do not fit; nothing
    /// happens for a template without a variables schema.
    static func validate(
        template: [String: JSONValue], _ layers: [[String: JSONValue]], ignoreRequired: Bool, ignoreInvalidDefaults: Bool = true
    ) throws(ParameterSchemaValidation.Failure) {
        guard !template.isEmpty, case .object(let variables)? = template["variables"], !variables.isEmpty else { return }
        var merged: [String: JSONValue] = [:]
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
