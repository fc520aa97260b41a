#!/usr/bin/env python3
"""The official Python client (prefect 3.9.1) against PREFECT_API_URL through its hot calls:
create_flow_run (sequentially, then 16 at once), read_flow_runs(limit=200), task runs created
and moved Running -> Completed, flow runs moved Pending -> Running -> Completed. Every answer
goes through the client's own pydantic models, and every HTTP attempt is counted: any answer
other than 2xx (the one allowed is the 422 to GET /csrf-token on a server without CSRF
protection, which every client asks once), any retry and any lost connection fails the check.
Prints one line; exits 1 on any problem.

  PREFECT_API_URL=http://127.0.0.1:4200/api check-python-client.py [--n 10]
"""
import argparse
import asyncio
import sys
import uuid

import httpx
from prefect import flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowFilter, FlowFilterName
from prefect.client.schemas.objects import FlowRun
from prefect.client.schemas.responses import SetStateStatus
from prefect.states import Completed, Pending, Running, Scheduled


@flow
def checked_by_the_python_client():
    pass


class Answers:
    """Every request attempt and its answer, through httpx's event hooks."""

    def __init__(self) -> None:
        self.attempts = 0
        self.answered = 0
        self.unexpected: list[str] = []

    async def on_request(self, request: httpx.Request) -> None:
        self.attempts += 1

    async def on_response(self, response: httpx.Response) -> None:
        self.answered += 1
        request = response.request
        if response.status_code < 300:
            return
        if response.status_code == 422 and request.method == "GET" and request.url.path.endswith("/csrf-token"):
            return
        await response.aread()
        self.unexpected.append(f"{request.method} {request.url.path}: {response.status_code} {response.text[:200]}")


async def main(n: int) -> None:
    answers = Answers()
    async with get_client() as client:
        client._client.event_hooks["request"].append(answers.on_request)
        client._client.event_hooks["response"].append(answers.on_response)

        created = [await client.create_flow_run(checked_by_the_python_client, state=Pending()) for _ in range(n)]
        gate = asyncio.Semaphore(16)

        async def one() -> FlowRun:
            async with gate:
                return await client.create_flow_run(checked_by_the_python_client, state=Pending())

        created += await asyncio.gather(*(one() for _ in range(4 * n)))
        assert len({run.id for run in created}) == 5 * n, "a create answered an id twice"

        name = checked_by_the_python_client.name
        read = await client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=[name])), limit=200)
        assert all(isinstance(run, FlowRun) for run in read)
        assert {run.id for run in created} <= {run.id for run in read} or len(read) == 200, "created runs are not read back"

        parent = await client.create_flow_run(checked_by_the_python_client, state=Running())
        for index in range(n):
            task_run = await client.create_task_run(
                task=_task_stub(f"checked-{index}"), flow_run_id=parent.id, dynamic_key=str(index), state=Pending())
            for state in (Running(), Completed()):
                result = await client.set_task_run_state(task_run.id, state)
                assert result.status == SetStateStatus.ACCEPT, (state.type, result)
            assert (await client.read_task_run(task_run.id)).state.is_completed()

        for run in created[:n]:
            for state in (Running(), Completed()):
                result = await client.set_flow_run_state(run.id, state)
                assert result.status == SetStateStatus.ACCEPT, (state.type, result)
            assert (await client.read_flow_run(run.id)).state.is_completed()

        scheduled = await client.create_flow_run(checked_by_the_python_client, state=Scheduled())
        assert scheduled.state.state_details.scheduled_time is not None

    problems = list(answers.unexpected)
    if answers.attempts != answers.answered:
        problems.append(f"{answers.attempts - answers.answered} of {answers.attempts} requests got no answer")
    if problems:
        print("The Python client against", client.api_url, *problems, sep="\n  ", file=sys.stderr)
        sys.exit(1)
    print(f"Python client: {answers.attempts} requests, every answer 2xx and read by its models")


def _task_stub(name: str):
    from prefect import task

    @task(name=name, task_run_name=f"{name}-{uuid.uuid4().hex[:6]}")
    def stub():
        pass

    return stub


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10)
    asyncio.run(main(parser.parse_args().n))
