import Foundation
import PrefectSchemas

/// libFuzzer target over ``PrefectJSONDecoder``: the first byte of an input picks one of the
/// response models the client decodes (alone or as a list), the rest is the JSON. Any outcome
/// but a thrown error or a value is a finding: a trap, a sanitizer report, a hang.
///
/// Built by `scripts/fuzz-native.sh decoders` (`swift build -c release -Xswiftc
/// -sanitize=fuzzer,address -Xswiftc -DFUZZING`); without `FUZZING` it is a replay tool that
/// runs the same function over the files it is given.
enum DecoderFuzzing {
    /// Decodes `json` as one model and as a list of it.
    typealias Decode = @Sendable (Data) -> Void

    private static func both<T: Decodable & SendableMetatype>(_ type: T.Type) -> Decode {
        { json in
            _ = try? PrefectJSON.decode(T.self, from: json)
            _ = try? PrefectJSON.decode([T].self, from: json)
        }
    }

    static let models: [Decode] = [
        both(FlowRun.self), both(TaskRun.self), both(Flow.self), both(DeploymentResponse.self), both(DeploymentSchedule.self),
        both(State.self), both(OrchestrationResult.self), both(WorkPool.self), both(WorkQueue.self), both(Worker.self),
        both(WorkerFlowRunResponse.self), both(WorkQueueStatusDetail.self), both(WorkPoolConcurrencyStatus.self),
        both(WorkQueueConcurrencyStatus.self), both(Variable.self), both(Log.self), both(FlowRunInput.self),
        both(Artifact.self), both(ArtifactCollection.self), both(BlockDocument.self), both(BlockSchema.self),
        both(BlockType.self), both(ConcurrencyLimit.self), both(GlobalConcurrencyLimitResponse.self),
        both(MinimalConcurrencyLimitResponse.self), both(ConcurrencyLimitWithLeaseResponse.self), both(Automation.self),
        both(EventPage.self), both(EventCount.self), both(ReceivedEvent.self), both(SlaMergeResponse.self),
        both(ServerDefaultResultStorage.self), both(CsrfToken.self), both(JSONValue.self), both(JSONObject.self),
    ]

    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let selector = bytes.first else { return }
        let json = Data(bytes.dropFirst())
        models[Int(selector) % models.count](json)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecoders(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    DecoderFuzzing.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

#if FUZZING
/// libFuzzer's driver, run from this executable's `main` (SwiftPM names the entry point of an
/// executable target itself, so libFuzzer's own `main` is not the one linked).
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
#endif

@main
struct FuzzerMain {
    /// Under `FUZZING`, libFuzzer with its command line; otherwise runs each input file through the target.
    static func main() throws {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv, fuzzDecoders))
        #else
        for path in CommandLine.arguments.dropFirst() {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            data.withUnsafeBytes { DecoderFuzzing.run($0.bindMemory(to: UInt8.self)) }
        }
        #endif
    }
}
