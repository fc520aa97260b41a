#!/usr/bin/env python3
"""Deployments side by side against one Prefect server (PREFECT_API_URL): swift-prefect's
`serve` (PrefectRunner) and `prefect-swift worker start` against Python's `flow.serve()` and
Prefect's process worker, each running a no-op flow. Prints one JSON object:

- latency: scheduled time (or, for a run the server made after its time, its creation) to
  Running, p50/p99 over RUNS runs scheduled SPACING s apart, with the default poll interval
  (10 s) and with 1 s;
- throughput: runs per second one worker (limit 10) sustains for RUNS runs due at once (made
  first, due a minute later, timed from then to the last run's end) — a process per run (both),
  and the Swift runner in-process;
- idle RSS (MB) of a serve process and of a worker, after 8 s with nothing to do.

  deploy_bench.py --prefect-bench PATH --prefect-swift PATH [--runs 100] [--spacing 0.5]
                  [--parts rss,throughput,latency] [--systems swift-serve,swift-worker,...]
"""
import argparse
import asyncio
import datetime
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
from prefect.states import Scheduled

PYTHON_FLOW = """
import sys
from prefect import flow

@flow(name=sys.argv[1] if __name__ == "__main__" else "bench-noop-python")
def bench_noop():
    return 1

if __name__ == "__main__":
    bench_noop.serve(name="serve", limit=10)
"""


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


