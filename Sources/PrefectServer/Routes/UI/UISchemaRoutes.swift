import Foundation
import Hummingbird
import PrefectSchemas

/// `/ui/schemas/validate` (Prefect's `api/ui/schemas.py`): the Run form's values checked against
/// a deployment's parameter schema, workspace variables hydrated, every error reported.
enum UISchemaRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        api.post("ui/schemas/validate") { request, _ -> Response in
            let body = try await APIBody.decodeFilter([String: JSONObject].self, from: request)
            let schema = ParameterSchemaValidation.preprocessed(body["schema"] ?? [:], allowNoneWithDefault: false)
            if let problem = SchemaValuesValidation.schemaProblem(schema) {
                throw APIError.detail(.unprocessableContent, "Invalid schema: \(problem)")
            }
            let (values, placeholders) = try await env.read { try ParameterHydration.hydrateForValidation(body["values"] ?? [:], $0) }
            var validator = JSONSchemaValidator(root: schema)
            validator.checksFormats = true
            validator.placeholders = Dictionary(
                placeholders.compactMap { placeholder in placeholder.message.map { (placeholder.path, $0) } },
                uniquingKeysWith: { first, _ in first })
            let errors: [JSONSchemaValidator.SchemaError]
            do {
                errors = try validator.allErrors(.object(values))
            } catch is JSONSchemaValidator.CircularReference {
                throw APIError.detail(.unprocessableContent, "Invalid schema: Unable to validate schema with circular references.")
            } catch let error as JSONSchemaValidator.UnresolvableReference {
                throw APIError.detail(
                    .unprocessableContent,
                    "Invalid schema: Validation failed. Failure reason: Unresolvable JSON pointer: \(PythonRepr.string(String(error.reference.dropFirst(2))))")
            }
            return JSONResponse.make(SchemaValuesValidation.errorObject(errors, placeholders: placeholders))
        }
    }
}
