import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import PrefectSchemas

/// Turns every error into an answer in Prefect's shapes, so nothing reaches a client as a
/// crash or a framework-specific body: unknown routes are `{"detail": "Not Found"}`, database
/// trouble is a 503 the client retries, anything else a logged 500 (Prefect's
/// `custom_internal_exception_handler`).
///
/// The body of a request that has one is read here first (at most ``APIBody/maximumSize``, a
/// larger one is a 413), so that a 422 raised after decoding echoes it as `request_body`, as
/// Prefect's `validation_exception_handler` echoes `exc.body`.
struct PrefectErrorMiddleware: RouterMiddleware {
    typealias Context = PrefectRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        var body: ByteBuffer?
        if [.post, .put, .patch, .delete].contains(request.method) {
            do {
                body = try await request.collectBody(upTo: APIBody.maximumSize)
            } catch {
                return JSONResponse.make(
                    JSONValue.object(["detail": .string("Request body is larger than \(APIBody.maximumSize) bytes.")]),
                    status: .contentTooLarge)
            }
        }
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return JSONResponse.make(error.echoing(body.map { Data($0.readableBytesView) }), status: error.status)
        } catch let error as HTTPError {
            return JSONResponse.make(["detail": error.status.reasonPhrase], status: error.status)
        } catch let error as PrefectServerUnavailable {
            context.logger.error("database unavailable", metadata: ["error": "\(error)"])
            return JSONResponse.make(["exception_message": "Service Unavailable"], status: .serviceUnavailable)
        } catch is CancellationError {
            // The caller went away (an in-process request whose task was cancelled): nobody
            // reads this answer, and nothing went wrong on the server's side.
            throw CancellationError()
        } catch {
            context.logger.error(
                "request failed", metadata: ["method": "\(request.method)", "path": "\(request.uri.path)", "error": "\(error)"])
            return JSONResponse.make(["exception_message": "Internal Server Error"], status: .internalServerError)
        }
    }
}

/// The database could not serve a request (closed during shutdown, disk full): a 503 the
/// client's retry loop handles.
struct PrefectServerUnavailable: Error, CustomStringConvertible {
    let description: String
}
