#!/usr/bin/env python3
"""How long the scheduler service holds up API requests: starts `prefect-swift server start`
with its scheduler on a 1 s loop and asked for 100 runs per schedule, creates 10 deployments
with a one-minute interval schedule each (1,000 runs to make), and meanwhile times
POST /flow_runs/ back to back on one connection. Prints ONE JSON object: request latencies
before the deployments exist and while their runs are being made.

  scheduler_stall.py --binary .build/release/prefect-swift [--output FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request

from pool_poll import emit


def call(url: str, body: dict | None = None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method="GET" if body is None else "POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


def summary(latencies: list[float]) -> dict:
    if not latencies:
        return {"requests": 0}
    ordered = sorted(latencies)
    return {"requests": len(ordered), "p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1 if len(ordered) > 1 else 0] * 1000, 2),
            "max_ms": round(ordered[-1] * 1000, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--output", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="scheduler-stall-") as tmp:
        env = {**os.environ, "PREFECT_HOME": tmp,
               "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "1",
               "PREFECT_SERVER_SERVICES_SCHEDULER_RECENT_DEPLOYMENTS_LOOP_SECONDS": "1",
               "PREFECT_SERVER_SERVICES_SCHEDULER_MIN_RUNS": "100",
               "PREFECT_SERVER_SERVICES_SCHEDULER_MAX_RUNS": "100",
               "PREFECT_SERVER_SERVICES_SCHEDULER_MIN_SCHEDULED_TIME": "0"}
        server = subprocess.Popen([args.binary, "server", "start", "--no-ui", "--port", "0", "--database", f"{tmp}/prefect.db"],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        try:
            api = None
            for line in server.stdout:
                if line.startswith("PREFECT_API_URL="):
                    api = line.strip().split("=", 1)[1]
                    break
            flow_id = call(f"{api}/flows/", {"name": "stall"})["id"]
            latencies: list[tuple[float, float]] = []
            stop = threading.Event()

            def load() -> None:
                while not stop.is_set():
                    began = time.perf_counter()
                    call(f"{api}/flow_runs/", {"flow_id": flow_id, "state": {"type": "PENDING"}})
                    latencies.append((began, time.perf_counter() - began))

            worker = threading.Thread(target=load)
            worker.start()
            time.sleep(3)
            created_at = time.perf_counter()
            ids = [call(f"{api}/deployments/", {"name": f"d{i}", "flow_id": flow_id,
                                                 "schedules": [{"schedule": {"interval": 60}}]})["id"] for i in range(10)]
            body = {"flow_runs": {"deployment_id": {"any_": ids}}}
            deadline = time.time() + 120
            while call(f"{api}/flow_runs/count", body) < 1000 and time.time() < deadline:
                time.sleep(0.05)
            done_at = time.perf_counter()
            time.sleep(1)
            stop.set()
            worker.join()
            made = call(f"{api}/flow_runs/count", body)
        finally:
            server.terminate()
            server.wait()
    before = [d for t, d in latencies if t < created_at]
    during = [d for t, d in latencies if created_at <= t <= done_at]
    doc = {"meta": {"tool": "scheduler_stall.py", "runs_made": made, "seconds_to_make": round(done_at - created_at, 2)},
           "results": {"before": summary(before), "while_scheduling": summary(during)}}
    emit(doc, args.output)


if __name__ == "__main__":
    main()
