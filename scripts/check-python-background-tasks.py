#!/usr/bin/env python3
"""Background tasks with prefect 3.9.1's own task worker against PREFECT_API_URL: a task
worker (`prefect.task_worker.serve`) subscribes to `/api/task_runs/subscriptions/scheduled`,
and `task.delay()` from this process creates Scheduled (deferred) task runs that the server
hands to it; each result must come back, and a run delayed before the worker subscribed runs
too. Prints one line; exits 1 on any problem.

  PREFECT_API_URL=http://127.0.0.1:4200/api check-python-background-tasks.py
"""
import os
import subprocess
import sys
import tempfile
import time

TASKS = """
from prefect import task
from prefect.task_worker import serve


@task
def double(x: int) -> int:
    return 2 * x


if __name__ == "__main__":
    serve(double)
"""


def main() -> None:
    folder = tempfile.mkdtemp()
    with open(os.path.join(folder, "background_tasks.py"), "w") as file:
        file.write(TASKS)
    sys.path.insert(0, folder)
    from background_tasks import double

    early = double.delay(1)
    log = open(os.path.join(folder, "worker.log"), "w+")
    worker = subprocess.Popen(
        [sys.executable, os.path.join(folder, "background_tasks.py")], cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    try:
        started = time.monotonic()
        futures = [double.delay(value) for value in range(2, 7)]
        results = [future.result(timeout=90) for future in [early] + futures]
        if worker.poll() is not None:
            log.seek(0)
            raise AssertionError(f"the task worker exited: {log.read()[-2000:]}")
        assert results == [2 * value for value in range(1, 7)], results
        print(f"check-python-background-tasks: a task worker ran {len(results)} delayed tasks in {time.monotonic() - started:.1f} s")
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


main()
