import Foundation
import HTTPTypes
import Hummingbird
import PrefectSchemas

/// `get_created_by` (`prefect/server/api/dependencies.py`): a request an automation's action
/// makes names the automation in `Prefect-Automation-ID` and `Prefect-Automation-Name`
/// (base64), and what it creates is `created_by` that automation.
enum AutomationProvenance {
    private static let idHeader = HTTPField.Name("Prefect-Automation-ID")
    private static let nameHeader = HTTPField.Name("Prefect-Automation-Name")

    static func createdBy(_ request: Request) -> CreatedBy? {
        guard let idHeader, let nameHeader, let idText = request.headers[idHeader], let id = UUID(uuidString: idText),
              let encoded = request.headers[nameHeader], let data = Data(base64Encoded: encoded),
              let name = String(data: data, encoding: .utf8), !name.isEmpty
        else { return nil }
        return CreatedBy(id: id, type: "AUTOMATION", displayValue: name)
    }
}
