"""Scenarios for the resources of the embedded server's part 2 (variables, and later work
pools, queues, workers and deployments), recorded by `record-orchestration.py --set resources`
into Tests/PrefectServerTests/Fixtures/resources.json.

Answers are projected generically (`project_resource`): ids become <id>, timestamps <time>, the
scenario's unique part of names <unique>, and `id`, `created` and `updated` members are left
out; the rest must agree member for member.
"""
from __future__ import annotations

import re

UUID_PATTERN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
TIME_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
VOLATILE = {"id", "created", "updated"}


def project_resource(status: int, body, unique: str):
    """The part of an answer that must agree between servers (mirrored in the Swift test)."""
    if isinstance(body, dict) and "exception_detail" in body:
        return {"exception_message": body.get("exception_message"),
                "errors": [{"type": e.get("type"), "loc": generic(e.get("loc"), unique), "msg": generic(e.get("msg"), unique)}
                           for e in body["exception_detail"]]}
    return generic(body, unique)


def generic(value, unique: str):
    if isinstance(value, dict):
        return {k: generic(v, unique) for k, v in sorted(value.items()) if k not in VOLATILE}
    if isinstance(value, list):
        return [generic(v, unique) for v in value]
    if isinstance(value, str):
        if UUID_PATTERN.match(value):
            return "<id>"
        if TIME_PATTERN.match(value):
            return "<time>"
        return value.replace(unique, "<unique>")
    return value


def variable(name: str, value, capture: str | None = None, **extra) -> dict:
    step = {"method": "POST", "path": "/variables/", "body": {"name": name, "value": value, **extra}}
    if capture:
        step["capture"] = {capture: "id"}
    return step


def variables() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    mine = "var_{unique}"
    out["variables: create, conflict, read, update, delete"] = [
        variable(mine, {"k": [1, 2.5, "x"], "n": None, "b": True}, capture="var", tags=["a", "b"]),
        variable(mine, "again"),
        {"method": "GET", "path": "/variables/{var}"},
        {"method": "GET", "path": "/variables/name/" + mine},
        {"method": "GET", "path": "/variables/name/missing_{unique}"},
        {"method": "GET", "path": "/variables/{uuid}"},
        {"method": "PATCH", "path": "/variables/{var}", "body": {"value": "text"}},
        {"method": "GET", "path": "/variables/{var}"},
        {"method": "PATCH", "path": "/variables/name/" + mine, "body": {"tags": []}},
        {"method": "GET", "path": "/variables/name/" + mine},
        {"method": "PATCH", "path": "/variables/name/" + mine, "body": {"value": None}},
        {"method": "GET", "path": "/variables/{var}"},
        {"method": "PATCH", "path": "/variables/{var}", "body": {}},
        {"method": "GET", "path": "/variables/{var}"},
        variable("other_{unique}", 7, capture="other"),
        {"method": "PATCH", "path": "/variables/{var}", "body": {"name": "other_{unique}"}},
        {"method": "PATCH", "path": "/variables/{var}", "body": {"name": "renamed_{unique}"}},
        {"method": "GET", "path": "/variables/name/renamed_{unique}"},
        {"method": "PATCH", "path": "/variables/name/missing_{unique}", "body": {"value": 1}},
        {"method": "PATCH", "path": "/variables/{uuid}", "body": {"value": 1}},
        {"method": "DELETE", "path": "/variables/{var}"},
        {"method": "DELETE", "path": "/variables/{var}"},
        {"method": "DELETE", "path": "/variables/name/other_{unique}"},
        {"method": "DELETE", "path": "/variables/name/other_{unique}"},
        {"method": "GET", "path": "/variables/{other}"},
    ]
    like = {"name": {"like_": "{unique}"}}
    out["variables: filter, sort, page, count"] = [
        variable("b_{unique}", 1, capture="b", tags=["blue", "green"]),
        variable("a_{unique}", 2, capture="a", tags=["blue"]),
        variable("c_{unique}", [3], tags=[]),
        {"method": "POST", "path": "/variables/filter", "body": {"variables": like}},
        {"method": "POST", "path": "/variables/filter", "body": {"variables": like, "sort": "NAME_DESC"}},
        {"method": "POST", "path": "/variables/filter", "body": {"variables": like, "sort": "CREATED_DESC"}},
        {"method": "POST", "path": "/variables/filter", "body": {"variables": like, "sort": "NAME_ASC", "limit": 1, "offset": 1}},
        {"method": "POST", "path": "/variables/filter", "body": {"variables": {**like, "tags": {"all_": ["blue"]}}}},
        {"method": "POST", "path": "/variables/filter",
         "body": {"variables": {**like, "tags": {"all_": ["blue", "green"]}}}},
        {"method": "POST", "path": "/variables/filter", "body": {"variables": {**like, "tags": {"is_null_": True}}}},
        {"method": "POST", "path": "/variables/filter", "body": {"variables": {**like, "tags": {"is_null_": False}}}},
        {"method": "POST", "path": "/variables/filter", "body": {"variables": {"id": {"any_": ["{a}", "{b}"]}}}},
        {"method": "POST", "path": "/variables/filter",
         "body": {"variables": {"name": {"any_": ["a_{unique}", "c_{unique}", "zz_{unique}"]}}}},
        {"method": "POST", "path": "/variables/filter",
         "body": {"variables": {"operator": "or_", "id": {"any_": ["{a}"]}, "name": {"any_": ["c_{unique}"]}}}},
        {"method": "POST", "path": "/variables/count", "body": {"variables": like}},
        {"method": "POST", "path": "/variables/count", "body": {"variables": {**like, "tags": {"all_": ["green"]}}}},
        {"method": "POST", "path": "/variables/count", "body": {"variables": {"name": {"any_": ["nothing_{unique}"]}}}},
    ]
    out["variables: validation"] = [
        variable("Bad Name {unique}", 1),
        variable("a" * 256, 1),
        variable("long_ok_{unique}", "x" * 4998),
        variable("long_bad_{unique}", "x" * 4999),
        variable("dashes-and_underscores-{unique}", None),
        {"method": "POST", "path": "/variables/", "body": {"name": "no_value_{unique}"}},
        {"method": "POST", "path": "/variables/", "body": {"value": 1}},
        variable("extra_{unique}", 1, bogus=True),
        variable("tags_{unique}", 1, tags="not-a-list"),
        {"method": "POST", "path": "/variables/", "body": {"name": 5, "value": 1}},
        {"method": "POST", "path": "/variables/filter", "body": {"sort": "SIDEWAYS"}},
        {"method": "POST", "path": "/variables/filter", "body": {"limit": 201}},
        {"method": "POST", "path": "/variables/filter", "body": {"offset": -1}},
        {"method": "POST", "path": "/variables/count", "body": {"variables": {"operator": "xor_"}}},
        variable("patch_me_{unique}", 1),
        {"method": "PATCH", "path": "/variables/name/patch_me_{unique}", "body": {"name": "Not Valid"}},
        {"method": "PATCH", "path": "/variables/name/patch_me_{unique}", "body": {"bogus": 1}},
        {"method": "PATCH", "path": "/variables/name/patch_me_{unique}", "body": {"value": "y" * 5000}},
        {"method": "DELETE", "path": "/variables/name/patch_me_{unique}"},
        {"method": "DELETE", "path": "/variables/name/long_ok_{unique}"},
        {"method": "DELETE", "path": "/variables/name/dashes-and_underscores-{unique}"},
    ]
    return out


def scenarios() -> dict[str, list[dict]]:
    return {**variables()}
