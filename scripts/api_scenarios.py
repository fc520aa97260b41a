"""Scenarios of the API's edges, recorded by `record-orchestration.py --set api` into
Tests/PrefectServerTests/Fixtures/api.json: the root routes, unknown routes and methods, the
X-PREFECT-API-VERSION header, path ids, bodies that are not what a route reads, basic auth
and CSRF protection (on servers of their own), and every route the other sets leave out, so
that each route the embedded server serves and each status it can answer is recorded once.

Record them on fresh servers, with services on (Prefect persists events in a service): some
routes have no filter (`/concurrency_limits/filter`, `/admin/storage`), so their answers are
the server's whole contents, which only this set writes.

A scenario is a list of steps, or {"server": "auth" | "csrf", "steps": [...]} for one that
needs such a server. A step {"wait": S} makes the recorder wait S seconds (Prefect's event
persister writes events in the background; the embedded server stores them at once, and the
replay does not wait).
"""
from __future__ import annotations

from resource_scenarios import delete, get, patch, post

# A filter that matches nothing, for steps about the rest of a body.
NONE = {"flows": {"name": {"any_": ["none-{unique}"]}}}
BASIC_AUTH = "Basic cmVjb3JkZXI6ZGlmZmVyZW50aWFs"  # recorder:differential
WRONG_AUTH = "Basic cmVjb3JkZXI6d3Jvbmc="  # recorder:wrong


def put(path: str, body) -> dict:
    return {"method": "PUT", "path": path, "body": body}


def with_headers(step: dict, **headers: str) -> dict:
    return {**step, "headers": {name.replace("_", "-"): value for name, value in headers.items()}}


def flow(name: str = "api-{unique}", capture: str = "flow", **extra) -> dict:
    return post("/flows/", {"name": name, **extra}, capture={capture: "id"})


def root() -> dict:
    out: dict = {}
    out["root: health, ready, hello, versions"] = [
        get("/health"), get("/ready"), get("/hello"), get("/version"), get("/admin/version"),
    ]
    out["root: unknown routes and methods"] = [
        get("/nope"),
        get("/health/"),
        post("/flows/filter/", {}),
        post("/flows", {"name": "api-{unique}"}),
        get("/block_capabilities"),
        get("/block_capabilities/"),
        get("/flows/filter"),
        {"method": "PUT", "path": "/flows/", "body": {}},
        {"method": "DELETE", "path": "/health"},
        {"method": "PATCH", "path": "/version", "body": {}},
        {"method": "POST", "path": "/flow_runs/{uuid}", "body": {}},
        get("/flow_runs/{uuid}/nope"),
    ]
    out["root: the API version header"] = [
        with_headers(post("/flows/filter", {"limit": 1}), X_PREFECT_API_VERSION="banana"),
        with_headers(post("/flows/filter", {"limit": 1}), X_PREFECT_API_VERSION="1.2"),
        with_headers(post("/flows/filter", {"limit": 1}), X_PREFECT_API_VERSION="0.7.9"),
        with_headers(post("/flows/filter", {**NONE, "limit": 1}), X_PREFECT_API_VERSION="0.8.0"),
        with_headers(post("/flows/filter", {**NONE, "limit": 1}), X_PREFECT_API_VERSION="99.1.2"),
        with_headers(get("/health"), X_PREFECT_API_VERSION="banana"),
        with_headers(get("/version"), X_PREFECT_API_VERSION="banana"),
        with_headers(flow(), X_PREFECT_API_VERSION="x.y.z"),
    ]
    out["root: ids in paths"] = [
        flow(),
        get("/flows/{uuid}"),
        get("/flows/00000000000040008000000000000000"),
        get("/flows/not-a-uuid"),
        get("/flow_runs/not-a-uuid"),
        get("/task_runs/12345678-1234-1234-1234-12345678901"),
        delete("/flows/not-a-uuid"),
        patch("/flows/not-a-uuid", {"tags": []}),
    ]
    out["root: bodies a route cannot read"] = [
        {"method": "POST", "path": "/flows/", "raw_body": '{"name": '},
        {"method": "POST", "path": "/flows/", "raw_body": '{"name": "a",}'},
        {"method": "POST", "path": "/flows/", "raw_body": "nope"},
        {"method": "POST", "path": "/flows/", "raw_body": ""},
        {**patch("/flows/{uuid}", {"tags": ["{pad:17000000}"]}), "deviation": {
            "status": 413, "response": {"detail": "Request body is larger than 16777216 bytes."},
            "why": "Prefect reads a body of any size; the embedded server reads at most 16 MiB (APIBody.maximumSize)"}},
        {"method": "POST", "path": "/flows/", "body": ["api-{unique}"]},
        {"method": "POST", "path": "/flows/", "body": "api-{unique}"},
        {"method": "POST", "path": "/flows/", "body": None},
        {"method": "POST", "path": "/flows/filter", "body": []},
        {"method": "POST", "path": "/flow_runs/filter", "body": {"flow_runs": {"start_time": {"after_": "not a date"}}}},
        {"method": "POST", "path": "/flow_runs/filter", "body": {"flow_runs": {"start_time": {"after_": "2020-13-01"}}}},
        {"method": "POST", "path": "/flow_runs/filter", "body": {"flow_runs": {"id": {"any_": ["nope"]}}}},
        {"method": "POST", "path": "/flow_runs/filter", "body": {"flow_runs": {"tags": {"all_": "etl"}}}},
        {"method": "POST", "path": "/flow_runs/filter", "body": {"flow_runs": {"tags": {"all_": ["etl"], "zzz": 1}}}},
        {"method": "POST", "path": "/flows/filter", "body": {"flows": {"name": {"like_": "x", "nope": True}}}},
        {"method": "POST", "path": "/flows/filter", "body": {"flows": {"zzz": {}}}},
        {"method": "POST", "path": "/task_runs/filter", "body": {"task_runs": {"state": {"name": {"any_": ["x"], "q": 1}}}}},
        {"method": "POST", "path": "/deployments/filter", "body": {"deployments": {"tags": {"all_": ["x"], "bad": 1}}}},
        {"method": "POST", "path": "/flows/filter", "body": {**NONE, "limit": "ten"}},
        {"method": "POST", "path": "/flows/filter", "body": {**NONE, "limit": 1.5}},
        {"method": "POST", "path": "/flows/filter", "body": {**NONE, "limit": True}},
        {"method": "POST", "path": "/flows/filter", "body": {**NONE, "limit": "3"}},
        {"method": "POST", "path": "/flows/filter", "body": {**NONE, "offset": -1}},
        # Prefect's clients send every parameter, unset ones as null (their defaults).
        {"method": "POST", "path": "/flow_runs/filter", "body": {
            "flows": None, "flow_runs": {"id": {"any_": ["{uuid}"]}}, "task_runs": None, "deployments": None,
            "work_pools": None, "work_pool_queues": None, "sort": None, "limit": None, "offset": None}},
        {"method": "POST", "path": "/flow_runs/count", "body": {"flows": None, "flow_runs": {"id": {"any_": ["{uuid}"]}}}},
    ]
    return out


