#!/usr/bin/env python3
"""Prefect's own Python client (3.9.1) through the sections `prefect-bench client` and
`prefect-bench flows` measure, with the same names, so one run compares them side by side
(Benchmarks/compare.sh, Benchmarks/flow-compare.sh). Prints ONE JSON object {"meta", "results",
"errors"}; Prefect's logs go to standard error.

  a  `create_flow_run(flow)` N times (two requests each, as the client resolves the flow)
  b  the same with 16 in flight
  c  `read_flow_runs(limit=200)` R times, and pydantic's decode of that answer alone
     (`TypeAdapter(list[FlowRun]).validate_json`)
  d  a task run created and moved Running -> Completed, N times, in one Running flow run
  e  a flow run created Scheduled and moved Pending -> Running -> Completed, N times
  f  flows through Prefect's engine: an empty flow, and flows of T `add_one` tasks called in
     sequence, submitted, and mapped; each also waits until the server shows its T task runs
     Completed (the engine reports them as events)

Every measurement: wall time and this process's CPU per operation, latency percentiles,
HTTP attempts and non-2xx answers, and with --server-pid the server's CPU per operation.

  Benchmarks/python_client.py --api-url URL [--n 500] [--sections a,b,c,d,e]
      [--flow-tasks 200] [--server-pid PID] [--output FILE]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--api-url", default=os.environ.get("PREFECT_API_URL", "http://127.0.0.1:4200/api"))
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--read-repeats", type=int, default=50)
    parser.add_argument("--read-limit", type=int, default=200)
    parser.add_argument("--flow-tasks", type=int, default=200)
    parser.add_argument("--sections", default="a,b,c,d,e")
    parser.add_argument("--server-pid", type=int)
    parser.add_argument("--persist-timeout", type=float, default=120)
    parser.add_argument("--output")
    return parser.parse_args()


ARGS = arguments()
# Prefect reads its settings when it is imported.
os.environ["PREFECT_API_URL"] = ARGS.api_url.rstrip("/")
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="python-client-bench-"))

import asyncio  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402

import httpx  # noqa: E402
from pydantic import TypeAdapter  # noqa: E402

import prefect  # noqa: E402
from prefect import flow, task  # noqa: E402
from prefect.client.orchestration import get_client  # noqa: E402
from prefect.client.schemas.filters import FlowFilter, FlowFilterName  # noqa: E402
from prefect.client.schemas.objects import FlowRun  # noqa: E402
from prefect.states import Completed, Pending, Running, Scheduled  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wrk_driver  # noqa: E402  (its /proc CPU reader)


class Requests:
    """HTTP attempts and non-2xx answers, counted through httpx's event hooks."""

    def __init__(self) -> None:
        self.attempts = 0
        self.non_2xx: dict[str, int] = {}

    async def request(self, request: httpx.Request) -> None:
        self.attempts += 1

    async def response(self, response: httpx.Response) -> None:
        if response.status_code >= 300:
            self.non_2xx[str(response.status_code)] = self.non_2xx.get(str(response.status_code), 0) + 1


class Meter:
    """Wall time, CPU of this process, the server's CPU and latencies of `ops` operations."""

    def __init__(self, ops: int, requests: Requests | None = None) -> None:
        self.ops, self.requests, self.latencies = ops, requests, []

    async def op(self, awaitable):
        started = time.perf_counter()
        try:
            return await awaitable
        finally:
            self.latencies.append(time.perf_counter() - started)

    def __enter__(self) -> "Meter":
        self.attempts0 = (self.requests.attempts, dict(self.requests.non_2xx)) if self.requests else None
        self.server0 = wrk_driver.process_tree_cpu(ARGS.server_pid)
        self.cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.t1 = time.perf_counter()
        self.cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        self.server1 = wrk_driver.process_tree_cpu(ARGS.server_pid)

    def result(self) -> dict:
        wall = self.t1 - self.t0
        cpu = (self.cpu1.ru_utime - self.cpu0.ru_utime) + (self.cpu1.ru_stime - self.cpu0.ru_stime)
        out = {"ops": self.ops, "wall_s": round(wall, 4), "wall_us_per_op": round(wall / self.ops * 1e6, 1),
               "client_cpu_s": round(cpu, 4), "client_cpu_us_per_op": round(cpu / self.ops * 1e6, 1)}
        if self.latencies:
            ordered = sorted(self.latencies)
            out["latency_ms"] = {name: round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1e3, 3)
                                 for name, q in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("max", 1.0))}
        if self.attempts0 is not None:
            attempts, before = self.attempts0
            out["http_requests"] = self.requests.attempts - attempts
            out["http_non_2xx"] = {k: v - before.get(k, 0) for k, v in self.requests.non_2xx.items() if v - before.get(k, 0)}
        if self.server0 is not None and self.server1 is not None:
            out["server_cpu_us_per_op"] = round((self.server1 - self.server0) / self.ops * 1e6, 1)
        return out


@flow(name="python-client-bench")
def benchmarked_flow():
    pass


