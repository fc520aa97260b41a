import Foundation
import Prefect

/// The recordings in `Fixtures/`, read from the source tree.
enum Fixtures {
    /// `Fixtures/name` as a JSON object; empty when missing (the tests then fail on its absence).
    static func object(_ name: String) -> JSONObject {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        guard let data = try? Data(contentsOf: url), let object = try? PrefectJSON.decode(JSONObject.self, from: data) else {
            return JSONObject()
        }
        return object
    }
}