def flows() -> dict:
    out: dict = {}
    out["flows: names Prefect refuses"] = [
        post("/flows/", {"name": "a/{unique}"}),
        post("/flows/", {"name": "a%{unique}"}),
        post("/flows/", {"name": "a&{unique}"}),
        post("/flows/", {"name": "a>{unique}"}),
        post("/flows/", {"name": ""}),
        post("/flows/", {"name": "a b.{unique}"}),
    ]
    out["flows: read by name, update, delete"] = [
        flow(tags=["a"], labels={"team": "x"}),
        get("/flows/name/api-{unique}"),
        get("/flows/name/missing-{unique}"),
        patch("/flows/{flow}", {"tags": ["b", "c"]}),
        patch("/flows/{flow}", {"name": "other"}),
        patch("/flows/{uuid}", {"tags": []}),
        get("/flows/{flow}"),
        delete("/flows/{flow}"),
        delete("/flows/{flow}"),
        get("/flows/{flow}"),
    ]
    out["flows: tag filters and pages"] = [
        flow("api-{unique}-1", "fa", tags=["x"]),
        flow("api-{unique}-2", "fb", tags=["x", "y"]),
        flow("api-{unique}-3", "fc", tags=[]),
        post("/flows/filter", {"flows": {"name": {"like_": "{unique}"}, "tags": {"all_": ["x"]}}, "sort": "NAME_ASC"}),
        post("/flows/filter", {"flows": {"name": {"like_": "{unique}"}, "tags": {"all_": ["x", "y"]}}, "sort": "NAME_ASC"}),
        post("/flows/filter", {"flows": {"name": {"like_": "{unique}"}, "tags": {"is_null_": True}}, "sort": "NAME_ASC"}),
        post("/flows/count", {"flows": {"name": {"like_": "{unique}"}, "tags": {"all_": ["x"]}}}),
        post("/flows/paginate", {"flows": {"name": {"like_": "{unique}"}}, "sort": "NAME_DESC", "limit": 2, "page": 1}),
        post("/flows/paginate", {"flows": {"name": {"like_": "{unique}"}}, "sort": "NAME_DESC", "limit": 2, "page": 2}),
        post("/flows/paginate", {"flows": {"name": {"like_": "{unique}"}}, "sort": "NAME_DESC", "limit": 2, "page": 3}),
        post("/flows/paginate", {"flows": {"name": {"like_": "{unique}"}, "tags": {"all_": ["x"]}}, "sort": "NAME_ASC"}),
        post("/flows/paginate", {"page": 0}),
        post("/flows/paginate", {"limit": 201}),
        post("/deployments/", {"name": "da", "flow_id": "{fa}", "tags": ["x"]}),
        post("/deployments/", {"name": "db", "flow_id": "{fb}", "tags": ["x", "y"]}),
        post("/deployments/", {"name": "dc", "flow_id": "{fc}", "tags": []}),
        post("/deployments/filter", {"flows": {"name": {"like_": "{unique}"}}, "deployments": {"tags": {"all_": ["x"]}},
                                     "sort": "NAME_ASC"}),
        post("/deployments/count", {"flows": {"name": {"like_": "{unique}"}}, "deployments": {"tags": {"all_": ["y"]}}}),
        post("/deployments/paginate", {"flows": {"name": {"like_": "{unique}"}}, "deployments": {"tags": {"all_": ["x"]}},
                                       "sort": "NAME_ASC", "limit": 1}),
        post("/flows/filter", {"deployments": {"tags": {"all_": ["y"]}}, "flows": {"name": {"like_": "{unique}"}}}),
    ]
    return out


