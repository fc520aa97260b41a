"""A Prefect 3.9.1 Python flow with tasks, run against PREFECT_API_URL: its engine creates the
task runs locally and reports them only as `prefect.task-run.*` events over /api/events/in,
so the server's task-run recorder must turn those into task runs and states. Checks each task
run and its state history as the REST API answers them. Exits non-zero on the first difference."""
from __future__ import annotations

import asyncio
import sys
import time

from prefect import flow, task
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId


def check(condition: bool, message: str) -> None:
    if not condition:
        sys.exit(f"check-python-task-runs: {message}")


attempts = {"flaky": 0}


@task
def double(x: int) -> int:
    return 2 * x


@task(retries=1, retry_delay_seconds=0)
def flaky() -> str:
    attempts["flaky"] += 1
    if attempts["flaky"] == 1:
        raise ValueError("first attempt fails")
    return "ok"


@flow
def python_tasks() -> int:
    total = double(1) + double(2)
    flaky()
    return total


async def task_runs(flow_run_id):
    async with get_client() as client:
        runs = []
        for _ in range(80):
            runs = await client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
            if len(runs) == 3 and all(run.state_type is not None and run.state_type.value == "COMPLETED" for run in runs):
                break
            await asyncio.sleep(0.25)
        histories = {}
        for run in runs:
            states = await client.read_task_run_states(run.id)
            histories[run.id] = [state.name for state in states]
        return runs, histories


def main() -> None:
    state = python_tasks(return_state=True)
    check(state.is_completed(), f"the flow ended {state.type}")
    flow_run_id = state.state_details.flow_run_id
    runs, histories = asyncio.run(task_runs(flow_run_id))
    check(len(runs) == 3, f"{len(runs)} task runs recorded, not 3")
    for run in runs:
        check(run.state_type.value == "COMPLETED", f"task run {run.name} is {run.state_type}")
        check(run.flow_run_id == flow_run_id, f"task run {run.name} has flow run {run.flow_run_id}")
        check(run.start_time is not None and run.end_time is not None, f"task run {run.name} has no start or end time")
    names = sorted(run.name for run in runs)
    check(names[0].startswith("double-") and names[2].startswith("flaky-"), f"task run names {names}")
    flaky_run = next(run for run in runs if run.name.startswith("flaky-"))
    check(flaky_run.run_count == 2, f"the retried task ran {flaky_run.run_count} times")
    check(histories[flaky_run.id] == ["Pending", "Running", "Retrying", "Completed"],
          f"the retried task's states: {histories[flaky_run.id]}")
    for run in runs:
        if run is not flaky_run:
            check(histories[run.id] == ["Pending", "Running", "Completed"], f"{run.name}'s states: {histories[run.id]}")
    print(f"check-python-task-runs: 3 task runs recorded from events, states {histories[flaky_run.id]}")


main()
