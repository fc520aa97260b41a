import ArgumentParser

/// `prefect-bench`: the Swift side of the client benchmarks in `shared/bench/`.
///
/// Build it in release mode: `swift run -c release prefect-bench …`.
@main
struct PrefectBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prefect-bench",
        abstract: "Benchmarks of the swift-prefect client; each prints one JSON object.",
        subcommands: [
            ClientBenchmark.self, DecodeBenchmark.self, EncodeBenchmark.self, HealthBenchmark.self, EmbeddedBenchmark.self,
            FillBenchmark.self, FlowBenchmark.self, ServeNoopBenchmark.self, DeployNoopBenchmark.self,
        ]
    )
}
