/// What a flow-run process's exit status means, as Prefect's runner and workers explain it
/// (`prefect/_internal/infrastructure_exit_codes.py`) in the Crashed state they propose.
public enum InfrastructureExit {
    /// Python's `returncode`: the exit status, or minus the signal that ended the process.
    public static func returnCode(exitStatus: Int32, signal: Int32?) -> Int64 {
        if let signal { return -Int64(signal) }
        return Int64(exitStatus)
    }

    /// Prefect's explanation of `code`.
    public static func explanation(_ code: Int64) -> String {
        switch code {
        case 0: "Process exited cleanly."
        case -9:
            "Process exited due to a SIGKILL signal. Typically caused by the operating system terminating the process for exceeding memory limits, or by manual cancellation."
        case -15: "Process exited due to a SIGTERM signal. Typically caused by graceful shutdown or manual cancellation."
        case 1: "Process exited with a general error."
        case 125: "Container failed to run (Docker/OCI exit code 125)."
        case 126: "Command found but not executable (permission denied)."
        case 127: "Command not found."
        case 137: "Process was killed, likely due to an out-of-memory (OOM) condition."
        case 143: "Process received SIGTERM via the container runtime. This is the containerized equivalent of exit code -15."
        case 247: "Process was terminated due to high memory usage."
        default: "Process exited with an unexpected status code."
        }
    }

    /// The Crashed state's message: `Process exited with status code: -9. Process exited due
    /// to a SIGKILL signal. …`.
    public static func crashMessage(_ code: Int64) -> String {
        "Process exited with status code: \(code). \(explanation(code))"
    }
}
