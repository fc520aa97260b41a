/// How the runtime reports task runs to the server.
public enum TaskRunReporting: String, Sendable, Hashable, CaseIterable {
    /// Created with `POST /task_runs/` and moved through their states with
    /// `POST /task_runs/{id}/set_state`: the server's task policy decides each transition (tag
    /// concurrency limits, cache rules, the retry rules), as Prefect 2's engine did. Three
    /// round trips per task run that the body waits for: on a stock server, about 50 ms a task.
    case rest
    /// The default, Prefect 3.9.1 engine's way (`prefect/task_engine.py`): the run and its
    /// states are made in the process and reported as `prefect.task-run.<state>` events over
    /// `/api/events/in` (`POST /events` in-process), which the server's task-run recorder turns
    /// into task runs a moment later. The events carry the states' ids, so one sent again after
    /// a lost connection is recorded once. No server rule sees them: tag concurrency limits are
    /// taken in the process instead, as Prefect's engine takes them.
    case events
}
