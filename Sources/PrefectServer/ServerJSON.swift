import Foundation
import PrefectSchemas

/// How the embedded server writes JSON: the SDK's codec with every field present, `null` for
/// absent ones, as Prefect's server serialises its response models.
enum ServerJSON {
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        try PrefectJSONEncoder(explicitNulls: true).encode(value)
    }
}
