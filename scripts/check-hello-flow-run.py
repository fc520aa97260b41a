#!/usr/bin/env python3
"""Reads a hello-flow run back with the official Python client (prefect 3.9.1) and checks that
Prefect sees what the Swift runtime recorded: the flow run Completed with its parameters, nine
task runs Completed, the `load` task's retry (AwaitingRetry, Retrying), task inputs linking
`transform` to `extract`, and the run's logs.

  PREFECT_API_URL=... check-hello-flow-run.py FLOW_RUN_ID
"""
import asyncio
import sys
import time
from uuid import UUID

from prefect import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, LogFilter, LogFilterFlowRunId


async def main(flow_run_id: UUID) -> list[str]:
    problems = []
    async with get_client() as client:
        flow_run = await client.read_flow_run(flow_run_id)
        flow = await client.read_flow(flow_run.flow_id)
        if flow.name != "hello-etl":
            problems.append(f"flow name {flow.name!r}")
        if not flow_run.state or not flow_run.state.is_completed():
            problems.append(f"flow run state {flow_run.state!r}")
        if set(flow_run.parameters) != {"day"}:
            problems.append(f"flow run parameters {flow_run.parameters!r}")
        states = [s.name for s in sorted(await client.read_flow_run_states(flow_run_id), key=lambda s: s.timestamp)]
        if states != ["Pending", "Running", "Completed"]:
            problems.append(f"flow run states {states}")
        task_runs = await client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        )
        by_key = {}
        for task_run in task_runs:
            by_key.setdefault(task_run.task_key, []).append(task_run)
            if not task_run.state or not task_run.state.is_completed():
                problems.append(f"task run {task_run.name} is {task_run.state!r}")
        counts = {key: len(runs) for key, runs in by_key.items()}
        if counts != {"extract": 4, "transform": 4, "load": 1}:
            problems.append(f"task runs per task {counts}")
        for load in by_key.get("load", []):
            names = [s.name for s in sorted(await client.read_task_run_states(load.id), key=lambda s: s.timestamp)]
            if names != ["Pending", "Running", "AwaitingRetry", "Retrying", "Completed"]:
                problems.append(f"load states {names}")
        extract_ids = {run.id for run in by_key.get("extract", [])}
        for transform in by_key.get("transform", []):
            upstream = {i.id for i in transform.task_inputs.get("input", [])}
            if len(upstream) != 1 or not upstream <= extract_ids:
                problems.append(f"{transform.name} task_inputs {transform.task_inputs!r}")
        logs = await client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])))
        messages = [log.message for log in logs]
        for expected in ("wrote 4 region totals", "the warehouse refused the first write"):
            if expected not in messages:
                problems.append(f"log {expected!r} missing from {len(messages)} records")
        print(
            f"Python client reads hello-flow run {flow_run.name}: {flow_run.state.name}, "
            f"{len(task_runs)} task runs, {len(logs)} log records"
        )
    return problems


# The Swift runtime reports task runs as events, as Prefect's engine: the server's recorder
# shows them a moment after the flow returns (seconds on a loaded stock server).
deadline = time.monotonic() + 60
problems = asyncio.run(main(UUID(sys.argv[1])))
while problems and time.monotonic() < deadline:
    time.sleep(1)
    problems = asyncio.run(main(UUID(sys.argv[1])))
if problems:
    print("hello-flow as the Python client reads it:", *problems, sep="\n  ", file=sys.stderr)
    sys.exit(1)
