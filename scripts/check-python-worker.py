#!/usr/bin/env python3
"""Prefect's own process worker (prefect 3.9.1, `prefect worker start --type process`) runs Swift
deployments against PREFECT_API_URL: `prefect-test-flows deploy POOL SUFFIX` registers three
deployments on a process pool (their job's `command` is the Swift program), runs are made from
them, and `prefect worker start --pool POOL --type process --run-once` executes them:
- a run with parameters completes, with its task run;
- a run whose parameters do not fit the flow's schema is refused by the server (the deployment
  enforces the schema the Swift input type yields);
- a run whose process exits with status 3 ends Crashed with the worker's message.
Prints one line of JSON; exits 1 on any problem.

  PREFECT_API_URL=http://127.0.0.1:4200/api check-python-worker.py PATH/TO/prefect-test-flows
"""
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId


def run(command, **kwargs):
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise AssertionError(f"{command} exited with {done.returncode}: {done.stdout[-2000:]} {done.stderr[-2000:]}")
    return done.stdout


async def main(program: str) -> None:
    suffix = uuid.uuid4().hex[:8]
    pool = f"swift-process-{suffix}"
    prefect = os.path.join(os.path.dirname(sys.executable), "prefect")
    home = tempfile.mkdtemp()
    env = dict(os.environ, PREFECT_HOME=home)
    run([prefect, "work-pool", "create", pool, "--type", "process"], env=env)
    run([program, "deploy", pool, suffix], env=env)
    async with get_client() as client:
        echo = await client.read_deployment_by_name(f"served-echo-{suffix}/echo")
        crash = await client.read_deployment_by_name(f"served-crash-{suffix}/crash")
        assert echo.job_variables.get("command", "").startswith(os.path.realpath(program)), echo.job_variables
        assert echo.parameter_openapi_schema["properties"]["name"]["type"] == "string", echo.parameter_openapi_schema
        good = await client.create_flow_run_from_deployment(echo.id, parameters={"name": "worker", "count": 2})
        try:
            await client.create_flow_run_from_deployment(echo.id, parameters={"name": 5})
            raise AssertionError("a run with {'name': 5} was made: the schema was not enforced")
        except Exception as error:
            if "409" not in str(error) and "Validation" not in str(error):
                raise
        crashed = await client.create_flow_run_from_deployment(crash.id)
        started = time.monotonic()
        worker = subprocess.run(
            [prefect, "worker", "start", "--pool", pool, "--type", "process", "--run-once"],
            env=env, capture_output=True, text=True, timeout=300)
        seconds = time.monotonic() - started
        ids = [good.id, crashed.id]
        runs = {r.id: r for r in await client.read_flow_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=ids)))}
        problems = []
        if runs[good.id].state_type.value != "COMPLETED":
            problems.append(f"the run with parameters ended {runs[good.id].state_type}: {runs[good.id].state.message}")
        tasks = await client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[good.id])))
        if [(t.task_key, t.state_type.value) for t in tasks] != [("greet", "COMPLETED")]:
            problems.append(f"task runs {[(t.task_key, t.state_type) for t in tasks]}")
        message = runs[crashed.id].state.message if runs[crashed.id].state else None
        if runs[crashed.id].state_type.value != "CRASHED" or not (message or "").startswith("Process exited with status code: 3."):
            problems.append(f"the exiting run ended {runs[crashed.id].state_type}: {message}")
        if problems:
            raise AssertionError(f"{problems}; worker output: {worker.stdout[-3000:]} {worker.stderr[-3000:]}")
    print(json.dumps({"pool": pool, "runs": len(ids), "worker_seconds": round(seconds, 1)}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
