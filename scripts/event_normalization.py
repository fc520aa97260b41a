"""How the side-by-side event checks compare events: one place for what is normalized.

Normalized, and nothing else: ids (named by the caller, the others numbered by first
appearance, or all `<uuid>` when the events are compared as a sorted set, whose order would
change the numbers), the unique suffix and generated names of a run's objects (named by the
caller), times (every time a check makes is of that run, HTTP dates included), number
formatting (`0.0` is `0`), and `updated_fields`, a list Prefect builds from a set, compared
as a set. An event equal to the one before it is dropped (a stock server that answered 503,
its SQLite locked, and was retried announces the write twice)."""
import json
import re
import time

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TIME = re.compile(r'"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)"'
                  r'|"[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT"')


def settled(fetch, unique: str, at_least: int, names: dict | None = None, ordered: bool = True) -> list:
    """The normalized events once there are `at_least` of them and no more have come for 6 s
    (Prefect stores its events in batches, a few seconds after it makes them); sorted unless
    `ordered` (events that separate services make race each other)."""
    def current_events():
        events = normalized(fetch(), unique, names, number_ids=ordered)
        return events if ordered else sorted(events)

    events, since = current_events(), time.monotonic()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        time.sleep(0.5)
        current = current_events()
        if current != events:
            events, since = current, time.monotonic()
        elif len(events) >= at_least and time.monotonic() - since > 6:
            break
    return events


def integral(value):
    """The value with every whole float written as an integer."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: integral(item) for key, item in value.items()}
    if isinstance(value, list):
        return [integral(item) for item in value]
    return value


def normalized(events: list, unique: str, names: dict | None = None, number_ids: bool = True) -> list:
    """The events as comparable text. `names` maps ids (and generated names) to fixed names;
    other ids are numbered by first appearance, or all `<uuid>` without `number_ids`."""
    ids: dict = {key: value for key, value in (names or {}).items() if UUID.fullmatch(key)}
    texts = {key: value for key, value in (names or {}).items() if not UUID.fullmatch(key)}

    def number(match):
        if not number_ids and match.group(0) not in ids:
            return "<uuid>"
        return ids.setdefault(match.group(0), f"<id{len(ids)}>")

    result = []
    for event in events:
        payload = dict(event["payload"])
        if "updated_fields" in payload:
            payload["updated_fields"] = sorted(payload["updated_fields"])
        item = {
            "event": event["event"], "resource": event["resource"], "related": event["related"], "payload": payload,
            "follows": event["follows"] is not None,
        }
        text = UUID.sub(number, json.dumps(integral(item), sort_keys=True)).replace(unique, "<unique>")
        text = re.sub(r'"prefect.state-timestamp": "[^"]*"', '"prefect.state-timestamp": "<time>"', text)
        text = TIME.sub('"<time>"', text)
        for literal, name in texts.items():
            text = text.replace(literal, name)
        if not result or result[-1] != text:
            result.append(text)
    return result