def flow_runs() -> dict:
    out: dict = {}
    mine = {"flows": {"id": {"any_": ["{flow}"]}}}
    out["flow runs: labels, delete, states by id, pages"] = [
        flow(),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "a", "labels": {"z": 1, "a": "x"}}, capture={"run": "id",
                                                                                                      "state": "state.id"}),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "b", "tags": ["t"]}, capture={"b": "id"}),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "c"}, capture={"c": "id"}),
        patch("/flow_runs/{run}/labels", {"k": "v", "a": "y"}),
        patch("/flow_runs/{uuid}/labels", {"k": "v"}),
        get("/flow_runs/{run}"),
        get("/flow_run_states/{state}"),
        get("/flow_run_states/{uuid}"),
        post("/flow_runs/paginate", {**mine, "sort": "NAME_ASC", "limit": 2}),
        post("/flow_runs/paginate", {**mine, "sort": "NAME_ASC", "limit": 2, "page": 2}),
        post("/flow_runs/paginate", {**mine, "flow_runs": {"tags": {"all_": ["t"]}}}),
        post("/flow_runs/paginate", {**mine, "page": 0}),
        delete("/flow_runs/{c}"),
        delete("/flow_runs/{c}"),
        post("/flow_runs/count", mine),
    ]
    out["flow runs: a label Prefect cannot read back"] = [
        flow(),
        post("/flow_runs/", {"flow_id": "{flow}"}, capture={"run": "id"}),
        patch("/flow_runs/{run}/labels", {"bad": [1]}),
        {**get("/flow_runs/{run}"), "deviation": {
            "status": 200, "response": None,
            "why": "Prefect stores the list label and then fails to read the run back (500); the embedded server answers the run"}},
    ]
    out["flow runs: inputs"] = [
        flow(),
        post("/flow_runs/", {"flow_id": "{flow}", "state": {"type": "RUNNING"}}, capture={"run": "id"}),
        post("/flow_runs/{run}/input", {"key": "answer", "value": '{"b": 1, "a": [2]}'}),
        post("/flow_runs/{run}/input", {"key": "answer", "value": "again"}),
        post("/flow_runs/{run}/input", {"key": "other-{unique}", "value": "x", "sender": "me"}),
        {**post("/flow_runs/{run}/input", {"key": "bad key!", "value": "x"}), "deviation": {
            "status": 422, "response": {
                "exception_message": "Invalid request received.", "exception_detail": [{
                    "type": "value_error", "loc": ["body", "key"],
                    "msg": "Value error, value must only contain lowercase letters, numbers, and dashes.", "input": "bad key!",
                    "ctx": {"error": {}}}],
                "request_body": {"key": "bad key!", "value": "x"}},
            "why": "Prefect checks the key when it builds core.FlowRunInput inside the route and lets the error out as a 500"}},
        post("/flow_runs/{uuid}/input", {"key": "k", "value": "x"}),
        get("/flow_runs/{run}/input/answer"),
        get("/flow_runs/{run}/input/missing"),
        post("/flow_runs/{run}/input/filter", {"prefix": "other"}),
        post("/flow_runs/{run}/input/filter", {"prefix": "", "limit": 1, "exclude_keys": ["answer"]}),
        delete("/flow_runs/{run}/input/answer"),
        delete("/flow_runs/{run}/input/answer"),
        post("/flow_runs/{run}/input/filter", {"prefix": ""}),
    ]
    return out


