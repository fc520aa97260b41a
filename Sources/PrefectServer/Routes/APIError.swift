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

    /// One validation error entry as pydantic reports it.
    static func validationEntry(type: String, loc: [JSONValue], msg: String, input: JSONValue = .null) -> JSONValue {
        ["type": .string(type), "loc": .array(loc), "msg": .string(msg), "input": input]
    }
}
