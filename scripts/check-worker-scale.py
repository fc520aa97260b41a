#!/usr/bin/env python3
"""Scale test: four `prefect-swift worker start` processes on one process pool run 300 Swift
flow runs — 200 scheduled within the same minute and a burst of 100 made by concurrent
`create_flow_run_from_deployment` calls — against PREFECT_API_URL. Every run must execute exactly
once: its body's side effect (its id appended to a file) appears once, its states hold one
Running, and it ends Completed (none left Scheduled or Pending). With --kill-replica, one API
replica of the distributed Prefect (scripts/prefect-ha.sh) is killed with SIGKILL once runs are
going and started again 5 s later. Prints one line of JSON (`late_pendings_undone`: runs a worker
proposed Pending after another had finished them, whose state it put back without running them);
exits 1 on any problem.

  PREFECT_API_URL=… check-worker-scale.py PATH/TO/prefect-swift PATH/TO/prefect-test-flows [--kill-replica]
"""
import asyncio
import collections
import datetime
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId, FlowRunFilter
from prefect.states import Scheduled

SCHEDULED = 200
BURST = 100
WORKERS = 4
LIMIT = 8
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


async def all_runs(client, deployment_id):
    runs, offset = [], 0
    while True:
        page = await client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])), limit=200, offset=offset)
        runs += page
        if len(page) < 200:
            return runs
        offset += 200


async def main(cli: str, program: str, kill_replica: bool) -> None:
    suffix = uuid.uuid4().hex[:8]
    pool = f"scale-{suffix}"
    folder = tempfile.mkdtemp()
    counts = os.path.join(folder, "runs.txt")
    env = dict(os.environ, PREFECT_HOME=folder, PREFECT_WORKER_QUERY_SECONDS="1", PREFECT_CLIENT_MAX_RETRIES="10")
    subprocess.run([cli, "worker", "start", "--pool", pool, "--run-once"], env=env, check=True, capture_output=True, timeout=120)
    subprocess.run([program, "deploy-count", pool, suffix], env=env, check=True, capture_output=True, timeout=120)
    async with get_client() as client:
        deployment = await client.read_deployment_by_name(f"scale-count-{suffix}/count")
        due = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=20)
        for index in range(SCHEDULED):
            await client.create_flow_run_from_deployment(
                deployment.id, parameters={"file": counts},
                state=Scheduled(scheduled_time=due + datetime.timedelta(milliseconds=index * 150)))
        logs = [open(os.path.join(folder, f"worker-{n}.log"), "w") for n in range(WORKERS)]
        workers = [
            subprocess.Popen([cli, "worker", "start", "--pool", pool, "--limit", str(LIMIT), "--name", f"scale-{n}"],
                             env=env, stdout=logs[n], stderr=subprocess.STDOUT)
            for n in range(WORKERS)]
        started = time.monotonic()
        burst = await asyncio.gather(*[
            client.create_flow_run_from_deployment(deployment.id, parameters={"file": counts}) for _ in range(BURST)])
        killed = False
        deadline = time.monotonic() + 420
        runs = []
        while time.monotonic() < deadline:
            await asyncio.sleep(2)
            try:
                runs = await all_runs(client, deployment.id)
            except Exception:
                continue
            final = sum(1 for r in runs if r.state and r.state.is_final())
            if kill_replica and not killed and final >= 30:
                subprocess.run([os.path.join(ROOT, "scripts", "prefect-ha.sh"), "kill-replica", "1"], check=True)
                killed = True
                await asyncio.sleep(5)
                subprocess.run([os.path.join(ROOT, "scripts", "prefect-ha.sh"), "restart-replica", "1"], check=True,
                               capture_output=True, timeout=180)
            if final >= SCHEDULED + BURST:
                break
        seconds = time.monotonic() - started
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        statuses = [worker.wait(timeout=90) for worker in workers]
        runs = await all_runs(client, deployment.id)
        problems = []
        if len(runs) != SCHEDULED + BURST:
            problems.append(f"{len(runs)} runs instead of {SCHEDULED + BURST}")
        by_state = collections.Counter(r.state_type.value if r.state_type else "none" for r in runs)
        if by_state != {"COMPLETED": SCHEDULED + BURST}:
            problems.append(f"states {dict(by_state)}")
        executed = collections.Counter(open(counts).read().split()) if os.path.exists(counts) else collections.Counter()
        twice = [run_id for run_id, times in executed.items() if times > 1]
        never = [str(r.id) for r in runs if executed[str(r.id)] == 0]
        if twice or never:
            problems.append(f"{len(twice)} bodies ran twice, {len(never)} never ran")
        started_twice = 0
        late_pendings = 0
        for run in runs:
            states = await client.read_flow_run_states(run.id)
            if sum(1 for s in states if s.type.value == "RUNNING") != 1:
                started_twice += 1
            if sum(1 for s in states if s.type.value == "PENDING") > 1:
                late_pendings += 1
        if started_twice:
            problems.append(f"{started_twice} runs entered Running more or less than once")
        if any(status != 0 for status in statuses):
            problems.append(f"worker exit statuses {statuses}")
        if problems:
            for log in logs:
                log.flush()
            tail = open(os.path.join(folder, "worker-0.log")).read()[-3000:]
            raise AssertionError(f"{problems}; worker 0 said: {tail}")
    print(json.dumps({
        "runs": len(runs), "bodies_executed": sum(executed.values()), "workers": WORKERS, "seconds": round(seconds, 1),
        "runs_per_second": round(len(runs) / seconds, 1), "replica_killed": killed, "burst_made": len(burst),
        "late_pendings_undone": late_pendings}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], "--kill-replica" in sys.argv[3:]))