def task_runs() -> dict:
    out: dict = {}
    out["task runs: update, states by id, delete, pages"] = [
        flow(),
        post("/flow_runs/", {"flow_id": "{flow}", "state": {"type": "RUNNING"}}, capture={"run": "id"}),
        post("/task_runs/", {"flow_run_id": "{run}", "task_key": "k", "dynamic_key": "0", "name": "t0"},
             capture={"task": "id", "state": "state.id"}),
        post("/task_runs/", {"flow_run_id": "{run}", "task_key": "k", "dynamic_key": "1", "name": "t1", "tags": ["x"]},
             capture={"second": "id"}),
        patch("/task_runs/{task}", {"name": "renamed"}),
        patch("/task_runs/{task}", {"zzz": 1}),
        patch("/task_runs/{uuid}", {"name": "x"}),
        get("/task_runs/{task}"),
        get("/task_run_states/{state}"),
        get("/task_run_states/{uuid}"),
        get("/task_run_states/?task_run_id={task}"),
        get("/task_run_states/"),
        post("/task_runs/paginate", {"flow_runs": {"id": {"any_": ["{run}"]}}, "sort": "NAME_DESC", "limit": 1}),
        post("/task_runs/paginate", {"flow_runs": {"id": {"any_": ["{run}"]}}, "task_runs": {"tags": {"all_": ["x"]}}}),
        delete("/task_runs/{second}"),
        delete("/task_runs/{second}"),
        post("/task_runs/count", {"flow_runs": {"id": {"any_": ["{run}"]}}}),
    ]
    return out


def logs() -> dict:
    out: dict = {}
    out["logs: create, filter, refuse"] = [
        flow(),
        post("/flow_runs/", {"flow_id": "{flow}"}, capture={"run": "id"}),
        post("/logs/", [
            {"name": "a", "level": 20, "message": "first", "timestamp": "2024-01-01T00:00:01Z", "flow_run_id": "{run}"},
            {"name": "b", "level": 40, "message": "second", "timestamp": "2024-01-01T00:00:02+00:00", "flow_run_id": "{run}"},
            {"name": "c", "level": 10, "message": "third", "timestamp": "2024-01-01T00:00:03.5Z", "flow_run_id": "{run}"},
        ]),
        post("/logs/filter", {"logs": {"flow_run_id": {"any_": ["{run}"]}}, "sort": "TIMESTAMP_ASC"}),
        post("/logs/filter", {"logs": {"flow_run_id": {"any_": ["{run}"]}, "level": {"ge_": 20}}, "sort": "TIMESTAMP_DESC"}),
        post("/logs/filter", {"logs": {"flow_run_id": {"any_": ["{run}"]}}, "limit": 1, "offset": 1, "sort": "LEVEL_DESC"}),
        post("/logs/filter", {"logs": {"flow_run_id": {"any_": ["{run}"]}, "timestamp": {"before_": "2024-01-01T00:00:02Z"}}}),
        post("/logs/filter", {"sort": "NOPE"}),
        post("/logs/", [{"name": "a", "level": "high", "message": "m", "timestamp": "x"}]),
        post("/logs/", [{"level": 20, "message": "m"}]),
        post("/logs/", {"name": "a", "level": 20, "message": "m", "timestamp": "2024-01-01T00:00:00Z"}),
        post("/logs/", []),
    ]
    return out


