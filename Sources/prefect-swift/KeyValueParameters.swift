import Foundation
import ArgumentParser
import PrefectClient

/// `--param key=value` arguments, as `prefect deployment run` takes them: a value that is
/// JSON (`3`, `true`, `[1, 2]`, `"text"`) is that JSON, any other value a string.
enum KeyValueParameters {
    static func parse(_ pairs: [String]) throws -> JSONObject {
        var parameters: JSONObject = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw CommandFailure("--param takes key=value, not '\(pair)'")
            }
            let key = String(pair[..<equals])
            let text = String(pair[pair.index(after: equals)...])
            parameters[key] = (try? PrefectJSON.decode(JSONValue.self, from: Data(text.utf8))) ?? .string(text)
        }
        return parameters
    }
}
