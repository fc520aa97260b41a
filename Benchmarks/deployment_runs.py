#!/usr/bin/env python3
"""Runs from a deployment: POST {api}/deployments/{id}/create_flow_run with wrk, the body
`run_deployment` sends for a run with parameters (merged over the deployment's) and a tag, for
a deployment in a work pool.

Uses the project's wrk driver (Benchmarks/wrk_driver.py), as pool_poll.py does; prints ONE JSON
object (results per connection count).

  deployment_runs.py --api-url http://127.0.0.1:4200/api [--connections 16] [--duration 10]
      [--server-pid PID] [--output FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import uuid

from pool_poll import emit, post


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--api-url", required=True)
    p.add_argument("--connections", default="16")
    p.add_argument("--duration", type=int, default=10)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--server-pid", type=int, default=None)
    p.add_argument("--wrk", default="wrk")
    p.add_argument("--output", default=None)
    return p.parse_args()


def main() -> None:
    args = parse_args()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import wrk_driver  # the project's wrk driver

    api = args.api_url.rstrip("/")
    unique = uuid.uuid4().hex[:8]
    post(f"{api}/work_pools/", {"name": f"bench-deploy-pool-{unique}", "type": "process"})
    flow_id = post(f"{api}/flows/", {"name": f"deployment-runs-bench-{unique}"})["id"]
    deployment = post(f"{api}/deployments/", {
        "name": "bench", "flow_id": flow_id, "work_pool_name": f"bench-deploy-pool-{unique}",
        "parameters": {"region": "eu", "size": 1}, "tags": ["bench"],
    })
    url = f"{api}/deployments/{deployment['id']}/create_flow_run"
    body = {"parameters": {"size": 2}, "tags": ["load"]}
    first = post(url, body)
    assert first["deployment_id"] == deployment["id"] and first["parameters"] == {"region": "eu", "size": 2}, first
    results: dict = {}
    actions = wrk_driver.single("POST", f"/deployments/{deployment['id']}/create_flow_run", body)
    for conns in [int(c) for c in args.connections.split(",") if c.strip()]:
        if args.warmup:
            wrk_driver.run(api, actions, conns, args.warmup)
        results[f"create_from_deployment_c{conns}"] = wrk_driver.run(api, actions, conns, args.duration, server_pid=args.server_pid)
        print(f"create_flow_run c={conns}: {results[f'create_from_deployment_c{conns}'].get('ok_per_s')} ok/s",
              file=sys.stderr, flush=True)
    doc = {"meta": {"tool": "deployment_runs.py", "api_url": api, "deployment_id": deployment["id"], "body": body},
           "results": results}
    emit(doc, args.output)


if __name__ == "__main__":
    main()
