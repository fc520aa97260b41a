// scheduled-etl: two flows with typed parameters, run on a schedule by Prefect.
//
//   swift run scheduled-etl serve               serves them as two deployments, each run in a
//                                               process of its own (on the embedded server when
//                                               PREFECT_API_URL is not set: its scheduler runs in
//                                               this process, so no server is needed at all)
//   swift run scheduled-etl deploy --pool NAME  registers them on the process work pool NAME, for
//                                               `prefect-swift worker start --pool NAME` or
//                                               Prefect's own `prefect worker start --pool NAME`
import Foundation
import Prefect

/// The parameters of `extract-orders`: Prefect's UI shows them as a typed form.
struct OrdersWindow: Codable, Sendable, ParameterDefaults {
    var region: String
    var minutes: Int
    static var parameterDefaults: JSONObject { ["region": "eu", "minutes": 60] }
}

/// The parameters of `daily-report`.
struct ReportRequest: Codable, Sendable, ParameterDefaults {
    enum Format: String, Codable, Sendable, CaseIterable { case csv, json }
    var day: String?
    var format: Format
    var recipients: [String]
    static var parameterDefaults: JSONObject { ["format": "csv", "recipients": []] }
}

let fetchOrders = PrefectTask("fetch-orders", retries: 2) { (window: OrdersWindow) -> [Int] in
    // A stand-in for a query: the window's orders, in cents.
    (0..<max(0, min(window.minutes, 1_440))).map { minute in (minute * 37 + window.region.count * 101) % 5_000 }
}

let sum = PrefectTask("sum") { (cents: [Int]) -> Int in cents.reduce(0, +) }

let extractOrders = PrefectFlow("extract-orders", description: "Totals the last minutes of orders of a region.") {
    (window: OrdersWindow) -> Int in
    let total = try await sum(try await fetchOrders(window))
    RunContext.logger.info("\(window.region): \(total) cents in the last \(window.minutes) minutes")
    return total
}

let dailyReport = PrefectFlow("daily-report", description: "Writes yesterday's report.") { (request: ReportRequest) -> String in
    let day = request.day ?? ISO8601DateFormatter().string(from: Date().addingTimeInterval(-86_400)).prefix(10).description
    let report = "report for \(day) as \(request.format.rawValue) to \(request.recipients.count) recipients"
    RunContext.logger.info("\(report)")
    return report
}

let deployments = [
    extractOrders.deployment(name: "every-minute", interval: 60),
    dailyReport.deployment(name: "nightly", cron: "0 6 * * *", timezone: "UTC"),
]

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "serve":
    try await PrefectRunner(deployments: deployments).run()
case "deploy" where arguments.count == 3 && arguments[1] == "--pool":
    try await PrefectDeployment.deploy(deployments, workPool: arguments[2])
    print("Registered \(deployments.map(\.qualifiedName).joined(separator: " and ")) on work pool '\(arguments[2])'.")
    print("Start a worker: prefect-swift worker start --pool \(arguments[2])")
    await PrefectRuntime.shared.shutdown()
default:
    FileHandle.standardError.write(Data("usage: scheduled-etl serve | scheduled-etl deploy --pool NAME\n".utf8))
    exit(2)
}
