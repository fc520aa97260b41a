import Foundation

/// What both libFuzzer targets share: under `FUZZING`, libFuzzer's driver run from the
/// executable's own `main` (SwiftPM names an executable target's entry point itself, so
/// libFuzzer's `main` is not the one linked); otherwise a replay of the input files given on
/// the command line through the same target function.
public enum FuzzDriver {
    /// A target: what libFuzzer's `LLVMFuzzerTestOneInput` gets.
    public typealias Target = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    public static func main(_ target: Target) throws -> Never {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv, target))
        #else
        for path in CommandLine.arguments.dropFirst() {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            _ = data.withUnsafeBytes { bytes in
                target(bytes.bindMemory(to: UInt8.self).baseAddress, bytes.count)
            }
        }
        exit(0)
        #endif
    }
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
#endif
