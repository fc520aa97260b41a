#!/usr/bin/env python3
"""Load that holds: `prefect-swift server start` (release build, fresh database, services on)
under a mix of writes and reads from wrk at 64 connections for 10 minutes, and then the
database checked against what the server acknowledged.

The mix (weights): flow run creates 30, state changes of created runs 25 (forced, so each is
one written state), flow run filters 15, log batches of 10 records 20, worker polls of a work
pool 10. RSS is sampled every 10 s. Afterwards the server is stopped and its database read:
every acknowledged create is a flow_run row, every acknowledged state change a
flow_run_state row, every acknowledged log batch ten log rows.

Prints ONE JSON object: the wrk figures (requests, answers by kind and status, socket errors,
latency percentiles), the RSS samples, whether RSS grew after the first minute, and the
acknowledged-versus-stored counts.

  Benchmarks/load_soak.py [--seconds 600] [--connections 64] [--binary PATH] [--output FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wrk_driver  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent


def post(api: str, path: str, body) -> object:
    request = urllib.request.Request(api + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read()
        return json.loads(text) if text else None


def start_server(binary: str, database: str, home: str) -> tuple[subprocess.Popen, str]:
    log = open(os.path.join(home, "server.log"), "w")
    server = subprocess.Popen([binary, "server", "start", "--no-ui", "--port", "0", "--database", database],
                              stdout=subprocess.PIPE, stderr=log, text=True, env={**os.environ, "PREFECT_HOME": home})
    for line in server.stdout:
        if line.startswith("PREFECT_API_URL="):
            return server, line.strip().split("=", 1)[1]
    raise SystemExit("server start printed no URL")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--binary", help="prefect-swift (default: the release build, built first)")
    parser.add_argument("--output")
    args = parser.parse_args()
    binary = args.binary
    if not binary:
        subprocess.run(["swift", "build", "-c", "release", "--product", "prefect-swift"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        bin_path = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                                  capture_output=True, text=True).stdout.strip()
        binary = os.path.join(bin_path, "prefect-swift")

    home = tempfile.mkdtemp(prefix="load-soak-")
    database = os.path.join(home, "soak.db")
    server, api = start_server(binary, database, home)
    flow = post(api, "/flows/", {"name": "load-soak"})["id"]
    post(api, "/work_pools/", {"name": "soak-pool", "type": "process"})
    logs = json.dumps([{"name": "soak", "level": 20, "message": f"line {i}", "timestamp": "2026-12-01T00:00:00Z",
                        "flow_run_id": "{run}"} for i in range(10)])
    actions = [
        wrk_driver.Action("create", 30, "POST", "/flow_runs/", json.dumps({"flow_id": flow, "state": {"type": "PENDING"}}),
                          creates=True),
        wrk_driver.Action("set_state", 25, "POST", "/flow_runs/{run}/set_state",
                          json.dumps({"state": {"type": "RUNNING"}, "force": True})),
        wrk_driver.Action("filter", 15, "POST", "/flow_runs/filter",
                          json.dumps({"flows": {"id": {"any_": [flow]}}, "sort": "EXPECTED_START_TIME_DESC", "limit": 50})),
        wrk_driver.Action("logs", 20, "POST", "/logs/", logs),
        wrk_driver.Action("poll", 10, "POST", "/work_pools/soak-pool/get_scheduled_flow_runs", json.dumps({})),
    ]

    samples: list[dict] = []
    stop = threading.Event()

    def sample() -> None:
        started = time.monotonic()
        while not stop.is_set():
            samples.append({"t": round(time.monotonic() - started), "rss_mb": wrk_driver.rss_megabytes(server.pid)})
            stop.wait(10)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    result = wrk_driver.run(api, actions, args.connections, args.seconds, threads=args.threads, server_pid=server.pid)
    stop.set()
    sampler.join()
    alive = server.poll() is None
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=60)

    answers = result.get("answers", {})
    with sqlite3.connect(database) as db:
        stored = {
            "flow_runs": db.execute("SELECT COUNT(*) FROM flow_run").fetchone()[0],
            "flow_run_states": db.execute("SELECT COUNT(*) FROM flow_run_state").fetchone()[0],
            "logs": db.execute("SELECT COUNT(*) FROM log").fetchone()[0],
            "integrity": db.execute("PRAGMA integrity_check").fetchone()[0],
        }
    acknowledged = {
        "flow_runs": answers.get("flow_run 201", 0),
        "state_changes": answers.get("set_state 201", 0),
        "log_records": answers.get("null 201", 0) * 10,
    }
    after_minute = [s["rss_mb"] for s in samples if s["t"] >= 60 and s["rss_mb"] is not None]
    document = {
        "meta": {"tool": "load_soak.py", "seconds": args.seconds, "connections": args.connections, "binary": binary,
                 "server_alive_at_end": alive},
        "wrk": result,
        "rss_samples": samples,
        "rss_after_first_minute_mb": {"first": after_minute[0] if after_minute else None,
                                      "last": after_minute[-1] if after_minute else None,
                                      "max": max(after_minute) if after_minute else None},
        "acknowledged": acknowledged,
        "stored": stored,
        "every_acknowledged_write_stored": stored["flow_runs"] >= acknowledged["flow_runs"]
        and stored["flow_run_states"] >= acknowledged["flow_runs"] + acknowledged["state_changes"]
        and stored["logs"] >= acknowledged["log_records"],
    }
    text = json.dumps(document, indent=1)
    print(text)
    if args.output:
        pathlib.Path(args.output).write_text(text + "\n")


if __name__ == "__main__":
    main()
