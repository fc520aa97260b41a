import Foundation
import HTTPTypes
import Hummingbird
import PrefectSchemas

/// An error answer in Prefect's shapes: `{"detail": …}` for HTTP exceptions,
/// `{"exception_message": …}` for missing objects in orchestration, and the 422 validation
/// body (`exception_message`, `exception_detail`, `request_body`).
struct APIError: Error, HTTPResponseError {
    let status: HTTPResponse.Status
    let body: JSONValue

    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(body, status: status)
    }

    /// `HTTPException(status, detail=…)`.
    static func detail(_ status: HTTPResponse.Status, _ detail: String) -> APIError {
        APIError(status: status, body: ["detail": .string(detail)])
    }

    static func notFound(_ detail: String) -> APIError { .detail(.notFound, detail) }

    /// The answer's `detail` (or `exception_message`), as `str(exc.detail)` reads it.
    var detailText: String {
        body["detail"]?.stringValue ?? body["exception_message"]?.stringValue ?? "\(status.code)"
    }

    /// `ObjectNotFoundError` raised inside the models (Prefect's
    /// `prefect_object_not_found_exception_handler`).
    static func objectNotFound(_ message: String) -> APIError {
        APIError(status: .notFound, body: ["exception_message": .string(message)])
    }

    /// A request that fails validation: Prefect's `validation_exception_handler` body.
    static func validation(_ errors: [JSONValue], requestBody: JSONValue) -> APIError {
        APIError(status: .unprocessableContent, body: [
            "exception_message": "Invalid request received.",
            "exception_detail": .array(errors),
            "request_body": requestBody,
        ])
    }

    /// The body to answer with: a validation error raised without the request body at hand
    /// (`request_body: null`) echoes `requestBody` (Prefect echoes every request's body).
    func echoing(_ requestBody: Data?) -> JSONValue {
        guard status == .unprocessableContent, case .object(var members) = body, members["exception_detail"] != nil,
            members["request_body"] == .null, let requestBody, !requestBody.isEmpty
        else { return body }
        members["request_body"] = APIBody.echo(requestBody)
        return .object(members)
    }

    /// One validation error entry as pydantic reports it, with the `ctx` pydantic adds for
    /// its `type` (``ValidationContext``) unless `ctx` is given.
    static func validationEntry(
        type: String, loc: [JSONValue], msg: String, input: JSONValue = .null, ctx: JSONValue? = nil
    ) -> JSONValue {
        var entry: JSONObject = ["type": .string(type), "loc": .array(loc), "msg": .string(msg), "input": input]
        if let context = ctx ?? ValidationContext.ctx(type: type, msg: msg) { entry["ctx"] = context }
        return .object(entry)
    }
}
