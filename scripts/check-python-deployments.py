#!/usr/bin/env python3
"""The official Python client (prefect 3.9.1) against PREFECT_API_URL: a deployment of a flow
made as Prefect's own `flow.to_deployment(...).apply()` makes it (parameter schema, pull steps,
work pool), read back by id and by name; runs created from it as `run_deployment` creates
them, read back; a work pool polled for them as a worker polls; schedules, pause and resume.
Every answer goes through the client's pydantic models. Prints one line; exits 1 on any problem.

  PREFECT_API_URL=http://127.0.0.1:4200/api check-python-deployments.py
"""
import asyncio
import sys
import uuid
from datetime import datetime, timedelta, timezone

from prefect import flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import DeploymentScheduleCreate, DeploymentUpdate, WorkPoolCreate
from prefect.client.schemas.schedules import CronSchedule, IntervalSchedule
from prefect.deployments import run_deployment


@flow
def nightly(region: str = "eu", size: int = 1):
    return f"{region}:{size}"


async def main() -> None:
    unique = uuid.uuid4().hex[:8]
    async with get_client() as client:
        pool_name = f"py-dep-pool-{unique}"
        await client.create_work_pool(WorkPoolCreate(name=pool_name, type="process"))

        runner = await nightly.ato_deployment(name=f"py-deploy-{unique}", tags=["py"], parameters={"size": 2})
        deployment_id = await runner.apply(work_pool_name=pool_name)
        deployment = await client.read_deployment(deployment_id)
        assert deployment.name == f"py-deploy-{unique}" and deployment.work_pool_name == pool_name, deployment
        assert deployment.parameters == {"size": 2}, deployment.parameters
        assert "region" in (deployment.parameter_openapi_schema or {}).get("properties", {}), deployment.parameter_openapi_schema
        assert deployment.enforce_parameter_schema and deployment.tags == ["py"], deployment
        by_name = await client.read_deployment_by_name(f"nightly/py-deploy-{unique}")
        assert by_name.id == deployment_id, by_name

        run = await run_deployment(f"nightly/py-deploy-{unique}", parameters={"region": "us"}, timeout=0)
        assert run.deployment_id == deployment_id and run.parameters == {"size": 2, "region": "us"}, run
        assert run.state is not None and run.state.is_scheduled(), run.state
        again = await client.create_flow_run_from_deployment(
            deployment_id, parameters={"size": 3}, idempotency_key=f"k-{unique}")
        same = await client.create_flow_run_from_deployment(deployment_id, idempotency_key=f"k-{unique}")
        assert again.id == same.id and again.parameters == {"size": 3}, (again, same)
        read = await client.read_flow_run(run.id)
        assert read.work_pool_name == pool_name and read.deployment_id == deployment_id, read

        due = await client.get_scheduled_flow_runs_for_deployments(
            [deployment_id], scheduled_before=datetime.now(timezone.utc) + timedelta(seconds=5))
        assert {r.id for r in due} == {run.id, again.id}, due
        polled = await client.get_scheduled_flow_runs_for_work_pool(
            pool_name, scheduled_before=datetime.now(timezone.utc) + timedelta(seconds=5))
        assert {r.flow_run.id for r in polled} == {run.id, again.id}, polled
        assert (await client.read_deployment(deployment_id)).status.value == "READY"

        schedules = await client.create_deployment_schedules(deployment_id, [
            (IntervalSchedule(interval=timedelta(hours=1)), False),
            (CronSchedule(cron="0 9 * * 1-5", timezone="Europe/Paris"), False),
        ])
        assert len(schedules) == 2 and len(await client.read_deployment_schedules(deployment_id)) == 2, schedules
        await client.update_deployment(deployment_id, DeploymentUpdate(description="from Python"))
        await client.pause_deployment(deployment_id)
        assert (await client.read_deployment(deployment_id)).paused
        await client.resume_deployment(deployment_id)
        listed = await client.read_deployments()
        assert any(d.id == deployment_id and d.description == "from Python" and not d.paused for d in listed), listed
        await client.delete_deployment(deployment_id)
        await client.delete_work_pool(pool_name)
    print(f"Python client against {client.api_url}: deployments, runs from deployments, schedules, polling: no errors")


try:
    asyncio.run(main())
except Exception as exc:  # noqa: BLE001
    print(f"the Python client's deployment check failed: {type(exc).__name__}: {exc}", file=sys.stderr)
    raise SystemExit(1)
