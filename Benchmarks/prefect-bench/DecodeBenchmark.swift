import ArgumentParser
import Foundation
import PrefectClient

/// `prefect-bench decode --file PATH`: times decoding a captured `/flow_runs/filter` response.
struct DecodeBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode", abstract: "Time decoding a /flow_runs/filter response into [FlowRun].")

    @Option(help: "A captured /flow_runs/filter response.")
    var file: String

    @Option(help: "Timed decodes.")
    var repeats: Int = 200

    @Option(help: "Untimed warm-up decodes.")
    var warmup: Int = 20

    @Option(help: "prefect (the SDK's decoder) or foundation (JSONDecoder, for comparison).")
    var decoder: String = "prefect"

    private func decodeOnce(_ data: Data) throws -> Int {
        switch decoder {
        case "foundation": try JSONDecoder().decode([FlowRun].self, from: data).count
        default: try PrefectJSON.decode([FlowRun].self, from: data).count
        }
    }

    func run() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        var count = 0
        for _ in 0..<warmup {
            count = try decodeOnce(data)
        }
        let cpu0 = CPUTime.now()
        let start = ContinuousClock.now
        var samples: [Double] = []
        samples.reserveCapacity(repeats)
        for _ in 0..<repeats {
            let t0 = ContinuousClock.now
            count = try decodeOnce(data)
            samples.append((ContinuousClock.now - t0).seconds)
        }
        let wall = (ContinuousClock.now - start).seconds
        let cpu = CPUTime.now() - cpu0
        samples.sort()
        let usPerDecode = cpu / Double(repeats) * 1e6
        let result: JSONObject = [
            "tool": "prefect-bench decode",
            "file": .string(file),
            "decoder": .string(decoder),
            "bytes": .int(Int64(data.count)),
            "objects_per_decode": .int(Int64(count)),
            "repeats": .int(Int64(repeats)),
            "us_per_decode": .double(round(usPerDecode * 10) / 10),
            "wall_us_per_decode_p50": .double(round(samples[samples.count / 2] * 1e7) / 10),
            "objects_per_second": .double(round(Double(count) / (cpu / Double(repeats)))),
            "wall_s": .double(wall),
        ]
        print(JSONValue.object(result).jsonText)
    }
}
