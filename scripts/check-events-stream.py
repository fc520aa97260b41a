#!/usr/bin/env python3
"""`prefect events stream` (Prefect 3.9.1's CLI) side by side on a stock server and on
prefect-swift: while it runs, a flow run goes Pending, Running and Completed and a variable is
created and deleted; the events the CLI printed about them must be the same on both servers
(names, resources, related resources and payloads, normalized as scripts/event_normalization.py
normalizes events). Exits 1 on any difference.

  check-events-stream.py http://127.0.0.1:4200/api http://127.0.0.1:4300/api
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from event_normalization import normalized
from side_by_side import on_both

PREFECT = Path(sys.executable).parent / "prefect"


def scenario(api: str, unique: str) -> list:
    client = httpx.Client(base_url=api, timeout=30)
    with tempfile.TemporaryDirectory() as home:
        # Printed to stdout: 3.9.1's --output-file fails (it enters an unawaited coroutine).
        output = Path(home) / "events.jsonl"
        env = {**os.environ, "PREFECT_API_URL": api, "PREFECT_HOME": home, "PYTHONUNBUFFERED": "1", "COLUMNS": "100000"}
        stream = subprocess.Popen([str(PREFECT), "events", "stream", "--format", "json"],
                                  env=env, cwd=home, stdout=output.open("w"), stderr=subprocess.DEVNULL, text=True)
        try:
            # The CLI starts (slowly on a loaded machine), then subscribes; what happens between its
            # filter and its subscription comes in the subscription's backfill.
            deadline = time.monotonic() + 90
            while "Subscribing" not in (output.read_text() if output.exists() else ""):
                assert time.monotonic() < deadline, "prefect events stream did not start"
                time.sleep(0.2)
            time.sleep(3)
            flow = client.post("/flows/", json={"name": f"stream-{unique}"}).json()
            run = client.post("/flow_runs/", json={"flow_id": flow["id"], "name": f"run-{unique}", "tags": ["t"]}).json()
            for state in ["RUNNING", "COMPLETED"]:
                client.post(f"/flow_runs/{run['id']}/set_state", json={"state": {"type": state}})
            variable = client.post("/variables/", json={"name": f"v_{unique}", "value": [1, "a"]}).json()
            client.delete(f"/variables/{variable['id']}")
            mine = {f"prefect.flow.{flow['id']}", f"prefect.flow-run.{run['id']}", f"prefect.variable.{variable['id']}"}
            def printed():
                lines = [line for line in output.read_text().splitlines() if line.startswith("{")]
                return [event for event in map(json.loads, lines) if event["resource"]["prefect.resource.id"] in mine]

            deadline = time.monotonic() + 60
            events = printed()
            while len(events) < 6 and time.monotonic() < deadline:
                time.sleep(0.5)
                events = printed()
            time.sleep(2)
            events = printed()
        finally:
            stream.terminate()
            stream.wait(timeout=30)
    events.sort(key=lambda event: (event["occurred"], event["event"]))
    return normalized(events, unique)


def main() -> None:
    stock_api, swift_api = sys.argv[1], sys.argv[2]
    unique = uuid.uuid4().hex[:8]
    stock, swift = on_both("check-events-stream", scenario, stock_api, swift_api, unique)
    if len(swift) < 6 or stock != swift:
        for index in range(max(len(stock), len(swift))):
            left = stock[index] if index < len(stock) else None
            right = swift[index] if index < len(swift) else None
            if left != right:
                print(f"event {index} differs:\n  stock: {left}\n  swift: {right}", file=sys.stderr)
        sys.exit(f"check-events-stream: {len(stock)} events on stock, {len(swift)} on prefect-swift")
    print(f"check-events-stream: `prefect events stream` printed the same {len(stock)} server-made events on both servers")


main()
