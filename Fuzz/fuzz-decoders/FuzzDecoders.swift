import Foundation
import FuzzDriver
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

@main
struct FuzzerMain {
    /// Under `FUZZING`, libFuzzer with its command line; otherwise a replay of the files given.
    static func main() throws {
        try FuzzDriver.main(fuzzDecoders)
    }
}
