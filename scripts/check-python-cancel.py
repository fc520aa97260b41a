#!/usr/bin/env python3
"""Prefect's own runner (`flow.serve()`, prefect 3.9.1) against PREFECT_API_URL: a run of a
served flow that sleeps is moved to Cancelling as `prefect flow-run cancel` moves it, and the
runner — which learns of a cancellation only from the server's `prefect.flow-run.Cancelling`
event on `/api/events/out` — stops its process: the run must end Cancelled within 20 s.
Prints one line; exits 1 on any problem.

  PREFECT_API_URL=http://127.0.0.1:4200/api check-python-cancel.py
"""
import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid

from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import StateType
from prefect.deployments import run_deployment
from prefect.states import State

SERVED = """
import sys, time
from prefect import flow

@flow
def sleeper():
    time.sleep(120)

if __name__ == "__main__":
    sleeper.serve(name=sys.argv[1])
"""


async def wait_for(what, check, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = await check()
        if value:
            return value
        await asyncio.sleep(0.25)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


async def main() -> None:
    name = f"cancel-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ, PREFECT_RUNNER_POLL_FREQUENCY="1")
    folder = tempfile.mkdtemp()
    script = os.path.join(folder, "served.py")
    with open(script, "w") as file:
        file.write(SERVED)
    log = open(os.path.join(folder, "serve.log"), "w+")
    serve = subprocess.Popen([sys.executable, script, name], cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)

    def alive():
        if serve.poll() is not None:
            log.seek(0)
            raise AssertionError(f"flow.serve() exited with {serve.returncode}: {log.read()[-2000:]}")

    try:
        async with get_client() as client:
            async def deployed():
                try:
                    return await client.read_deployment_by_name(f"sleeper/{name}")
                except Exception:
                    alive()
                    return None

            await wait_for("the served deployment", deployed, 90)
            run = await run_deployment(f"sleeper/{name}", timeout=0)

            async def state_is(kind):
                async def check():
                    alive()
                    current = (await client.read_flow_run(run.id)).state
                    return current if current is not None and current.type == kind else None
                return check

            await wait_for("the run to be Running", await state_is(StateType.RUNNING), 90)
            asked = time.monotonic()
            result = await client.set_flow_run_state(run.id, State(type=StateType.CANCELLING, name="Cancelling"))
            assert result.status.value == "ACCEPT", result
            final = await wait_for("the run to be Cancelled", await state_is(StateType.CANCELLED), 20)
            log.seek(0)
            print(f"check-python-cancel: flow.serve() stopped a cancelled run in {time.monotonic() - asked:.1f} s ({final.message!r})")
    finally:
        serve.terminate()
        try:
            serve.wait(timeout=20)
        except subprocess.TimeoutExpired:
            serve.kill()


asyncio.run(main())
