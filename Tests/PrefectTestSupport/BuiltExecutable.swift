public import Foundation

/// An executable of this package, as built beside the test bundle.
public enum BuiltExecutable {
    /// `name` from the build folder the tests run from (searched upwards from the test bundle),
    /// or from the environment variable `override` when it is set.
    public static func url(_ name: String, override: String? = nil) -> URL {
        if let override, let path = ProcessInfo.processInfo.environment[override] { return URL(fileURLWithPath: path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: name)
    }
}
