#!/usr/bin/env python3
"""`prefect flow-run watch` (prefect 3.9.1's CLI) against PREFECT_API_URL: it follows a running
flow run through the server's `/api/events/out` (the run's state-change events) and
`/api/logs/out` (its logs, as they are written), prints both, and exits 0 once the run is
Completed. With `--expect-logs` the logs written meanwhile must be among what it printed:
Prefect streams logs out only with PREFECT_SERVER_LOGS_STREAM_PUBLISHING_ENABLED and
PREFECT_SERVER_LOGS_STREAM_OUT_ENABLED (both off by default). Prints one line; exits 1 on any
problem.

  PREFECT_API_URL=http://127.0.0.1:4200/api check-python-watch.py [--expect-logs]
"""
import asyncio
import os
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timezone

from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import LogCreate
from prefect.client.schemas.objects import StateType
from prefect.states import State

PREFECT = os.path.join(os.path.dirname(sys.executable), "prefect")


async def main() -> None:
    unique = uuid.uuid4().hex[:8]
    async with get_client() as client:
        flow_id = await client.create_flow_from_name(f"watched-{unique}")
        response = await client._client.post("/flow_runs/", json={"flow_id": str(flow_id), "name": f"watched-{unique}"})
        run_id = uuid.UUID(response.json()["id"])
        await client.set_flow_run_state(run_id, State(type=StateType.RUNNING, name="Running"))

        watch = subprocess.Popen(
            [PREFECT, "flow-run", "watch", str(run_id), "--timeout", "90"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=dict(os.environ, COLUMNS="200", PYTHONUNBUFFERED="1"), text=True)
        lines: list[str] = []
        subscribed = threading.Event()

        def read() -> None:
            for line in watch.stdout:
                lines.append(line)
                # The events stream's backfill shows the run's Running state: the watcher has
                # both of its subscriptions (logs/out has no backfill, so logs must come later).
                if "prefect.flow-run.Running" in line:
                    subscribed.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        if not subscribed.wait(timeout=90):
            watch.kill()
            raise AssertionError(f"prefect flow-run watch showed no Running state: {''.join(lines)[-2000:]}")
        messages = [f"watched line {index} {unique}" for index in range(2)]
        await client.create_logs([
            LogCreate(name="watched", level=20, message=message, timestamp=datetime.now(timezone.utc), flow_run_id=run_id)
            for message in messages
        ])
        await asyncio.sleep(1)
        started = time.monotonic()
        await client.set_flow_run_state(run_id, State(type=StateType.COMPLETED, name="Completed"))
        try:
            watch.wait(timeout=60)
        except subprocess.TimeoutExpired:
            watch.kill()
            raise AssertionError(f"prefect flow-run watch did not end: {''.join(lines)[-2000:]}")
        reader.join(timeout=10)
        text = "".join(lines)
        assert watch.returncode == 0, (watch.returncode, text[-2000:])
        expect_logs = "--expect-logs" in sys.argv
        for message in messages:
            assert (message in text) == expect_logs, (message, expect_logs, text[-2000:])
        assert "Completed" in text, text[-2000:]
        shown = "showed the logs" if expect_logs else "showed the state changes"
        print(f"check-python-watch: prefect flow-run watch {shown} and ended {time.monotonic() - started:.1f} s after Completed")


asyncio.run(main())
