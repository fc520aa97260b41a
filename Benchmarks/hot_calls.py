#!/usr/bin/env python3
"""The server's two hottest REST calls under wrk (Benchmarks/wrk_driver.py), at each
connection count: `POST /flow_runs/` with the body Prefect's Python client sends for
`create_flow_run` (a Pending state), and `POST /flow_runs/filter` as `read_flow_runs(limit=200)`
sends it. Filters run first (creates grow the database). Prints ONE JSON object, results keyed
`create_c16`, `filter_c1`, ….

  Benchmarks/hot_calls.py --api-url URL [--duration 10] [--warmup 2] [--connections 1,16]
      [--server-pid PID] [--output FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wrk_driver  # noqa: E402


def post(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", default="1,16")
    parser.add_argument("--read-limit", type=int, default=200)
    parser.add_argument("--server-pid", type=int)
    parser.add_argument("--output")
    args = parser.parse_args()
    api = args.api_url.rstrip("/")
    flow = post(f"{api}/flows/", {"name": "wrk-hot-calls"})["id"]
    create = {"state": {"type": "PENDING", "name": "Pending", "message": None, "state_details": {}, "data": None},
              "name": None, "flow_id": flow, "flow_version": None, "parameters": {}, "context": {},
              "parent_task_run_id": None, "empirical_policy": {"retries": 0, "retry_delay": 0}, "tags": []}
    read = {"flows": None, "flow_runs": None, "task_runs": None, "deployments": None, "work_pools": None,
            "work_pool_queues": None, "sort": None, "limit": args.read_limit, "offset": 0}
    calls = {"filter": wrk_driver.single("POST", "/flow_runs/filter", read),
             "create": wrk_driver.single("POST", "/flow_runs/", create)}
    results = {}
    for name, actions in calls.items():
        for connections in [int(c) for c in args.connections.split(",") if c.strip()]:
            if args.warmup:
                wrk_driver.run(api, actions, connections, args.warmup)
            results[f"{name}_c{connections}"] = wrk_driver.run(api, actions, connections, args.duration, server_pid=args.server_pid)
            print(f"{name} c={connections}: {results[f'{name}_c{connections}'].get('ok_per_s')} ok/s", file=sys.stderr)
    document = {"meta": {"tool": "hot_calls.py", "api_url": api, "duration_s": args.duration}, "results": results}
    text = json.dumps(document, indent=1)
    print(text)
    if args.output:
        with open(args.output, "w") as fh:
            fh.write(text + "\n")


if __name__ == "__main__":
    main()
