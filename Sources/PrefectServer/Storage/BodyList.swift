import Foundation

/// A JSON array spliced from stored bodies without decoding them: what list endpoints
/// answer when the stored JSON is already the API's shape.
enum BodyList {
    static func join(_ bodies: [Data]) -> Data {
        var out = Data()
        out.reserveCapacity(bodies.reduce(2) { $0 + $1.count + 1 })
        out.append(UInt8(ascii: "["))
        for (index, body) in bodies.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(body)
        }
        out.append(UInt8(ascii: "]"))
        return out
    }
}

/// `LIMIT ? OFFSET ?` with Prefect's meaning of a missing limit (the server's default).
struct Page {
    var limit: Int
    var offset: Int

    var sql: String { "LIMIT \(limit) OFFSET \(offset)" }
}