async def client_sections(sections: set[str], results: dict) -> None:
    requests = Requests()
    async with get_client() as client:
        client._client.event_hooks["request"].append(requests.request)
        client._client.event_hooks["response"].append(requests.response)
        n = ARGS.n
        with Meter(1, requests) as m:
            await m.op(client.create_flow_run(benchmarked_flow, state=Pending()))
        results["a0_create_flow_once"] = m.result()
        if "a" in sections:
            with Meter(n, requests) as m:
                for _ in range(n):
                    await m.op(client.create_flow_run(benchmarked_flow, state=Pending()))
            results["a_create_flow_run_seq"] = m.result()
        if "b" in sections:
            gate = asyncio.Semaphore(ARGS.concurrency)

            async def one():
                async with gate:
                    return await client.create_flow_run(benchmarked_flow, state=Pending())
            with Meter(n, requests) as m:
                await asyncio.gather(*(m.op(one()) for _ in range(n)))
            results["b_create_flow_run_conc"] = {**m.result(), "concurrency": ARGS.concurrency}
        if "c" in sections:
            name_filter = FlowFilter(name=FlowFilterName(any_=[benchmarked_flow.name]))
            with Meter(ARGS.read_repeats, requests) as m:
                for _ in range(ARGS.read_repeats):
                    rows = await m.op(client.read_flow_runs(flow_filter=name_filter, limit=ARGS.read_limit))
            results["c_read_flow_runs"] = m.result()
            raw = (await client._client.post("/flow_runs/filter", json={
                "flows": name_filter.model_dump(mode="json"), "limit": ARGS.read_limit})).content
            adapter = TypeAdapter(list[FlowRun])
            with Meter(ARGS.read_repeats) as m:
                for _ in range(ARGS.read_repeats):
                    adapter.validate_json(raw)
            results["c_decode_typeadapter_validate_json"] = m.result()
            results["c_summary"] = {"rows_per_read": len(rows), "bytes_per_read": len(raw)}
        if "d" in sections:
            parent = await client.create_flow_run(benchmarked_flow, state=Running())

            @task(name="benchmarked-task")
            def benchmarked_task():
                pass

            async def cycle(index: int) -> None:
                run = await client.create_task_run(benchmarked_task, flow_run_id=parent.id, dynamic_key=str(index),
                                                   state=Pending())
                await client.set_task_run_state(run.id, Running())
                await client.set_task_run_state(run.id, Completed())
            with Meter(n, requests) as m:
                for index in range(n):
                    await m.op(cycle(index))
            results["d_task_run_cycle_seq"] = m.result()
        if "e" in sections:
            runs = [await client.create_flow_run(benchmarked_flow, state=Scheduled()) for _ in range(n)]

            async def cycle(run) -> None:
                for state in (Pending(), Running(), Completed()):
                    await client.set_flow_run_state(run.id, state)
            with Meter(n, requests) as m:
                for run in runs:
                    await m.op(cycle(run))
            results["e_flow_run_state_cycle_seq"] = m.result()


@task
def add_one(x: int) -> int:
    return x + 1


@flow(name="python-engine-bench")
def engine_flow(tasks: int, shape: str) -> int:
    if shape == "seq":
        return sum(add_one(i) for i in range(tasks))
    if shape == "submit":
        return sum(future.result() for future in [add_one.submit(i) for i in range(tasks)])
    return sum(future.result() for future in add_one.map(range(tasks)))


def flow_sections(results: dict) -> None:
    tasks = ARGS.flow_tasks
    with httpx.Client(base_url=ARGS.api_url.rstrip("/"), timeout=30) as http:
        for key, shape, count in (("f_flow_empty", "seq", 0), ("f_flow_seq", "seq", tasks),
                                  ("f_flow_submit", "submit", tasks), ("f_flow_map", "map", tasks)):
            with Meter(max(count, 1)) as m:
                state = engine_flow(count, shape, return_state=True)
            result = {**m.result(), "tasks": count, "flow_state": state.type.value,
                      "result_ok": state.result() == sum(range(1, count + 1))}
            run_id = str(state.state_details.flow_run_id)
            if count:
                seen = 0
                deadline = m.t0 + ARGS.persist_timeout
                while time.perf_counter() < deadline:
                    seen = int(http.post("/task_runs/count", json={
                        "flow_runs": {"id": {"any_": [run_id]}},
                        "task_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}}).json())
                    if seen >= count:
                        break
                    time.sleep(0.05)
                result["server_completed_task_runs"] = seen
                result["server_persisted_s"] = round(time.perf_counter() - m.t0, 3) if seen >= count else None
            results[key] = result


def main() -> None:
    sections = set(ARGS.sections.split(","))
    results: dict = {}
    errors: dict = {}
    try:
        if sections & set("abcde"):
            asyncio.run(client_sections(sections, results))
        if "f" in sections:
            flow_sections(results)
    except Exception as error:  # noqa: BLE001 — reported, not hidden
        errors["run"] = repr(error)
    document = {"meta": {"tool": "python_client.py", "prefect": prefect.__version__, "api_url": ARGS.api_url, "n": ARGS.n},
                "results": results, "errors": errors}
    text = json.dumps(document, indent=1)
    print(text)
    if ARGS.output:
        with open(ARGS.output, "w") as fh:
            fh.write(text + "\n")


if __name__ == "__main__":
    main()
