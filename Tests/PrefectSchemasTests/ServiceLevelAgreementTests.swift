import Foundation
import PrefectSchemas
import Testing

@Suite("Service level agreements")
struct ServiceLevelAgreementTests {
    /// The bodies Prefect 3.9.1 sends: `model_dump(mode="json", exclude_unset=True)` of each SLA type.
    @Test("encoded as Prefect encodes each SLA type")
    func encoding() throws {
        let owner = "prefect.deployment.44486b2c-1d43-4fef-a0cf-002944ab22b4"
        let frequency = ServiceLevelAgreement(name: "f", kind: .frequency(staleAfterSeconds: 3600.5), ownerResource: owner)
        #expect(try PrefectJSON.decode(JSONValue.self, from: PrefectJSON.encode(frequency)) == ["name": "f", "stale_after": 3600.5, "owner_resource": .string(owner)])
        let completion = ServiceLevelAgreement(name: "t", kind: .timeToCompletion(seconds: 60), severity: .high, enabled: false)
        #expect(try PrefectJSON.decode(JSONValue.self, from: PrefectJSON.encode(completion))
            == ["name": "t", "severity": "high", "enabled": false, "duration": 60, "owner_resource": .null])
        let lateness = ServiceLevelAgreement(name: "l", kind: .lateness(withinSeconds: 600))
        #expect(try PrefectJSON.decode(JSONValue.self, from: PrefectJSON.encode(lateness)) == ["name": "l", "within": 600, "owner_resource": .null])
    }
}