def events() -> dict:
    out: dict = {}
    event = {"event": "api.tested.{unique}", "resource": {"prefect.resource.id": "api.resource.{unique}", "b": "2", "a": "1"},
             "payload": {"z": 1, "y": [2]}, "id": "{uuid}", "occurred": "2026-01-01T00:00:00Z"}
    mine = {"filter": {"event": {"prefix": ["api.tested.{unique}"]},
                       "occurred": {"since": "2025-12-31T00:00:00Z", "until": "2026-01-02T00:00:00Z"}}}
    out["events: emit, filter, pages, counts"] = [
        post("/events", [event]),
        post("/events", [event]),
        post("/events", [{**event, "id": "00000000-0000-4000-8000-{unique}0000", "occurred": "2026-01-01T01:00:00Z"}]),
        post("/events", [{"event": "x"}]),
        {"wait": 8},
        post("/events/filter", mine),
        post("/events/filter", {**mine, "limit": 1}),
        post("/events/filter", {**mine, "order": "ASC"}),
        post("/events/count-by/day", mine),
        post("/events/count-by/event", mine),
        post("/events/count-by/resource", mine),
        post("/events/count-by/nope", mine),
        get("/events/filter/next?page-token=nope"),
    ]
    out["events: filtered by related and any resource"] = related_resource_filters()
    return out


def related_resource_filters() -> list:
    """Events about two flow runs (A, B) of one flow, a second apart: one names run A in two
    roles, one is about run A itself (its own resource, not a related one), one names nothing
    related. Each filter by related, any or the event's own resource, by id (which the embedded
    server reads from the resource rows first) and otherwise, then pages and counts of them."""
    run_a, run_b, flow = "api.run.{unique}.a", "api.run.{unique}.b", "api.flow.{unique}"

    def event(number: int, name: str, resource: str, related: list) -> dict:
        return {"event": f"api.related.{{unique}}.{name}", "resource": {"prefect.resource.id": resource},
                "related": [{"prefect.resource.id": rid, "prefect.resource.role": role} for rid, role in related],
                "id": f"00000000-0000-4000-8000-{{unique}}000{number}", "occurred": f"2026-01-01T00:00:0{number}Z"}

    stored = [
        event(1, "a", "api.thing.{unique}.1", [(run_a, "flow-run"), (flow, "flow")]),
        event(2, "b", "api.thing.{unique}.2", [(run_a, "flow-run"), (run_a, "parent")]),
        event(3, "a", run_a, [(flow, "flow")]),
        event(4, "c", "api.thing.{unique}.3", [(run_b, "flow-run"), (flow, "flow")]),
        event(5, "a", "api.thing.{unique}.4", []),
    ]
    window = {"occurred": {"since": "2025-12-31T00:00:00Z", "until": "2026-01-02T00:00:00Z"}}

    def where(**members) -> dict:
        return {"filter": {**window, **members}}

    return [
        post("/events", stored),
        {"wait": 8},
        post("/events/filter", where(related={"id": [run_a]})),
        post("/events/filter", {**where(related={"id": [run_a]}), "limit": 1}),
        post("/events/filter", where(related={"id": [run_a], "role": ["parent"]}, order="ASC")),
        post("/events/filter", where(related={"role": ["parent"]}, event={"prefix": ["api.related.{unique}."]})),
        post("/events/filter", where(related={"id": [run_a, run_b]})),
        post("/events/filter", where(related=[{"id": [run_a]}, {"id": [flow], "role": ["flow"]}])),
        post("/events/filter", where(any_resource={"id": [run_a]}, order="ASC")),
        post("/events/filter", where(any_resource={"id": [run_a]}, event={"name": ["api.related.{unique}.a"]})),
        post("/events/filter", where(any_resource={"id_prefix": ["api.run.{unique}."]})),
        post("/events/filter", where(related={"id": [flow]}, any_resource={"id": [run_b]})),
        post("/events/filter", where(resource={"id": [run_a]})),
        post("/events/filter", where(resource={"id": [run_a, "api.thing.{unique}.2"]}, related={"role": ["parent"]})),
        post("/events/filter", where(resource={"id": [run_a, "api.thing.{unique}.1"]}, any_resource={"id": [flow]}, order="ASC")),
        post("/events/count-by/resource", where(resource={"id": [run_a, "api.thing.{unique}.3"]})),
        post("/events/count-by/event", where(related={"id": [run_a]})),
        post("/events/count-by/resource", where(any_resource={"id": [flow]})),
        post("/events/count-by/day", where(related={"id": [run_a, run_b]})),
    ]


