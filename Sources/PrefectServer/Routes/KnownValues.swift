import PrefectSchemas

/// The schemas decode values they do not know (`StateType.unknown("…")`) so the client stays
/// forward-compatible; the server must refuse them instead, as pydantic's enum validation does.
enum KnownValues {
    static func check(_ state: StateCreate?, at location: [JSONValue]) throws {
        guard let state, case .unknown(let value) = state.type else { return }
        let message = "Input should be " + ActionBody.alternatives(StateType.allCases.map(\.rawValue))
        throw APIError.validation(
            [APIError.validationEntry(type: "enum", loc: ["body"] + location + ["type"], msg: message, input: .string(value))],
            requestBody: .null)
    }
}
