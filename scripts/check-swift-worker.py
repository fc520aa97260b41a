#!/usr/bin/env python3
"""`prefect-swift worker start` as Prefect's process worker, against PREFECT_API_URL:
- it creates a missing pool with the base job template Prefect's ProcessWorker creates it with;
- with `--run-once` it runs the pool's due runs: a Python deployment (Prefect's default command,
  `python -m prefect.engine`, loading the flow from its entrypoint) completes with its result's
  logs, a Swift deployment (`prefect-test-flows deploy`) with parameters completes with its task
  run, a run exiting with status 3 ends Crashed with the worker's message;
- its heartbeat lists it among the pool's workers.
Prints one line of JSON; exits 1 on any problem.

  PREFECT_API_URL=http://127.0.0.1:4200/api check-swift-worker.py PATH/TO/prefect-swift PATH/TO/prefect-test-flows
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
from prefect.client.schemas.actions import DeploymentCreate
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, LogFilter, LogFilterFlowRunId
from prefect.workers.process import ProcessWorker

FLOW = """
from prefect import flow, get_run_logger

@flow
def python_hello(name: str = "world"):
    get_run_logger().info(f"hello {name} from python")
    return name
"""


def run(command, **kwargs):
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise AssertionError(f"{command} exited with {done.returncode}: {done.stdout[-3000:]} {done.stderr[-3000:]}")
    return done


async def main(cli: str, program: str) -> None:
    suffix = uuid.uuid4().hex[:8]
    pool = f"swift-worker-{suffix}"
    folder = tempfile.mkdtemp()
    with open(os.path.join(folder, "flows.py"), "w") as file:
        file.write(FLOW)
    # `python` on PATH is this interpreter, with prefect: the default command's.
    env = dict(os.environ, PREFECT_HOME=folder, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
    worker_name = f"swift-worker-{suffix}"
    run([cli, "worker", "start", "--pool", pool, "--run-once", "--name", worker_name], env=env, timeout=120)
    run([program, "deploy", pool, suffix], env=env, timeout=120)
    async with get_client() as client:
        made = await client.read_work_pool(pool)
        expected = ProcessWorker.get_default_base_job_template()
        assert made.type == "process", made.type
        assert made.base_job_template == expected, f"{made.base_job_template} != {expected}"
        flow_id = await client.create_flow_from_name("python-hello")
        deployment_id = await client.create_deployment(
            flow_id=flow_id, name=f"python-{suffix}", work_pool_name=pool, entrypoint="flows.py:python_hello", path=folder,
            pull_steps=[{"prefect.deployments.steps.set_working_directory": {"directory": folder}}])
        python_run = await client.create_flow_run_from_deployment(deployment_id, parameters={"name": "swift worker"})
        echo = await client.read_deployment_by_name(f"served-echo-{suffix}/echo")
        crash = await client.read_deployment_by_name(f"served-crash-{suffix}/crash")
        swift_run = await client.create_flow_run_from_deployment(echo.id, parameters={"name": "worker", "count": 2})
        crash_run = await client.create_flow_run_from_deployment(crash.id)
        started = time.monotonic()
        worker = run([cli, "worker", "start", "--pool", pool, "--run-once", "--name", worker_name], env=env, timeout=300)
        seconds = time.monotonic() - started
        ids = [python_run.id, swift_run.id, crash_run.id]
        runs = {r.id: r for r in await client.read_flow_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=ids)))}
        problems = []
        for run_id, what in [(python_run.id, "the Python run"), (swift_run.id, "the Swift run")]:
            if runs[run_id].state_type.value != "COMPLETED":
                problems.append(f"{what} ended {runs[run_id].state_type}: {runs[run_id].state.message}")
        logs = await client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[python_run.id])))
        if not any(log.message == "hello swift worker from python" for log in logs):
            problems.append(f"the Python run's logs: {[log.message for log in logs]}")
        # Reported as events (the Swift runtime's default): the recorder shows them a moment later.
        for _ in range(60):
            tasks = await client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[swift_run.id])))
            if [(t.task_key, t.state_type.value) for t in tasks] == [("greet", "COMPLETED")]:
                break
            await asyncio.sleep(1)
        if [(t.task_key, t.state_type.value) for t in tasks] != [("greet", "COMPLETED")]:
            problems.append(f"the Swift run's task runs: {[(t.task_key, t.state_type) for t in tasks]}")
        message = runs[crash_run.id].state.message if runs[crash_run.id].state else None
        if runs[crash_run.id].state_type.value != "CRASHED" or message != "Process exited with status code: 3. Process exited with an unexpected status code.":
            problems.append(f"the exiting run ended {runs[crash_run.id].state_type}: {message}")
        workers = await client.read_workers_for_work_pool(pool)
        if worker_name not in [w.name for w in workers]:
            problems.append(f"the pool's workers: {[w.name for w in workers]}")
        if problems:
            raise AssertionError(f"{problems}; worker output: {worker.stdout[-3000:]} {worker.stderr[-3000:]}")
    print(json.dumps({"pool": pool, "runs": len(ids), "worker_seconds": round(seconds, 1)}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
