"""Prefect 3.9.1's Python client against prefect-swift server start (PREFECT_API_URL):
automations created, read (into Prefect's own trigger and action models), found, paused,
resumed and deleted; events recorded over REST and read a page at a time with
`read_events` / `read_events_page`. Exits non-zero on the first difference."""
from __future__ import annotations

import asyncio
import sys
import uuid
from datetime import timedelta

from prefect.client.orchestration import get_client
from prefect.events.actions import DoNothing, PauseDeployment, RunDeployment
from prefect.events.filters import EventFilter, EventNameFilter
from prefect.events.schemas.automations import AutomationCore, CompoundTrigger, EventTrigger, Posture
from prefect.events.schemas.events import Event
from prefect.exceptions import PrefectHTTPStatusError
from prefect.types._datetime import now


def check(condition: bool, message: str) -> None:
    if not condition:
        sys.exit(f"check-python-automations-events: {message}")


async def main() -> None:
    unique = uuid.uuid4().hex[:8]
    async with get_client() as client:
        trigger = CompoundTrigger(
            require="any", within=timedelta(minutes=5),
            triggers=[EventTrigger(expect={"prefect.flow-run.Failed"}, posture=Posture.Reactive, threshold=2),
                      EventTrigger(expect={"prefect.flow-run.Running"}, posture=Posture.Proactive)])
        automation_id = await client.create_automation(AutomationCore(
            name=f"py-auto-{unique}", trigger=trigger,
            actions=[RunDeployment(source="selected", deployment_id=uuid.uuid4(), parameters={"x": 1}),
                     PauseDeployment(source="inferred"), DoNothing()]))
        automation = await client.read_automation(automation_id)
        check(automation is not None and automation.name == f"py-auto-{unique}", "the automation did not read back")
        check(isinstance(automation.trigger, CompoundTrigger), f"the trigger came back as {type(automation.trigger)}")
        proactive = automation.trigger.triggers[1]
        check(proactive.within == timedelta(seconds=10), f"a proactive trigger's within is {proactive.within}, not 10 s")
        check([type(a).__name__ for a in automation.actions] == ["RunDeployment", "PauseDeployment", "DoNothing"],
              f"the actions came back as {automation.actions}")
        found = await client.find_automation(f"py-auto-{unique}")
        check(found is not None and found.id == automation_id, "find_automation did not find it by name")
        await client.pause_automation(automation_id)
        check(not (await client.read_automation(automation_id)).enabled, "pause_automation did not disable it")
        await client.resume_automation(automation_id)
        check((await client.read_automations_by_name(f"py-auto-{unique}"))[0].enabled, "resume_automation did not enable it")
        await client.delete_automation(automation_id)
        try:
            # Prefect's read_automation means to answer None for a 404, but its request raises first.
            gone = await client.read_automation(automation_id) is None
        except PrefectHTTPStatusError as error:
            gone = error.response.status_code == 404
        check(gone, "the automation is still there after delete")

        start = now("UTC") - timedelta(seconds=10)
        events = [Event(occurred=start + timedelta(seconds=i), event=f"py.check.{unique}.step",
                        resource={"prefect.resource.id": f"py.thing.{unique}.{i}"}, payload={"i": i}) for i in range(3)]
        response = await client._client.post("/events", json=[e.model_dump(mode="json") for e in events])
        check(response.status_code == 204, f"POST /events answered {response.status_code}")
        mine = EventFilter(event=EventNameFilter(prefix=[f"py.check.{unique}."]))
        page = await client.read_events(filter=mine, limit=2)
        for _ in range(60):
            # Prefect's server stores events through its pipeline, a moment later.
            if page.total >= 3:
                break
            await asyncio.sleep(0.5)
            page = await client.read_events(filter=EventFilter(event=EventNameFilter(prefix=[f"py.check.{unique}."])), limit=2)
        check(page.total == 3, f"read_events counted {page.total} events, not 3")
        check([e.id for e in page.events] == [events[2].id, events[1].id], "read_events did not answer newest first")
        check(page.next_page is not None, "read_events gave no next page")
        rest = await client.read_events_page(str(page.next_page))
        check([e.id for e in rest.events] == [events[0].id], "read_events_page did not answer the last event")


if __name__ == "__main__":
    asyncio.run(main())
    print("check-python-automations-events: automations and events through Prefect's Python client")