def limits_and_admin() -> dict:
    out: dict = {}
    out["concurrency limits: filters of both APIs"] = [
        post("/concurrency_limits/", {"tag": "api-{unique}", "concurrency_limit": 2}),
        post("/concurrency_limits/filter", {"limit": 200}),
        post("/concurrency_limits/filter", {"offset": -1}),
        post("/v2/concurrency_limits/", {"name": "api-{unique}", "limit": 3}),
        post("/v2/concurrency_limits/filter", {"limit": 200}),
        post("/v2/concurrency_limits/filter", {"limit": 0}),
    ]
    out["admin: default result storage"] = [
        get("/admin/storage"),
        put("/admin/storage", {"default_result_storage_block_id": None}),
        put("/admin/storage", {"default_result_storage_block_id": "{uuid}"}),
        put("/admin/storage", {"zzz": 1}),
        get("/admin/storage"),
        delete("/admin/storage"),
        get("/admin/storage"),
    ]
    out["collections: views"] = [
        get("/collections/views/aggregate-worker-metadata"),
        get("/collections/views/nope"),
    ]
    out["openapi: the document"] = [
        {**get("/openapi.json"), "deviation": {
            "status": 200, "response": None,
            "why": "the embedded server's document is Prefect's, cut to the routes it serves (OpenAPIDocumentTests checks it)"}},
    ]
    out["blocks: capabilities and system types"] = [
        get("/block_capabilities/"),
        post("/block_types/install_system_block_types", {}),
        post("/block_types/filter", {"block_types": {"slug": {"any_": ["secret", "json"]}}}),
    ]
    return out


def protections() -> dict:
    out: dict = {}
    out["auth: basic auth on every route but the health checks"] = {"server": "auth", "steps": [
        get("/health"),
        get("/ready"),
        get("/version"),
        post("/flows/filter", {"limit": 0}),
        with_headers(post("/flows/filter", {"limit": 0}), Authorization=WRONG_AUTH),
        with_headers(post("/flows/filter", {"limit": 0}), Authorization="Bearer nope"),
        with_headers(post("/flows/filter", {"limit": 0}), Authorization=BASIC_AUTH),
        with_headers(get("/nope"), Authorization=BASIC_AUTH),
        get("/nope"),
    ]}
    out["csrf: tokens and protected writes"] = {"server": "csrf", "steps": [
        get("/csrf-token"),
        {**get("/csrf-token?client=api-{unique}"), "capture": {"token": "token"}},
        post("/flows/filter", {"limit": 0}),
        with_headers(post("/flows/filter", {"limit": 0}), Prefect_Csrf_Client="api-{unique}"),
        with_headers(post("/flows/filter", {"limit": 0}), Prefect_Csrf_Client="api-{unique}", Prefect_Csrf_Token="nope"),
        with_headers(post("/flows/filter", {"limit": 0}), Prefect_Csrf_Client="api-{unique}", Prefect_Csrf_Token="{token}"),
        with_headers(post("/flows/filter", {"limit": 0}), Prefect_Csrf_Client="other-{unique}", Prefect_Csrf_Token="{token}"),
        get("/flows/{uuid}"),
    ]}
    out["csrf: disabled"] = [
        get("/csrf-token?client=api-{unique}"),
        get("/csrf-token"),
    ]
    return out


