/// How the runtime reports task runs to the server.
public enum TaskRunReporting: String, Sendable, Hashable, CaseIterable {
    /// Created with `POST /task_runs/` and moved through their states with
    /// `POST /task_runs/{id}/set_state`: the server's task policy decides each transition (tag
    /// concurrency limits, cache rules, the retry rules), as Prefect 2's engine did.
    case rest
    /// Prefect 3.9.1 engine's way: the run and its states are made in the process and reported as
    /// `prefect.task-run.<state>` events over `/api/events/in` (`POST /events` in-process),
    /// which the server's task-run recorder turns into task runs. No server rule sees them:
    /// tag concurrency limits are not applied in this mode.
    case events
}
