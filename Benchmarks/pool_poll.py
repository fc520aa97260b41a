#!/usr/bin/env python3
"""Workers polling a work pool: POST {api}/work_pools/{pool}/get_scheduled_flow_runs with wrk,
for a pool holding --runs scheduled flow runs (default 10,000), the body Prefect's worker sends
(scheduled_before, the server's default limit of 200).

Uses the project's wrk driver (Benchmarks/wrk_driver.py) so the figures compare with the rest of
Benchmarks/server-compare.sh; prints ONE JSON object (setup time, results per connection count).

  pool_poll.py --api-url http://127.0.0.1:4200/api [--runs 10000] [--connections 1,16]
      [--duration 10] [--server-pid PID] [--output FILE]
"""
from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone


def emit(doc: dict, output: str | None) -> None:
    """Prints the one JSON object a benchmark answers, and writes it to `output` when given."""
    text = json.dumps(doc, indent=2)
    if output:
        with open(output, "w") as fh:
            fh.write(text + "\n")
    print(text)


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--api-url", required=True)
    p.add_argument("--runs", type=int, default=10_000)
    p.add_argument("--fill-concurrency", type=int, default=1,
                   help="creates in flight while filling the pool (1: the stock server answers 503 to more)")
    p.add_argument("--connections", default="1,16")
    p.add_argument("--duration", type=int, default=10)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--server-pid", type=int, default=None)
    p.add_argument("--wrk", default="wrk")
    p.add_argument("--output", default=None)
    return p.parse_args()


def post(url: str, body: dict, attempts: int = 20) -> dict:
    """POST with retries on 503 and dropped connections (the stock server sheds load)."""
    data = json.dumps(body).encode()
    for attempt in range(attempts):
        try:
            req = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=60) as resp:
                return json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            if exc.code != 503 or attempt == attempts - 1:
                raise
        except (urllib.error.URLError, ConnectionError):
            if attempt == attempts - 1:
                raise
        time.sleep(min(0.05 * 2 ** attempt, 2))
    raise RuntimeError("unreachable")


def fill(api: str, runs: int, concurrency: int) -> tuple[str, float]:
    """A fresh pool and `runs` scheduled runs in its default queue, one idempotency key each
    (a create retried after a lost answer stays one run)."""
    pool = f"bench-pool-{uuid.uuid4().hex[:8]}"
    post(f"{api}/work_pools/", {"name": pool, "type": "process"})
    flow_id = post(f"{api}/flows/", {"name": "pool-poll-bench"})["id"]
    # In the future, so that neither server's late-runs service rewrites them meanwhile.
    start = datetime.now(timezone.utc) + timedelta(hours=1)
    began = time.perf_counter()

    def create(i: int) -> None:
        post(f"{api}/flow_runs/", {
            "flow_id": flow_id, "work_pool_name": pool, "idempotency_key": f"{pool}-{i}",
            "state": {"type": "SCHEDULED", "state_details": {"scheduled_time": (start + timedelta(seconds=i)).isoformat()}},
        })

    with concurrent.futures.ThreadPoolExecutor(max_workers=concurrency) as executor:
        list(executor.map(create, range(runs)))
    return pool, time.perf_counter() - began


def main() -> None:
    args = parse_args()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import wrk_driver  # the project's wrk driver

    api = args.api_url.rstrip("/")
    pool, fill_s = fill(api, args.runs, args.fill_concurrency)
    count = post(f"{api}/flow_runs/count", {"work_pools": {"name": {"any_": [pool]}}})
    body = {"scheduled_before": (datetime.now(timezone.utc) + timedelta(days=365)).isoformat()}
    url = f"{api}/work_pools/{pool}/get_scheduled_flow_runs"
    first = post(url, body)
    results: dict = {}
    actions = wrk_driver.single("POST", f"/work_pools/{pool}/get_scheduled_flow_runs", body)
    for conns in [int(c) for c in args.connections.split(",") if c.strip()]:
        if args.warmup:
            wrk_driver.run(api, actions, conns, args.warmup)
        results[f"poll_c{conns}"] = wrk_driver.run(api, actions, conns, args.duration, server_pid=args.server_pid)
        print(f"poll c={conns}: {results[f'poll_c{conns}'].get('ok_per_s')} ok/s", file=sys.stderr, flush=True)
    doc = {
        "meta": {"tool": "pool_poll.py", "api_url": api, "pool": pool, "runs_in_pool": count,
                 "fill_s": round(fill_s, 1), "runs_per_poll": len(first), "body": body},
        "results": results,
    }
    emit(doc, args.output)


if __name__ == "__main__":
    main()