def ui() -> dict:
    """The routes only Prefect's UI calls (`api/ui/*.py`, run history, lateness), each filtered
    to its scenario's flow so that other scenarios' runs do not count."""
    out: dict = {}
    mine = {"flows": {"id": {"any_": ["{flow}"]}}}

    def task(run: str | None, key: str, state: str | None, capture: str) -> dict:
        body = {"flow_run_id": None if run is None else "{%s}" % run, "task_key": key, "dynamic_key": "0", "name": key}
        if state:
            body["state"] = {"type": state}
        return post("/task_runs/", body, capture={capture: "id"})

    out["ui: flows' deployment counts and next runs"] = [
        flow(),
        flow("api-{unique}-b", capture="other"),
        post("/deployments/", {"name": "ui-{unique}", "flow_id": "{flow}"}),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "later", "state": {
            "type": "SCHEDULED", "state_details": {"scheduled_time": "{time:+7200}"}}}),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "next", "state": {
            "type": "SCHEDULED", "state_details": {"scheduled_time": "{time:+3600}"}}}),
        post("/flow_runs/", {"flow_id": "{other}", "name": "running", "state": {"type": "RUNNING"}}),
        post("/ui/flows/count-deployments", {"flow_ids": ["{other}", "{flow}", "{other}"]}),
        post("/ui/flows/next-runs", {"flow_ids": ["{flow}", "{other}", "{uuid}"]}),
        post("/ui/flows/count-deployments", {}),
        post("/ui/flows/next-runs", {"flow_ids": ["not-an-id"]}),
        post("/ui/flows/count-deployments", {"flow_ids": ["{flow}"] * 201}),
    ]
    out["ui: flow run history and task-run counts"] = [
        flow(),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "done", "state": {"type": "COMPLETED"}}, capture={"done": "id"}),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "busy", "state": {"type": "RUNNING"}}, capture={"busy": "id"}),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "soon", "state": {
            "type": "SCHEDULED", "state_details": {"scheduled_time": "{time:+600}"}}}),
        task("busy", "first", "RUNNING", "first"),
        task("busy", "second", None, "second"),
        task("busy", "subflow", "RUNNING", "subtask"),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "child", "parent_task_run_id": "{subtask}", "state": {"type": "RUNNING"}}),
        post("/ui/flow_runs/history", mine),
        post("/ui/flow_runs/history", {**mine, "sort": "NAME_ASC", "limit": 2, "offset": 1}),
        post("/ui/flow_runs/history", {**mine, "limit": 1001}),
        post("/ui/flow_runs/history", {**mine, "sort": "SIDEWAYS"}),
        post("/ui/flow_runs/count-task-runs", {"flow_run_ids": ["{busy}", "{done}"]}),
        post("/ui/flow_runs/count-task-runs", {"flow_run_ids": "{busy}"}),
    ]
    def graph_task(key: str, state: str, inputs: dict, capture: str) -> dict:
        return post("/task_runs/", {"flow_run_id": "{run}", "task_key": key, "dynamic_key": "0", "name": key,
                                    "state": {"type": state}, "task_inputs": inputs}, capture={capture: "id"})

    def ref(name: str) -> dict:
        return {"input_type": "task_run", "id": "{%s}" % name}

    out["ui: a flow run's graph"] = [
        flow(),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "graphed", "state": {"type": "RUNNING"}}, capture={"run": "id"}),
        graph_task("first", "COMPLETED", {}, "first"),
        graph_task("second", "RUNNING", {"x": [ref("first")], "y": [ref("first"), {"input_type": "parameter", "name": "p"}],
                                         "z": []}, "second"),
        graph_task("wrapper", "RUNNING", {"a": [ref("second")], "__parents__": [ref("first")]}, "wrapper"),
        graph_task("pending", "PENDING", {}, "pending"),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "sub", "parent_task_run_id": "{wrapper}", "state": {"type": "RUNNING"}}),
        post("/artifacts/", {"key": "graph-{unique}", "type": "markdown", "data": "# one", "flow_run_id": "{run}"}),
        post("/artifacts/", {"type": "progress", "data": 50.0, "flow_run_id": "{run}", "task_run_id": "{second}"}),
        post("/artifacts/", {"key": "graph-{unique}", "type": "markdown", "data": "# two", "flow_run_id": "{run}"}),
        post("/artifacts/", {"type": "result", "data": "r", "flow_run_id": "{run}"}),
        get("/flow_runs/{run}/graph-v2"),
        get("/flow_runs/{run}/graph-v2?since=2999-01-01T00:00:00Z"),
        get("/flow_runs/{run}/graph-v2?since=2020-01-01X00:00:00Z"),
        get("/flow_runs/{uuid}/graph-v2"),
        get("/flow_runs/{run}/graph-v2?since=yesterday"),
    ]
    out["ui: saved searches"] = [
        put("/saved_searches/", {"name": "mine-{unique}", "filters": [
            {"object": "flow_run", "property": "state", "type": "string", "operation": "equals", "value": "Failed"},
            {"object": "flow", "property": "name", "type": "string", "operation": "contains", "value": {"z": 1, "a": [2]}}]}),
        put("/saved_searches/", {"name": "mine-{unique}", "filters": []}),
        {**put("/saved_searches/", {"name": "other-{unique}"}), "capture": {"search": "id"}},
        get("/saved_searches/{search}"),
        post("/saved_searches/filter", {"limit": 1}),
        put("/saved_searches/", {"name": "bad-{unique}", "filters": [{"object": "flow_run"}], "extra": 1}),
        put("/saved_searches/", {"filters": []}),
        delete("/saved_searches/{search}"),
        delete("/saved_searches/{search}"),
        get("/saved_searches/{search}"),
    ]
    out["ui: the Run form's values checked against a schema"] = [
        post("/variables/", {"name": "ui_limit_{unique}", "value": 5}),
        post("/ui/schemas/validate", {"schema": {
            "type": "object", "title": "Parameters",
            "properties": {
                "when": {"type": "string", "format": "date-time", "title": "when"},
                "day": {"type": "string", "format": "date"}, "id": {"type": "string", "format": "uuid"},
                "count": {"type": "integer"}, "items": {"type": "array", "items": {"type": "integer"}},
                "nested": {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
                "limit": {"type": "integer"}, "missing": {"type": "integer"}, "template": {"type": "integer"},
                "maybe": {"type": "string", "default": "x"},
            },
            "required": ["count", "absent"]},
            "values": {"when": "nope", "day": "2020-13-01", "id": "zz", "count": "1", "items": [1, "a", 2, "b"], "nested": {},
                       "limit": {"__prefect_kind": "workspace_variable", "variable_name": "ui_limit_{unique}"},
                       "missing": {"__prefect_kind": "workspace_variable", "variable_name": "nope_{unique}"},
                       "template": {"__prefect_kind": "jinja", "template": "{{ 1 + 1 }}"}, "maybe": None}}),
        post("/ui/schemas/validate", {"schema": {"type": "object", "properties": {"when": {"type": "string", "format": "date-time"}}},
                                      "values": {"when": "2026-01-02T03:04:05.5+01:00"}}),
        post("/ui/schemas/validate", {"schema": {"type": "nope"}, "values": {}}),
        post("/ui/schemas/validate", {"schema": {"type": "object"}}),
        post("/ui/schemas/validate", {"schema": {"$ref": "#/definitions/a", "definitions": {"a": {"$ref": "#/definitions/a"}}},
                                      "values": {"x": 1}}),
    ]
    out["admin: settings"] = [
        {**get("/admin/settings"), "deviation": {
            "status": 200, "response": None,
            "why": "the answer is each server's own environment; AdminSettingsTests compares it whole with Prefect's for the same "
                   "environments (Fixtures/admin-settings.json), check-ui-serving.py with a stock server's beside it"}},
    ]
    out["ui: task runs by state, the dashboard's chart, a task run with its flow run's name"] = [
        flow(),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "host", "state": {"type": "RUNNING"}}, capture={"run": "id"}),
        task("run", "ok", "RUNNING", "ok"),
        post("/task_runs/{ok}/set_state", {"state": {"type": "COMPLETED"}}),
        task("run", "bad", "RUNNING", "bad"),
        post("/task_runs/{bad}/set_state", {"state": {"type": "FAILED"}}),
        task("run", "going", "RUNNING", "going"),
        task(None, "alone-{unique}", "PENDING", "alone"),
        post("/ui/task_runs/count", mine),
        post("/ui/task_runs/count", {"task_runs": {"id": {"any_": ["{alone}"]}}}),
        # From 110 minutes ago to the end of this minute, in 20 intervals of 333 s: every run of
        # the scenario falls in the last one, whatever second of the minute it is.
        post("/ui/task_runs/dashboard/counts", {**mine, "task_runs": {"start_time": {"after_": "{time:-6600}"}}}),
        post("/ui/task_runs/dashboard/counts", mine),
        get("/ui/task_runs/{ok}"),
        get("/ui/task_runs/{alone}"),
        get("/ui/task_runs/{uuid}"),
    ]
    out["ui: run history by interval, lateness"] = [
        flow(),
        # Finished runs: a running run's time grows, and Prefect counts it in whole seconds.
        post("/flow_runs/", {"flow_id": "{flow}", "name": "now", "state": {"type": "COMPLETED"}}, capture={"run": "id"}),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "in-90s", "state": {
            "type": "SCHEDULED", "state_details": {"scheduled_time": "{time:+90}"}}}),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "in-150s", "state": {
            "type": "SCHEDULED", "state_details": {"scheduled_time": "{time:+150}"}}}),
        task("run", "step", "COMPLETED", "step"),
        post("/flow_runs/lateness", mine),
        post("/flow_runs/history", {**mine, "history_start": "{time:-60}", "history_end": "{time:+240}",
                                    "history_interval_seconds": 120}),
        post("/task_runs/history", {**mine, "history_start": "{time:-60}", "history_end": "{time:+60}",
                                    "history_interval_seconds": 3600}),
        post("/flow_runs/history", {**mine, "history_start": "{time:+60}", "history_end": "{time:-60}",
                                    "history_interval_seconds": 60}),
        post("/flow_runs/history", {"history_start": "{time:-60}", "history_end": "{time:+60}", "history_interval_seconds": 0.5}),
        post("/flow_runs/history", {"history_start": "{time:-60}"}),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "late", "state": {
            "type": "SCHEDULED", "state_details": {"scheduled_time": "{time:-3600}"}}}),
        post("/flow_runs/lateness", mine),
        post("/flow_runs/lateness", {"flows": {"id": {"any_": ["{uuid}"]}}}),
    ]
    return out


def scenarios() -> dict:
    return {**root(), **flows(), **flow_runs(), **task_runs(), **logs(), **events(), **limits_and_admin(), **protections(),
            **ui()}
