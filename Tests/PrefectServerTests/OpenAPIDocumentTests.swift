import Foundation
import PrefectClient
import PrefectSchemas
import PrefectServer
import PrefectTestKit
import Testing

/// `/api/openapi.json` describes exactly the routes the embedded server serves, in Prefect's
/// shapes: a route added without `scripts/generate-openapi.py` fails here.
@Suite("The embedded server's OpenAPI document")
struct OpenAPIDocumentTests {
    private static func normalized(_ path: String) -> String {
        let unnamed = path.replacing(/\{[^}]*\}/, with: "{}")
        let trimmed = unnamed.hasSuffix("/") ? String(unnamed.dropLast()) : unnamed
        return trimmed.isEmpty ? "/" : trimmed
    }

    @Test("every served route and nothing else, each with Prefect's operation and the schemas it uses")
    func matchesTheRouter() async throws {
        let served = Set(try ServedRoutes.list().compactMap { line -> String? in
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[1] != "/api/openapi.json" else { return nil }
            return "\(parts[0]) \(Self.normalized(String(parts[1].dropFirst("/api".count))))"
        })
        #expect(served.count > 60)
        try await withPrefectTestServer { client in
            let response = try await client.http.get("/openapi.json")
            #expect(response.statusCode == 200)
            let document = try #require(response.json)
            #expect(document["info"]?["title"] == "Prefect REST API")
            guard case .object(let paths)? = document["paths"], case .object(let schemas)? = document["components"]?["schemas"] else {
                Issue.record("no paths or schemas")
                return
            }
            var described: Set<String> = []
            for (path, operations) in paths {
                guard case .object(let byMethod) = operations else { continue }
                for (method, operation) in byMethod where ["get", "post", "put", "patch", "delete"].contains(method) {
                    described.insert("\(method.uppercased()) \(Self.normalized(path))")
                    #expect(operation["operationId"] != nil, "\(method) \(path)")
                }
            }
            #expect(described == served, "described but not served: \(described.subtracting(served)); served but not described: \(served.subtracting(described))")
            let text = response.text
            for reference in text.matches(of: /"#\/components\/schemas\/([^"]+)"/) {
                #expect(schemas[String(reference.output.1)] != nil, "missing schema \(reference.output.1)")
            }
        }
    }
}
