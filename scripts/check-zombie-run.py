#!/usr/bin/env python3
"""Prefect's documented zombie-run automation with Prefect's own runner, side by side on a
stock Prefect 3.9.1 server and on prefect-swift: a flow served by `flow.serve()` runs with
heartbeats every 30 s (PREFECT_FLOWS_HEARTBEAT_FREQUENCY); once its first heartbeat is stored
the serve process and its run are killed with SIGKILL, and the automation ("after a
heartbeat, expect another or a final state within 45 s", for each flow run of this flow) must
mark the run Crashed, with the automation's message, on both servers. Exits 1 otherwise.

  check-zombie-run.py http://127.0.0.1:4200/api http://127.0.0.1:4300/api
"""
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path

import httpx

from side_by_side import on_both

FLOW = textwrap.dedent("""
    import os
    import time

    from prefect import flow


    @flow(name=os.environ["ZOMBIE_FLOW"])
    def sleepy():
        time.sleep(600)


    if __name__ == "__main__":
        sleepy.serve(name="zombie")
""")
MESSAGE = "Flow run marked as crashed due to missing heartbeats."


def wait(what, condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(1)
    raise AssertionError(f"{what} within {seconds} s")


def scenario(api: str, unique: str) -> dict:
    client = httpx.Client(base_url=api, timeout=30)
    name = f"zombie-{unique}"
    flow = client.post("/flows/", json={"name": name}).json()
    automation = client.post("/automations/", json={
        "name": f"crash-zombies-{unique}",
        "trigger": {
            "type": "event", "posture": "Proactive", "after": ["prefect.flow-run.heartbeat"],
            "expect": ["prefect.flow-run.heartbeat", "prefect.flow-run.Completed", "prefect.flow-run.Failed",
                       "prefect.flow-run.Cancelled", "prefect.flow-run.Crashed"],
            "match": {"prefect.resource.id": ["prefect.flow-run.*"]},
            "match_related": {"prefect.resource.id": f"prefect.flow.{flow['id']}", "prefect.resource.role": "flow"},
            "for_each": ["prefect.resource.id"], "threshold": 1, "within": 45},
        "actions": [{"type": "change-flow-run-state", "state": "CRASHED", "message": MESSAGE}]}).json()
    with tempfile.TemporaryDirectory() as home:
        script = Path(home) / "zombie_flow.py"
        script.write_text(FLOW)
        env = {**os.environ, "PREFECT_API_URL": api, "PREFECT_HOME": home, "ZOMBIE_FLOW": name, "PYTHONUNBUFFERED": "1",
               "PREFECT_FLOWS_HEARTBEAT_FREQUENCY": "30", "PREFECT_RUNNER_POLL_FREQUENCY": "2"}
        serve = subprocess.Popen([sys.executable, str(script)], env=env, cwd=home, start_new_session=True,
                                 stdout=open(Path(home) / "serve.log", "w"), stderr=subprocess.STDOUT)
        try:
            deployment = wait("the deployment was served", lambda: (
                lambda answer: answer.json() if answer.status_code == 200 else None)(
                client.get(f"/deployments/name/{name}/zombie")), 90)
            run = client.post(f"/deployments/{deployment['id']}/create_flow_run", json={}).json()
            heartbeat = {"filter": {"event": {"name": ["prefect.flow-run.heartbeat"]},
                                    "resource": {"id": [f"prefect.flow-run.{run['id']}"]},
                                    "occurred": {"since": "2020-01-01T00:00:00Z"}}, "limit": 1}
            wait("the run sent a heartbeat", lambda: client.post("/events/filter", json=heartbeat).json()["total"] > 0, 120)
            os.killpg(serve.pid, signal.SIGKILL)
            killed = time.monotonic()
            state = wait("the zombie automation crashed the run", lambda: (
                lambda state: state if state["type"] == "CRASHED" else None)(
                client.get(f"/flow_runs/{run['id']}").json()["state"]), 180)
            crashed_after = time.monotonic() - killed
        finally:
            try:
                os.killpg(serve.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            serve.wait()
    client.delete(f"/automations/{automation['id']}")
    return {"state": (state["type"], state["name"], state["message"]), "seconds": round(crashed_after)}


def main() -> None:
    stock_api, swift_api = sys.argv[1], sys.argv[2]
    unique = uuid.uuid4().hex[:8]
    results = dict(zip(["stock", "swift"], on_both("check-zombie-run", scenario, stock_api, swift_api, unique)))
    if results["stock"]["state"] != results["swift"]["state"] or results["swift"]["state"] != ("CRASHED", "Crashed", MESSAGE):
        sys.exit(f"check-zombie-run: stock ended {results['stock']['state']}, prefect-swift {results['swift']['state']}")
    print(f"check-zombie-run: a killed flow.serve() run was marked Crashed by the zombie automation "
          f"{results['stock']['seconds']} s after the kill on stock, {results['swift']['seconds']} s on prefect-swift")


main()
