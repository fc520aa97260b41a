import Foundation
import PrefectSchemas

extension RunParameters {
    /// A run's `parameters` as the flow's `Input`: the inverse of ``of(_:)``. Members the
    /// parameters lack are taken from ``ParameterDefaults``; an input that is not a JSON
    /// object is read from the one parameter `input`.
    ///
    /// - Throws: ``ParameterTypeError`` naming the parameter and the type it should have.
    static func decode<Input: Decodable>(_ type: Input.Type, from parameters: JSONObject) throws(ParameterTypeError) -> Input {
        var parameters = parameters
        if let defaults = SchemaRecorder.defaults(of: Input.self) {
            for key in defaults.keys where parameters[key] == nil { parameters[key] = defaults[key] }
        }
        do {
            return try decodeJSON(Input.self, from: .object(parameters))
        } catch let DecodingError.typeMismatch(_, context) where context.codingPath.isEmpty && parameters["input"] != nil {
            do {
                return try decodeJSON(Input.self, from: parameters["input"] ?? .null)
            } catch {
                throw ParameterTypeError(problems: [problem(error, under: "input")])
            }
        } catch {
            throw ParameterTypeError(problems: [problem(error, under: nil)])
        }
    }

    private static func decodeJSON<Input: Decodable>(_ type: Input.Type, from value: JSONValue) throws -> Input {
        try PrefectJSON.decode(Input.self, from: PrefectJSON.encode(value))
    }

    /// One decoding error as a problem: the path of the value it is about, and what was
    /// expected there.
    private static func problem(_ error: any Error, under root: String?) -> ParameterTypeError.Problem {
        guard let error = error as? DecodingError else {
            return .init(parameter: root ?? "parameters", message: String(describing: error))
        }
        func path(_ keys: [any CodingKey]) -> String {
            let names = (root.map { [$0] } ?? []) + keys.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return names.isEmpty ? "parameters" : names.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .init(parameter: path(context.codingPath + [key]), message: "Field required")
        case .valueNotFound(let type, let context):
            return .init(parameter: path(context.codingPath), message: "Expected \(type) but found null")
        case .typeMismatch(_, let context), .dataCorrupted(let context):
            return .init(parameter: path(context.codingPath), message: context.debugDescription)
        @unknown default:
            return .init(parameter: root ?? "parameters", message: String(describing: error))
        }
    }
}
