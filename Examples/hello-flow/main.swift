// hello-flow: a small ETL flow on Prefect. With no configuration it runs on the embedded
// Prefect server ($PREFECT_HOME/prefect-swift.db); with PREFECT_API_URL set, on that server.
//
//   swift run hello-flow
import Foundation
import Prefect

struct Order: Codable, Sendable {
    let id: Int
    let region: String
    let cents: Int
}

struct RegionTotal: Codable, Sendable {
    let region: String
    let cents: Int
    let orders: Int
}

/// The flow's parameters: each member is a parameter of the flow run in Prefect.
struct Parameters: Codable, Sendable {
    let day: String
}

struct Report: Codable, Sendable {
    let day: String
    let totals: [RegionTotal]
}

enum WarehouseError: Error, CustomStringConvertible {
    case busy
    var description: String { "the warehouse is busy, try again" }
}

/// Counts calls, so that `load` fails on its first attempt only.
actor Attempts {
    private var count = 0
    func next() -> Int {
        count += 1
        return count
    }
}
let loadAttempts = Attempts()

let regions = ["north", "south", "east", "west"]

let extract = PrefectTask("extract", retries: 1) { (region: String) -> [Order] in
    RunContext.logger.info("reading the orders of \(region)")
    try await Task.sleep(for: .milliseconds(20))
    let base = (regions.firstIndex(of: region) ?? 0) * 100
    return (1...5).map { Order(id: base + $0, region: region, cents: 1_000 * $0 + base) }
}

let transform = PrefectTask("transform") { (orders: [Order]) -> RegionTotal in
    RegionTotal(region: orders.first?.region ?? "none", cents: orders.reduce(0) { $0 + $1.cents }, orders: orders.count)
}

let load = PrefectTask("load", retries: 2, retryDelaySeconds: 1) { (totals: [RegionTotal]) -> Int in
    if await loadAttempts.next() == 1 {
        RunContext.logger.warning("the warehouse refused the first write")
        throw WarehouseError.busy
    }
    RunContext.logger.info("wrote \(totals.count) region totals")
    return totals.count
}

let etl = PrefectFlow("hello-etl", tags: ["example"]) { (parameters: Parameters) -> Report in
    RunContext.logger.info("ETL for \(parameters.day) over \(regions.count) regions")
    let orders = try await extract.map(regions)                    // four task runs at once
    async let north = transform(orders[0])                         // structured concurrency
    async let south = transform(orders[1])
    let rest = try await transform.map(Array(orders[2...]))
    let totals = try await [north, south] + rest
    _ = try await load(totals)                                      // fails once, then retries
    return Report(day: parameters.day, totals: totals)
}

let day = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
do {
    let outcome = try await etl.runReturningOutcome(Parameters(day: day))
    print("flow run \(outcome.flowRunID.prefectString) ('\(outcome.flowRunName)'): \(outcome.state.name ?? outcome.state.type.rawValue)")
    for task in outcome.taskRuns {
        let name = task.name.padding(toLength: 16, withPad: " ", startingAt: 0)
        print("  \(name) \(task.state.name ?? task.state.type.rawValue)\(task.attempts > 1 ? " after \(task.attempts) attempts" : "")")
    }
    switch outcome.result {
    case .success(let report):
        let cents = report.totals.reduce(0) { $0 + $1.cents }
        print("summary: \(report.totals.count) regions, \(report.totals.reduce(0) { $0 + $1.orders }) orders, total \(cents / 100).\(String(format: "%02d", cents % 100))")
    case .failure(let error):
        print("the flow run failed: \(error)")
    }
    await PrefectRuntime.shared.shutdown()
    exit(outcome.state.isCompleted ? 0 : 1)
} catch {
    FileHandle.standardError.write(Data("hello-flow: \(error)\n".utf8))
    await PrefectRuntime.shared.shutdown()
    exit(1)
}
