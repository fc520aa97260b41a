#!/usr/bin/env python3
"""What the requests of a runner and a worker cost the server at PREFECT_API_URL (run it against
a fresh stock Prefect to see where a deployment run's time goes there). Prints one JSON object:

- state_proposal_ms: median and mean per proposal over Pending, Running, Completed, for RUNS runs
  of a deployment on a process work pool and of one without a pool (each measured twice,
  alternating);
- poll_ms: a worker's poll (`POST /work_pools/{name}/get_scheduled_flow_runs`) and a runner's
  (`POST /deployments/get_scheduled_flow_runs`) with RUNS runs due, and one `GET /flow_runs/{id}`,
  three times each.

  deploy_request_cost.py [--runs 100]
"""
import argparse
import asyncio
import datetime
import json
import statistics
import time
import uuid

from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.states import Completed, Pending, Running


def milliseconds(started):
    return round((time.perf_counter() - started) * 1000, 1)


async def state_proposals(client, deployment_id, count):
    per_proposal = []
    for _ in range(count):
        run = await client.create_flow_run_from_deployment(deployment_id)
        started = time.perf_counter()
        for state in (Pending(), Running(), Completed()):
            await client.set_flow_run_state(run.id, state)
        per_proposal.append(milliseconds(started) / 3)
    return {"median": round(statistics.median(per_proposal), 1), "mean": round(statistics.mean(per_proposal), 1)}


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    async with get_client() as client:
        pool = f"request-cost-{uuid.uuid4().hex[:6]}"
        await client.create_work_pool(WorkPoolCreate(name=pool, type="process"))
        flow_id = await client.create_flow_from_name(pool)
        pooled = await client.create_deployment(flow_id=flow_id, name="pooled", work_pool_name=pool, entrypoint="x.py:f")
        plain = await client.create_deployment(flow_id=flow_id, name="plain", entrypoint="x.py:f")
        proposals = {"process pool": [], "no pool": []}
        for label, deployment in (("no pool", plain), ("process pool", pooled)) * 2:
            proposals[label].append(await state_proposals(client, deployment, max(1, args.runs // 3)))

        for deployment in (pooled, plain):
            for _ in range(args.runs):
                await client.create_flow_run_from_deployment(deployment)
        soon = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=10)
        polls = []
        for _ in range(3):
            started = time.perf_counter()
            worker_runs = await client.get_scheduled_flow_runs_for_work_pool(pool, scheduled_before=soon)
            worker_ms = milliseconds(started)
            started = time.perf_counter()
            runner_runs = await client.get_scheduled_flow_runs_for_deployments([plain], scheduled_before=soon)
            runner_ms = milliseconds(started)
            started = time.perf_counter()
            await client.read_flow_run(runner_runs[0].id)
            polls.append({"worker_poll": worker_ms, "worker_runs": len(worker_runs), "runner_poll": runner_ms,
                          "runner_runs": len(runner_runs), "read_one_run": milliseconds(started)})
    print(json.dumps({"state_proposal_ms": proposals, "poll_ms": polls}))


if __name__ == "__main__":
    asyncio.run(main())
