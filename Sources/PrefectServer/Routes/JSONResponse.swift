import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PrefectSchemas

/// Responses with a JSON body, encoded by the SDK's codec.
enum JSONResponse {
    static func make<Value: Encodable>(_ value: Value, status: HTTPResponse.Status = .ok) -> Response {
        do {
            return raw(try ServerJSON.encode(value), status: status)
        } catch {
            return raw(Data(#"{"exception_message":"Internal Server Error"}"#.utf8), status: .internalServerError)
        }
    }

    /// A body that is already JSON text.
    static func raw(_ data: Data, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A response without a body (204).
    static func noContent() -> Response {
        Response(status: .noContent)
    }

    static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
