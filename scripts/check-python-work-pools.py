#!/usr/bin/env python3
"""The official Python client (prefect 3.9.1) against PREFECT_API_URL: variables, a work pool
with a queue, a worker's heartbeat, scheduled runs in the pool polled as a worker polls them,
and a legacy queue's runs. Every answer goes through the client's own pydantic models, so a
shape the embedded server gets wrong fails here. Prints one line; exits 1 on any problem.

  PREFECT_API_URL=http://127.0.0.1:4200/api check-python-work-pools.py
"""
import asyncio
import sys
import uuid
from datetime import datetime, timedelta, timezone

from prefect import flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import VariableCreate, VariableUpdate, WorkPoolCreate, WorkPoolUpdate
from prefect.states import Scheduled


@flow
def polled():
    pass


async def main() -> None:
    unique = uuid.uuid4().hex[:8]
    async with get_client() as client:
        name = f"py_var_{unique}"
        variable = await client.create_variable(VariableCreate(name=name, value={"n": 1}, tags=["py"]))
        assert variable.value == {"n": 1}, variable
        await client.update_variable(VariableUpdate(name=name, value="two"))
        assert (await client.read_variable_by_name(name)).value == "two"
        assert any(v.name == name for v in await client.read_variables())
        await client.delete_variable_by_name(name)
        assert await client.read_variable_by_name(name) is None

        pool_name = f"py-pool-{unique}"
        pool = await client.create_work_pool(WorkPoolCreate(name=pool_name, type="process", concurrency_limit=5))
        assert pool.status is not None and pool.status.value == "NOT_READY", pool.status
        queue = await client.create_work_queue(name=f"py-high-{unique}", priority=1, work_pool_name=pool_name)
        await client.send_worker_heartbeat(pool_name, "py-worker", heartbeat_interval_seconds=30)
        assert (await client.read_work_pool(pool_name)).status.value == "READY"
        workers = await client.read_workers_for_work_pool(pool_name)
        assert [w.name for w in workers] == ["py-worker"], workers

        past = datetime.now(timezone.utc) - timedelta(minutes=5)
        runs = [
            await client.create_flow_run(polled, state=Scheduled(scheduled_time=past + timedelta(seconds=i)),
                                         work_pool_name=pool_name, work_queue_name=queue.name)
            for i in range(3)
        ]
        assert all(run.work_queue_id == queue.id for run in runs), [r.work_queue_id for r in runs]
        polled_runs = await client.get_scheduled_flow_runs_for_work_pool(
            pool_name, work_queue_names=[queue.name], scheduled_before=datetime.now(timezone.utc))
        assert [r.flow_run.id for r in polled_runs] == [r.id for r in runs], polled_runs
        assert all(r.work_pool_id == pool.id and r.work_queue_id == queue.id for r in polled_runs)
        from_queue = await client.get_runs_in_work_queue(queue.id, scheduled_before=datetime.now(timezone.utc))
        assert {r.id for r in from_queue} == {r.id for r in runs}, from_queue
        assert (await client.read_work_queue(queue.id)).last_polled is not None

        await client.update_work_pool(pool_name, WorkPoolUpdate(is_paused=True))
        assert (await client.read_work_pool(pool_name)).status.value == "PAUSED"
        assert await client.get_scheduled_flow_runs_for_work_pool(pool_name) == []
        await client.delete_work_pool(pool_name)
    print(f"Python client against {client.api_url}: variables, work pools, queues, workers, polling: no errors")


try:
    asyncio.run(main())
except Exception as exc:  # noqa: BLE001
    print(f"the Python client's work-pool check failed: {type(exc).__name__}: {exc}", file=sys.stderr)
    raise SystemExit(1)
