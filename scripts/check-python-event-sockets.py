"""Prefect 3.9.1's own event websocket clients against prefect-swift server start
(PREFECT_API_URL): events posted over REST before a subscriber connects come first, as its
backfill; events streamed by `PrefectEventsClient` over /events/in (checkpointed with
ping/pong every 10) reach `PrefectEventSubscriber` on /events/out in order, each once, only
those its filter matches, and are stored. Exits non-zero on the first difference."""
from __future__ import annotations

import asyncio
import sys
import uuid

from prefect.client.orchestration import get_client
from prefect.events.clients import PrefectEventsClient, PrefectEventSubscriber
from prefect.events.filters import EventFilter, EventNameFilter
from prefect.events.schemas.events import Event, Resource


def check(condition: bool, message: str) -> None:
    if not condition:
        sys.exit(f"check-python-event-sockets: {message}")


def event(name: str, index: int) -> Event:
    return Event(event=name, resource=Resource({"prefect.resource.id": f"swift.check.{index}"}), payload={"index": index})


async def stored_count(client, prefix: str, expected: int):
    """The stored events named `prefix`…, once there are `expected` (a stock server persists
    events a moment after it receives them; the embedded server at once)."""
    for _ in range(40):
        stored = await client.read_events(filter=EventFilter(event=EventNameFilter(prefix=[prefix])), limit=50)
        if stored.total >= expected:
            break
        await asyncio.sleep(0.25)
    return stored


async def main() -> None:
    unique = uuid.uuid4().hex[:8]
    wanted = f"swift.check.{unique}.emitted"
    backfill = [event(wanted, index) for index in range(3)]
    async with get_client() as client:
        response = await client._client.post("/events", json=[e.model_dump(mode="json") for e in backfill])
        check(response.status_code == 204, f"POST /events answered {response.status_code}")
        await stored_count(client, wanted, len(backfill))

    streamed = [event(wanted, index) for index in range(3, 33)]
    ignored = [event(f"swift.check.{unique}.ignored", index) for index in range(5)]
    subscriber_filter = EventFilter(event=EventNameFilter(prefix=[wanted]))
    async with PrefectEventSubscriber(filter=subscriber_filter) as subscriber:
        async with PrefectEventsClient(checkpoint_every=10) as emitter:
            for index, item in enumerate(streamed):
                await emitter.emit(item)
                if index % 6 == 0:
                    await emitter.emit(ignored[index // 6])
        seen: list[Event] = []

        async def collect() -> None:
            async for received in subscriber:
                seen.append(received)
                if len(seen) == len(backfill) + len(streamed):
                    return

        await asyncio.wait_for(collect(), timeout=30)
    ids = [item.id for item in seen]
    check(ids == [item.id for item in backfill + streamed],
          f"the subscriber saw {len(ids)} events, not the backfill then the stream in order")
    check(all(item.event == wanted for item in seen), "an event the filter excludes was streamed")
    check(seen[5].payload == {"index": 5}, f"payload {seen[5].payload}")

    async with get_client() as client:
        stored = await stored_count(client, f"swift.check.{unique}", len(backfill) + len(streamed) + len(ignored))
        check(stored.total == len(backfill) + len(streamed) + len(ignored),
              f"{stored.total} events stored, not {len(backfill) + len(streamed) + len(ignored)}")
    print(f"check-python-event-sockets: {len(seen)} events through the websockets, {stored.total} stored")


asyncio.run(main())