class Bench:
    def __init__(self, args):
        self.args = args
        self.folder = tempfile.mkdtemp()
        with open(os.path.join(self.folder, "flows.py"), "w") as file:
            file.write(PYTHON_FLOW)
        self.env = dict(os.environ, PREFECT_HOME=self.folder,
                        PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])

    def start(self, command, env_extra, log_name):
        log = open(os.path.join(self.folder, log_name), "w")
        return subprocess.Popen(command, env=dict(self.env, **env_extra), stdout=log, stderr=subprocess.STDOUT,
                                cwd=self.folder)

    @staticmethod
    def stop(process):
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    async def deployment(self, client, name, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                return await client.read_deployment_by_name(name)
            except Exception:
                await asyncio.sleep(0.5)
        raise AssertionError(f"no deployment {name} after {timeout} s")

    async def runs_of(self, client, deployment_id):
        runs, offset = [], 0
        while True:
            page = await client.read_flow_runs(
                deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])), limit=200, offset=offset)
            runs += page
            if len(page) < 200:
                return runs
            offset += 200

    async def wait_final(self, client, deployment_id, count, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            runs = await self.runs_of(client, deployment_id)
            if len([r for r in runs if r.state and r.state.is_final()]) >= count:
                return runs
            await asyncio.sleep(0.5)
        raise AssertionError(f"{count} runs were not final after {timeout} s")

    async def python_pool_deployment(self, client, pool, name):
        flow_id = await client.create_flow_from_name(f"bench-noop-{name}")
        deployment_id = await client.create_deployment(
            flow_id=flow_id, name="deploy", work_pool_name=pool, entrypoint="flows.py:bench_noop", path=self.folder,
            pull_steps=[{"prefect.deployments.steps.set_working_directory": {"directory": self.folder}}])
        return await client.read_deployment(deployment_id)

    async def setup(self, client, system, poll):
        """Starts `system`; returns (process, deployment)."""
        name = f"{system}-{uuid.uuid4().hex[:6]}"
        extra = {} if poll is None else {"PREFECT_RUNNER_POLL_FREQUENCY": str(poll), "PREFECT_WORKER_QUERY_SECONDS": str(poll)}
        if system == "swift-serve":
            process = self.start([self.args.prefect_bench, "serve-noop", "--name", name], extra, f"{name}.log")
            return process, await self.deployment(client, f"bench-noop-{name}/serve")
        if system == "swift-serve-in-process":
            process = self.start([self.args.prefect_bench, "serve-noop", "--name", name, "--in-process"], extra, f"{name}.log")
            return process, await self.deployment(client, f"bench-noop-{name}/serve")
        if system == "python-serve":
            process = self.start([sys.executable, os.path.join(self.folder, "flows.py"), f"bench-noop-{name}"], extra, f"{name}.log")
            return process, await self.deployment(client, f"bench-noop-{name}/serve")
        pool = f"bench-{name}"
        if system == "swift-worker":
            subprocess.run([self.args.prefect_swift, "worker", "start", "--pool", pool, "--run-once"], env=self.env,
                           check=True, capture_output=True, timeout=120)
            subprocess.run([self.args.prefect_bench, "deploy-noop", "--name", name, "--pool", pool], env=self.env,
                           check=True, capture_output=True, timeout=120)
            deployment = await self.deployment(client, f"bench-noop-{name}/deploy")
            process = self.start([self.args.prefect_swift, "worker", "start", "--pool", pool, "--limit", "10"], extra, f"{name}.log")
            return process, deployment
        if system == "python-worker":
            prefect = os.path.join(os.path.dirname(sys.executable), "prefect")
            subprocess.run([prefect, "work-pool", "create", pool, "--type", "process"], env=self.env, check=True,
                           capture_output=True, timeout=120)
            deployment = await self.python_pool_deployment(client, pool, name)
            process = self.start([prefect, "worker", "start", "--pool", pool, "--type", "process", "--limit", "10"], extra,
                                 f"{name}.log")
            return process, deployment
        raise ValueError(system)

    async def latency(self, client, system, poll):
        process, deployment = await self.setup(client, system, poll)
        try:
            first = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=12)
            scheduled = {}
            for index in range(self.args.runs):
                when = first + datetime.timedelta(seconds=index * self.args.spacing)
                run = await client.create_flow_run_from_deployment(deployment.id, state=Scheduled(scheduled_time=when))
                scheduled[run.id] = when
            span = self.args.runs * self.args.spacing
            await self.wait_final(client, deployment.id, self.args.runs, timeout=span + 300)
            delays, never_running, late, created_late = [], 0, [], 0
            for index, (run_id, when) in enumerate(scheduled.items()):
                states = await client.read_flow_run_states(run_id)
                running = next((s for s in states if s.type.value == "RUNNING"), None)
                made = next((s.timestamp for s in states if s.type.value == "SCHEDULED"), when)
                if made > when:
                    # Made after its time (a slow server): no runner could start it before it existed.
                    created_late += 1
                    when = made
                if running is None:
                    # Final without ever running (crashed or cancelled before its body).
                    never_running += 1
                    continue
                delays.append((running.timestamp - when).total_seconds())
                late.append((round(delays[-1], 3), index))
            if not delays:
                return {"never_running": never_running}
            return {"p50_s": round(percentile(delays, 0.5), 3), "p99_s": round(percentile(delays, 0.99), 3),
                    "never_running": never_running, "created_late": created_late, "latest_s_and_index": sorted(late, reverse=True)[:5]}
        finally:
            self.stop(process)

    async def throughput(self, client, system):
        process, deployment = await self.setup(client, system, 1)
        try:
            # The runs are made first, all due a minute later, and timed from then to the last
            # run's end: making them while they run (a loaded stock server takes up to 0.4 s a
            # run) would measure the server's create rate instead of the worker.
            due = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=60)
            for _ in range(self.args.runs):
                await client.create_flow_run_from_deployment(deployment.id, state=Scheduled(scheduled_time=due))
            start = max(due, datetime.datetime.now(datetime.timezone.utc))
            runs = await self.wait_final(client, deployment.id, self.args.runs, timeout=900)
            seconds = (max(r.end_time for r in runs if r.end_time) - start).total_seconds()
            return {"runs_per_second": round(self.args.runs / seconds, 2), "seconds": round(seconds, 1),
                    "made_after_due": start > due}
        finally:
            self.stop(process)

    async def idle_rss(self, client, system):
        process, _ = await self.setup(client, system, None)
        try:
            await asyncio.sleep(8)
            with open(f"/proc/{process.pid}/status") as status:
                kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
            return round(kb / 1024, 1)
        finally:
            self.stop(process)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--prefect-bench", required=True)
    parser.add_argument("--prefect-swift", required=True)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--spacing", type=float, default=0.5)
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument("--parts", default="rss,throughput,latency", help="which measurements, comma-separated")
    parser.add_argument("--systems", default="", help="only these systems (e.g. swift-worker,python-worker)")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    if args.skip_latency:
        parts.discard("latency")
    chosen = set(filter(None, args.systems.split(",")))

    def systems(names):
        return [name for name in names if not chosen or name in chosen]

    bench = Bench(args)
    result = {"runs": args.runs, "spacing_s": args.spacing}
    async with get_client() as client:
        if "rss" in parts:
            result["idle_rss_mb"] = {system: await bench.idle_rss(client, system)
                                     for system in systems(["swift-serve", "swift-worker", "python-serve", "python-worker"])}
            print(json.dumps(result), file=sys.stderr)
        if "throughput" in parts:
            result["throughput"] = {
                system: await bench.throughput(client, system)
                for system in systems(["swift-worker", "swift-serve-in-process", "swift-serve", "python-worker"])}
            print(json.dumps(result), file=sys.stderr)
        if "latency" in parts:
            result["latency"] = {}
            for poll in [None, 1]:
                for system in systems(["swift-serve", "swift-worker", "python-serve", "python-worker"]):
                    key = f"{system} poll {'default' if poll is None else poll}"
                    result["latency"][key] = await bench.latency(client, system, poll)
                    print(json.dumps(result), file=sys.stderr)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    asyncio.run(main())
