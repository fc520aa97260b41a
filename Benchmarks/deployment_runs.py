#!/usr/bin/env python3
"""Runs from a deployment: POST {api}/deployments/{id}/create_flow_run with wrk, the body
`run_deployment` sends for a run with parameters (merged over the deployment's) and a tag, for
a deployment in a work pool.

Reuses raw_ceiling.py's wrk driver (../shared/bench), as pool_poll.py does; prints ONE JSON
object (results per connection count).

  deployment_runs.py --api-url http://127.0.0.1:4200/api [--connections 16] [--duration 10]
      [--server-pid PID] [--shared-bench ../shared/bench] [--output FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
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
    p.add_argument("--shared-bench", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "bench"))
    p.add_argument("--wrk", default="wrk")
    p.add_argument("--output", default=None)
    return p.parse_args()


def main() -> None:
    args = parse_args()
    sys.path.insert(0, os.path.abspath(args.shared_bench))
    import raw_ceiling  # the shared wrk driver

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
    with tempfile.TemporaryDirectory(prefix="deployment-runs-", dir="/tmp") as tmp:
        lua = os.path.join(tmp, "create.lua")
        with open(lua, "w") as fh:
            fh.write(raw_ceiling.LUA_TEMPLATE % {"body": json.dumps(body)})
        for conns in [int(c) for c in args.connections.split(",") if c.strip()]:
            if args.warmup:
                raw_ceiling.run_wrk(args, url, lua, conns, args.warmup)
            results[f"create_from_deployment_c{conns}"] = raw_ceiling.run_wrk(args, url, lua, conns, args.duration)
            print(f"create_flow_run c={conns}: {results[f'create_from_deployment_c{conns}'].get('ok_per_s')} ok/s",
                  file=sys.stderr, flush=True)
    doc = {"meta": {"tool": "deployment_runs.py", "api_url": api, "deployment_id": deployment["id"], "body": body},
           "results": results}
    emit(doc, args.output)


if __name__ == "__main__":
    main()
