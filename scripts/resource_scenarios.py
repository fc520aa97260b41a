"""Scenarios for the resources of the embedded server's part 2 (variables, and later work
pools, queues, workers and deployments), recorded by `record-orchestration.py --set resources`
into Tests/PrefectServerTests/Fixtures/resources.json.

Answers are recorded whole and compared whole (see record-orchestration.py).
"""
from __future__ import annotations


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


def post(path: str, body=None, capture: dict | None = None) -> dict:
    step = {"method": "POST", "path": path, "body": {} if body is None else body}
    if capture:
        step["capture"] = capture
    return step


def get(path: str) -> dict:
    return {"method": "GET", "path": path}


def patch(path: str, body) -> dict:
    return {"method": "PATCH", "path": path, "body": body}


def delete(path: str) -> dict:
    return {"method": "DELETE", "path": path}


def queue_name_refused(name: str) -> dict:
    """A work-queue rename to a name that is not Prefect's `Name`: Prefect's `WorkQueueUpdate` stores
    it, and every read of that queue then answers 500; the embedded server refuses it as
    `WorkQueueCreate` does."""
    pattern = "^[^/%&><]+$"
    return {"status": 422, "why": "Prefect 3.9.1 stores a work-queue name WorkQueueResponse cannot read "
                                  "(every read of the queue and of any list it is in is then a 500)",
            "response": {"exception_message": "Invalid request received.", "exception_detail": [
                {"type": "string_pattern_mismatch", "loc": ["body", "name"], "msg": f"String should match pattern '{pattern}'",
                 "input": name, "ctx": {"pattern": pattern}}], "request_body": {"name": name}}}


def work_pools() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    pool = "pool-{unique}"
    mine = {"work_pools": {"name": {"any_": [pool, "other-{unique}"]}}}
    out["work pools: create, read, filter, update, statuses, delete"] = [
        post("/work_pools/", {"name": pool, "type": "process", "description": "d", "concurrency_limit": 2},
             capture={"pool": "id", "default_queue": "default_queue_id"}),
        post("/work_pools/", {"name": pool, "type": "process"}),
        post("/work_pools/", {"name": "Prefect-{unique}"}),
        post("/work_pools/", {"name": "bad/{unique}"}),
        post("/work_pools/", {"name": "  "}),
        post("/work_pools/", {"name": "neg-{unique}", "concurrency_limit": -1}),
        post("/work_pools/", {"name": "extra-{unique}", "zzz": 1}),
        post("/work_pools/", {"name": "tmpl-{unique}", "base_job_template": {"job_configuration": {"a": "{{ x }}"}}}),
        post("/work_pools/", {"name": "tmpl2-{unique}", "base_job_template": {
            "job_configuration": {"command": "{{ command }}", "env": "{{ env }}"},
            "variables": {"properties": {"command": {"type": "string"}}}}}),
        post("/work_pools/", {"name": "other-{unique}", "is_paused": True}),
        post("/work_pools/", {"name": "agent-{unique}", "type": "prefect-agent"}),
        get("/work_pools/" + pool),
        get("/work_pools/agent-{unique}"),
        get("/work_pools/missing-{unique}"),
        get("/work_pools/" + pool + "/queues/default"),
        post("/work_pools/filter", mine),
        post("/work_pools/filter", {**mine, "limit": 1, "offset": 1}),
        post("/work_pools/filter", {"work_pools": {"id": {"any_": ["{pool}"]}, "type": {"any_": ["process"]}}}),
        post("/work_pools/count", mine),
        post("/work_pools/count", {"work_pools": {"type": {"any_": ["no-such-type-{unique}"]}}}),
        patch("/work_pools/" + pool, {"is_paused": True}),
        get("/work_pools/" + pool),
        patch("/work_pools/" + pool, {"is_paused": False, "concurrency_limit": None, "description": None}),
        get("/work_pools/" + pool),
        post("/work_pools/" + pool + "/workers/heartbeat", {"name": "w1", "heartbeat_interval_seconds": 30}),
        get("/work_pools/" + pool),
        patch("/work_pools/" + pool, {"is_paused": True}),
        patch("/work_pools/" + pool, {"is_paused": False}),
        get("/work_pools/" + pool),
        patch("/work_pools/" + pool, {"zzz": 1}),
        patch("/work_pools/" + pool, {"concurrency_limit": -2}),
        patch("/work_pools/missing-{unique}", {"is_paused": True}),
        patch("/work_pools/prefect-missing-{unique}", {"description": "x"}),
        delete("/work_pools/prefect-missing-{unique}"),
        patch("/work_pools/agent-{unique}", {"is_paused": True}),
        get("/work_pools/agent-{unique}"),
        delete("/work_pools/" + pool),
        delete("/work_pools/" + pool),
        get("/work_pools/" + pool),
        get("/work_queues/{default_queue}"),
        delete("/work_pools/other-{unique}"),
        delete("/work_pools/agent-{unique}"),
        delete("/work_pools/tmpl2-{unique}"),
    ]
    queues = "/work_pools/qp-{unique}/queues"
    out["work pool queues: priorities, statuses, filter, update, delete"] = [
        post("/work_pools/", {"name": "qp-{unique}", "type": "process"}, capture={"pool": "id"}),
        post(queues, {"name": "b"}, capture={"b": "id"}),
        post(queues, {"name": "a", "priority": 1, "concurrency_limit": 3}, capture={"a": "id"}),
        post(queues, {"name": "c", "priority": 9}),
        post(queues, {"name": "d", "priority": 2, "is_paused": True}),
        post(queues, {"name": "e"}),
        post(queues, {"name": "a"}),
        post(queues, {"name": "bad/name"}),
        post(queues, {"name": "zero", "priority": 0}),
        post("/work_pools/missing-{unique}/queues", {"name": "x"}),
        post(queues + "/filter"),
        post(queues + "/filter", {"work_queues": {"name": {"startswith_": ["a", "C"]}}}),
        post(queues + "/filter", {"work_queues": {"name": {"any_": ["b", "e"]}}, "limit": 1}),
        post(queues + "/filter", {"work_queues": {"id": {"any_": ["{a}"]}}}),
        post("/work_pools/missing-{unique}/queues/filter"),
        get(queues + "/a"),
        get(queues + "/missing"),
        patch(queues + "/e", {"priority": 1}),
        post(queues + "/filter"),
        patch(queues + "/a", {"is_paused": True}),
        get(queues + "/a"),
        patch(queues + "/a", {"is_paused": False, "description": "again"}),
        get(queues + "/a"),
        patch(queues + "/d", {"is_paused": False}),
        get(queues + "/d"),
        patch(queues + "/b", {"name": "b2", "concurrency_limit": 0}),
        get(queues + "/b2"),
        patch(queues + "/b2", {"priority": -1}),
        patch(queues + "/missing", {"description": "x"}),
        {**delete(queues + "/default"), "deviation": {"status": 409, "response": {"detail": "Can't delete a pool's default queue."},
            "why": "Prefect 3.9.1 lets this ValueError out as a 500; the embedded server answers 409 with its reason"}},
        delete(queues + "/c"),
        delete(queues + "/c"),
        post(queues + "/filter"),
        get("/work_queues/{a}"),
        patch("/work_queues/{a}", {"priority": 2}),
        post(queues + "/filter"),
        get("/work_queues/{a}/status"),
        post("/work_queues/{a}/concurrency_status"),
        post("/work_queues/{a}/concurrency_status", {"page": 0}),
        get("/work_queues/{uuid}"),
        get("/work_queues/{uuid}/status"),
        post("/work_queues/{uuid}/concurrency_status"),
        patch("/work_queues/{uuid}", {"description": "x"}),
        delete("/work_queues/{uuid}"),
        post("/work_queues/", {"name": "legacy-{unique}", "work_pool_id": "{pool}"}),
        post("/work_queues/", {"name": "legacy-{unique}", "priority": 1}, capture={"legacy": "id"}),
        post("/work_queues/", {"name": "legacy-{unique}"}),
        get("/work_queues/name/legacy-{unique}"),
        post("/work_queues/filter", {"work_queues": {"name": {"startswith_": ["legacy-{unique}"]}}}),
        {**patch("/work_pools/default-agent-pool/queues/legacy-{unique}", {"name": ""}), "deviation": queue_name_refused("")},
        {**patch("/work_queues/{legacy}", {"name": "a/b"}), "deviation": queue_name_refused("a/b")},
        delete("/work_queues/{legacy}"),
        delete("/work_queues/{legacy}"),
        post("/work_pools/qp-{unique}/concurrency_status", {"limit": 2}),
        post("/work_pools/qp-{unique}/concurrency_status", {"flow_run_limit": 201}),
        post("/work_pools/missing-{unique}/concurrency_status"),
        delete("/work_pools/qp-{unique}"),
    ]
    workers = "/work_pools/wp-{unique}/workers"
    out["workers: heartbeat, filter, delete"] = [
        post("/work_pools/", {"name": "wp-{unique}", "type": "process"}),
        get("/work_pools/wp-{unique}"),
        post(workers + "/heartbeat", {"name": "w1"}),
        post(workers + "/heartbeat", {"name": "w2", "heartbeat_interval_seconds": 15}),
        post(workers + "/heartbeat", {"name": "w1", "heartbeat_interval_seconds": 45}),
        post(workers + "/heartbeat", {}),
        post("/work_pools/missing-{unique}/workers/heartbeat", {"name": "w"}),
        get("/work_pools/wp-{unique}"),
        post(workers + "/filter"),
        post(workers + "/filter", {"workers": {"status": {"any_": ["OFFLINE"]}}}),
        post(workers + "/filter", {"workers": {"status": {"not_any_": ["OFFLINE"]}}, "limit": 1}),
        post("/work_pools/missing-{unique}/workers/filter"),
        delete(workers + "/w2"),
        delete(workers + "/w2"),
        post(workers + "/filter"),
        delete("/work_pools/wp-{unique}"),
    ]
    runs = "/work_pools/rp-{unique}"
    out["scheduled runs for workers: priorities, limits, pauses, polls"] = [
        post("/flows/", {"name": "pool-runs-{unique}"}, capture={"flow": "id"}),
        post("/work_pools/", {"name": "rp-{unique}", "type": "process", "concurrency_limit": 4}),
        post(runs + "/queues", {"name": "high-{unique}", "priority": 1, "concurrency_limit": 2}, capture={"high": "id"}),
        post(runs + "/queues", {"name": "low-{unique}", "priority": 5}, capture={"low": "id"}),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "h1", "work_pool_name": "rp-{unique}", "work_queue_name": "high-{unique}",
                             "state": {"type": "SCHEDULED", "state_details": {"scheduled_time": "{time:-3000}"}}}),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "h2", "work_pool_name": "rp-{unique}", "work_queue_name": "high-{unique}",
                             "state": {"type": "SCHEDULED", "state_details": {"scheduled_time": "{time:-2000}"}}}),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "h3", "work_pool_name": "rp-{unique}", "work_queue_name": "high-{unique}",
                             "state": {"type": "SCHEDULED", "state_details": {"scheduled_time": "{time:-1000}"}}}),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "l1", "work_pool_name": "rp-{unique}", "work_queue_name": "low-{unique}",
                             "state": {"type": "SCHEDULED", "state_details": {"scheduled_time": "{time:-4000}"}}}),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "l2", "work_pool_name": "rp-{unique}", "work_queue_name": "low-{unique}",
                             "state": {"type": "SCHEDULED", "state_details": {"scheduled_time": "{time:+3600}"}}}),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "d1", "work_pool_name": "rp-{unique}",
                             "state": {"type": "SCHEDULED", "state_details": {"scheduled_time": "{time:-500}"}}},
             capture={"defaulted": "id"}),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "p1", "work_pool_name": "rp-{unique}", "work_queue_name": "high-{unique}",
                             "state": {"type": "PENDING"}}),
        post("/flow_runs/", {"flow_id": "{flow}", "work_pool_name": "rp-{unique}", "work_queue_name": "missing"}),
        post("/flow_runs/", {"flow_id": "{flow}", "work_pool_name": "missing-{unique}"}),
        get(runs + "/queues/high-{unique}"),
        post(runs + "/get_scheduled_flow_runs", {"scheduled_before": "{time:+60}"}),
        post(runs + "/get_scheduled_flow_runs"),
        post(runs + "/get_scheduled_flow_runs", {"work_queue_names": ["low-{unique}"]}),
        post(runs + "/get_scheduled_flow_runs", {"scheduled_after": "{time:-2500}", "scheduled_before": "{time:+60}"}),
        post(runs + "/get_scheduled_flow_runs", {"limit": 1}),
        post(runs + "/get_scheduled_flow_runs", {"work_queue_names": ["missing"]}),
        post("/work_pools/missing-{unique}/get_scheduled_flow_runs"),
        post(runs + "/queues/filter"),
        get("/work_queues/{high}/status"),
        post("/work_queues/{high}/get_runs", {"scheduled_before": "{time:+60}"}),
        post("/work_queues/{high}/get_runs", {"limit": 1}),
        post("/work_queues/{uuid}/get_runs"),
        post("/work_queues/{high}/concurrency_status"),
        post(runs + "/concurrency_status"),
        patch(runs + "/queues/high-{unique}", {"is_paused": True}),
        post(runs + "/get_scheduled_flow_runs", {"scheduled_before": "{time:+60}"}),
        post("/work_queues/{high}/get_runs"),
        patch("/work_pools/rp-{unique}", {"concurrency_limit": 1}),
        patch(runs + "/queues/high-{unique}", {"is_paused": False}),
        get(runs + "/queues/high-{unique}"),
        post(runs + "/get_scheduled_flow_runs", {"scheduled_before": "{time:+60}"}),
        patch("/work_pools/rp-{unique}", {"is_paused": True}),
        post(runs + "/get_scheduled_flow_runs"),
        get("/flow_runs/{defaulted}"),
        post("/flow_runs/filter", {"work_pools": {"name": {"any_": ["rp-{unique}"]}}, "sort": "NAME_ASC"}),
        post("/flow_runs/filter", {"work_pool_queues": {"name": {"any_": ["low-{unique}"]}}, "sort": "NAME_ASC"}),
        post("/flow_runs/count", {"work_pools": {"name": {"any_": ["rp-{unique}"]}},
                                  "work_pool_queues": {"name": {"startswith_": ["high"]}}}),
        post("/flow_runs/count", {"work_pools": {"name": {"any_": ["missing-{unique}"]}}}),
        post("/flows/filter", {"work_pools": {"name": {"any_": ["rp-{unique}"]}}}),
        post("/flows/count", {"work_pools": {"name": {"any_": ["missing-{unique}"]}}}),
        post("/task_runs/count", {"work_pools": {"name": {"any_": ["rp-{unique}"]}},
                                  "flow_runs": {"name": {"any_": ["h1-{unique}"]}}}),
        delete(runs + "/queues/low-{unique}"),
        post("/flow_runs/filter", {"flow_runs": {"name": {"any_": ["l1"]}}, "flows": {"id": {"any_": ["{flow}"]}}}),
        delete("/work_pools/rp-{unique}"),
        post("/flow_runs/filter", {"flow_runs": {"name": {"any_": ["h1"]}}, "flows": {"id": {"any_": ["{flow}"]}}}),
    ]
    return out


def flows() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    mine = {"name": {"like_": "tagged-{unique}"}}
    out["flows: tags, filter, count, paginate"] = [
        post("/flows/", {"name": "tagged-{unique}-x", "tags": ["x"]}, capture={"x": "id"}),
        post("/flows/", {"name": "tagged-{unique}-xy", "tags": ["x", "y"], "labels": {"b": 2, "a": 1}}),
        post("/flows/", {"name": "tagged-{unique}-none", "tags": []}),
        post("/flows/filter", {"flows": {**mine, "tags": {"all_": ["x"]}}, "sort": "NAME_ASC"}),
        post("/flows/filter", {"flows": {**mine, "tags": {"all_": ["x", "y"]}}}),
        post("/flows/filter", {"flows": {**mine, "tags": {"any_": ["y", "z"]}}}),
        post("/flows/filter", {"flows": {**mine, "tags": {"is_null_": True}}, "sort": "NAME_DESC"}),
        post("/flows/filter", {"flows": {**mine, "tags": {"is_null_": False}}, "sort": "NAME_DESC"}),
        post("/flows/filter", {"flows": {**mine, "id": {"not_any_": ["{x}"]}}, "sort": "CREATED_DESC"}),
        post("/flows/count", {"flows": {**mine, "tags": {"all_": ["x"]}}}),
        post("/flows/paginate", {"flows": {**mine, "tags": {"all_": ["x"]}}, "sort": "NAME_ASC", "limit": 1, "page": 2}),
        post("/flows/paginate", {"flows": {**mine, "tags": {"all_": ["x"]}}, "limit": 1, "page": 3}),
        post("/flows/", {"name": "tagged-{unique}-d", "tags": ["x"]}, capture={"d": "id"}),
        post("/deployments/", {"name": "tagged-{unique}-1", "flow_id": "{d}", "tags": ["p", "q"]}),
        post("/deployments/", {"name": "tagged-{unique}-2", "flow_id": "{d}", "tags": ["p"]}),
        post("/deployments/paginate", {"deployments": {**mine, "tags": {"all_": ["p"]}}, "sort": "NAME_ASC", "limit": 1}),
        post("/deployments/paginate", {"deployments": {**mine, "tags": {"all_": ["p", "q"]}}}),
        post("/flows/paginate", {"deployments": {**mine, "tags": {"all_": ["q"]}}}),
        post("/flows/filter", {"flows": {**mine, "deployment": {"is_null_": False}}}),
        post("/flows/count", {"flows": {**mine, "deployment": {"is_null_": True}}}),
        post("/flows/filter", {"flows": {**mine, "deployment": {"is_null_": None}, "id": {"not_any_": []}}}),
    ]
    served = {"name": {"like_": "served-{unique}"}}
    out["task runs and logs: the server's own filter members"] = [
        post("/flows/", {"name": "served-{unique}"}, capture={"flow": "id"}),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "served-{unique}"}, capture={"run": "id"}),
        post("/task_runs/", {"flow_run_id": "{run}", "task_key": "k-{unique}", "dynamic_key": "0",
                             "name": "served-{unique}-a",
                             "state": {"type": "SCHEDULED", "state_details": {"scheduled_time": "{time:+3600}"}}},
             capture={"a": "id"}),
        post("/task_runs/", {"task_key": "k-{unique}", "dynamic_key": "1", "name": "served-{unique}-b"}),
        post("/task_runs/filter", {"task_runs": {**served, "expected_start_time": {"after_": "{time:+1800}"}}}),
        post("/task_runs/filter", {"task_runs": {**served, "expected_start_time": {"before_": "{time:+1800}"}}}),
        post("/task_runs/filter", {"task_runs": {**served, "flow_run_id": {}}}),
        post("/task_runs/filter", {"task_runs": {**served, "flow_run_id": {"is_null_": True}}, "sort": "NAME_ASC"}),
        post("/task_runs/filter", {"task_runs": {**served, "flow_run_id": {"is_null_": None}}, "sort": "NAME_ASC"}),
        post("/task_runs/filter", {"task_runs": {**served, "flow_run_id": {"any_": ["{run}"], "is_null_": True}}}),
        post("/task_runs/count", {"task_runs": {**served, "flow_run_id": {"operator": "or_", "any_": ["{run}"]}}}),
        post("/logs/", [{"name": "n", "level": 20, "message": "flow {unique}", "timestamp": "{time:+0}", "flow_run_id": "{run}"},
                        {"name": "n", "level": 20, "message": "task {unique}", "timestamp": "{time:+1}",
                         "flow_run_id": "{run}", "task_run_id": "{a}"}]),
        post("/logs/filter", {"logs": {"flow_run_id": {"any_": ["{run}"]}, "task_run_id": {"is_null_": True}}}),
        post("/logs/filter", {"logs": {"flow_run_id": {"any_": ["{run}"]}, "task_run_id": {"is_null_": False}}}),
        post("/flow_runs/filter", {"flows": {"id": {"any_": ["{flow}"], "not_any_": ["{flow}"]}}}),
    ]
    return out


def deployments() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    flow = post("/flows/", {"name": "deployed-{unique}", "labels": {"team": "data"}}, capture={"flow": "id"})
    mine = {"deployments": {"name": {"like_": "{unique}"}}}
    out["deployments: create, upsert, read, filter, update, delete"] = [
        flow,
        post("/work_pools/", {"name": "dp-{unique}", "type": "process"}),
        post("/deployments/", {"name": "a-{unique}", "flow_id": "{flow}", "work_pool_name": "dp-{unique}",
                               "parameters": {"x": 1, "nested": {"y": [1, 2]}}, "tags": ["t1", "t2"],
                               "labels": {"env": "test"}, "description": "first", "version": "1",
                               "entrypoint": "flows.py:main", "path": ".", "job_variables": {"memory": 512},
                               "pull_steps": [{"prefect.deployments.steps.set_working_directory": {"directory": "/tmp"}}],
                               "parameter_openapi_schema": {"type": "object", "properties": {"x": {"type": "integer"}}}},
             capture={"a": "id"}),
        post("/deployments/", {"name": "b-{unique}", "flow_id": "{flow}", "work_pool_name": "dp-{unique}",
                               "work_queue_name": "fresh-{unique}", "paused": True, "tags": ["t2"]}, capture={"b": "id"}),
        post("/deployments/", {"name": "c-{unique}", "flow_id": "{flow}", "work_queue_name": "legacy-{unique}",
                               "enforce_parameter_schema": False}, capture={"c": "id"}),
        get("/work_pools/dp-{unique}/queues/fresh-{unique}"),
        get("/work_queues/name/legacy-{unique}"),
        post("/deployments/", {"name": "d-{unique}", "flow_id": "{flow}", "work_pool_name": "missing-{unique}"}),
        post("/deployments/", {"name": "d-{unique}", "flow_id": "{flow}", "work_pool_name": "missing-{unique}",
                               "work_queue_name": "q"}),
        post("/deployments/", {"name": "d-{unique}", "flow_id": "{flow}", "zzz": 1}),
        post("/deployments/", {"flow_id": "{flow}"}),
        post("/deployments/", {"name": "d-{unique}", "flow_id": "{flow}", "concurrency_limit": 0}),
        post("/deployments/", {"name": "d-{unique}", "flow_id": "{flow}", "concurrency_limit": 2,
                               "global_concurrency_limit_id": "{uuid}"}),
        post("/deployments/", {"name": "d-{unique}", "flow_id": "{flow}", "global_concurrency_limit_id": "{uuid}"}),
        post("/deployments/", {"name": "d-{unique}", "flow_id": "{flow}", "worker_pool_name": "old"}),
        get("/deployments/{a}"),
        get("/deployments/name/deployed-{unique}/a-{unique}"),
        get("/deployments/name/deployed-{unique}/missing"),
        get("/deployments/{uuid}"),
        post("/deployments/", {"name": "a-{unique}", "flow_id": "{flow}", "description": "second"}),
        get("/deployments/{a}"),
        post("/deployments/filter", mine),
        post("/deployments/filter", {**mine, "sort": "NAME_DESC", "limit": 2, "offset": 1}),
        post("/deployments/filter", {"deployments": {"tags": {"all_": ["t2"]}, "name": {"like_": "{unique}"}}}),
        post("/deployments/filter", {"deployments": {"paused": {"eq_": True}, "name": {"like_": "{unique}"}}}),
        post("/deployments/filter", {"deployments": {"flow_or_deployment_name": {"like_": "deployed-{unique}"}}}),
        post("/deployments/filter", {"deployments": {"work_queue_name": {"any_": ["legacy-{unique}"]}}}),
        post("/deployments/filter", {"work_pools": {"name": {"any_": ["dp-{unique}"]}}, "sort": "NAME_ASC"}),
        post("/deployments/filter", {"work_pool_queues": {"name": {"any_": ["fresh-{unique}"]}}}),
        post("/deployments/filter", {"flows": {"name": {"any_": ["deployed-{unique}"]}},
                                     "deployments": {"id": {"not_any_": ["{a}"]}}}),
        post("/deployments/filter", {**mine, "sort": "BOGUS"}),
        post("/deployments/count", mine),
        post("/deployments/count", {"deployments": {"tags": {"any_": ["t1"]}, "name": {"like_": "{unique}"}}}),
        post("/deployments/paginate", {**mine, "limit": 2, "page": 2}),
        post("/deployments/paginate", {**mine, "page": 0}),
        post("/flows/filter", {"deployments": {"name": {"any_": ["a-{unique}"]}}}),
        post("/flows/count", {"work_pools": {"name": {"any_": ["dp-{unique}"]}}}),
        patch("/deployments/{a}", {"description": "third", "parameters": {"x": 2}, "tags": ["t3"]}),
        get("/deployments/{a}"),
        patch("/deployments/{a}", {"work_pool_name": None}),
        get("/deployments/{a}"),
        patch("/deployments/{a}", {"work_pool_name": "dp-{unique}", "work_queue_name": "fresh-{unique}"}),
        get("/deployments/{a}"),
        {**patch("/deployments/{a}", {"work_pool_name": "missing-{unique}"}),
         # 3.9.1 reads the missing pool's base_job_template and lets the AttributeError out as a 500.
         "deviation": {"status": 404, "response": {"detail": 'Work pool "missing-<unique>" not found.'},
                       "why": "Prefect 3.9.1 reads the missing pool's base_job_template and lets the AttributeError out as a 500"}},
        patch("/deployments/{a}", {"zzz": 1}),
        patch("/deployments/{uuid}", {"description": "x"}),
        patch("/deployments/{c}", {"paused": True}),
        get("/deployments/{c}"),
        post("/deployments/{c}/resume_deployment"),
        get("/deployments/{c}"),
        post("/deployments/{c}/pause_deployment"),
        get("/deployments/{c}"),
        post("/deployments/{uuid}/pause_deployment"),
        post("/deployments/{uuid}/resume_deployment"),
        post("/deployments/{a}/branch", {"branch": "dev"}),
        delete("/deployments/{b}"),
        delete("/deployments/{b}"),
        get("/deployments/{b}"),
        post("/deployments/count", mine),
        post("/deployments/bulk_delete", {"deployments": {"name": {"any_": ["c-{unique}"]}}, "limit": 0}),
        post("/deployments/bulk_delete", {"deployments": {"name": {"any_": ["c-{unique}"]}}, "limit": 51}),
        post("/deployments/bulk_delete", {"deployments": {"name": {"any_": ["c-{unique}", "none-{unique}"]}}}),
        post("/deployments/bulk_delete", {"deployments": {"name": {"any_": ["c-{unique}"]}}}),
        delete("/deployments/{a}"),
        delete("/deployments/{c}"),
        delete("/work_pools/dp-{unique}"),
    ]
    out["deployments: concurrency limits"] = [
        flow,
        post("/deployments/", {"name": "l-{unique}", "flow_id": "{flow}", "concurrency_limit": 2,
                               "concurrency_options": {"collision_strategy": "CANCEL_NEW"}}, capture={"l": "id"}),
        get("/deployments/{l}"),
        patch("/deployments/{l}", {"concurrency_limit": 5}),
        get("/deployments/{l}"),
        patch("/deployments/{l}", {"concurrency_options": {"collision_strategy": "ENQUEUE", "grace_period_seconds": 120}}),
        get("/deployments/{l}"),
        patch("/deployments/{l}", {"concurrency_limit": None}),
        get("/deployments/{l}"),
        post("/deployments/", {"name": "l-{unique}", "flow_id": "{flow}", "concurrency_limit": 3}),
        post("/deployments/", {"name": "l-{unique}", "flow_id": "{flow}"}),
        get("/deployments/{l}"),
        delete("/deployments/{l}"),
    ]
    out["deployments: schedules"] = [
        flow,
        post("/deployments/", {"name": "s-{unique}", "flow_id": "{flow}", "schedules": [
            {"schedule": {"interval": 3600, "anchor_date": "2026-01-01T00:00:00Z"}, "active": False},
            {"schedule": {"cron": "0 9 * * 1-5", "timezone": "Europe/Paris"}, "active": False, "max_scheduled_runs": 3},
        ]}, capture={"s": "id"}),
        get("/deployments/{s}/schedules"),
        post("/deployments/{s}/schedules", [
            {"schedule": {"rrule": "FREQ=DAILY;COUNT=3"}, "active": False, "slug": "daily"},
            {"schedule": {"interval": 90.5, "anchor_date": "2026-01-01T10:00:00+02:00"}, "active": False,
             "parameters": {"p": 1}},
            {"schedule": {"interval": "PT1H", "anchor_date": "2026-01-01T10:00:00.500Z", "timezone": "America/New_York"}},
            {"schedule": {"cron": "*/5 * * * *", "day_or": False}, "active": False},
            {"schedule": {"rrule": "RRULE:FREQ=HOURLY\nEXDATE:20260101T000000"}, "active": False},
        ], capture={"daily": "0.id"}),
        get("/deployments/{s}/schedules"),
        post("/deployments/{s}/schedules", [{"schedule": {"rrule": "FREQ=WEEKLY"}, "slug": "daily"}]),
        post("/deployments/{s}/schedules", [{"schedule": {"interval": 0}}]),
        post("/deployments/{s}/schedules", [{"schedule": {"cron": "bad"}}]),
        post("/deployments/{s}/schedules", [{"schedule": {"cron": "61 * * * *"}}]),
        post("/deployments/{s}/schedules", [{"schedule": {"interval": 60}, "max_scheduled_runs": 51}]),
        post("/deployments/{s}/schedules", [{"schedule": {"interval": 60}, "zzz": 1}]),
        post("/deployments/{s}/schedules", {"schedule": {"interval": 60}}),
        post("/deployments/{uuid}/schedules", [{"schedule": {"interval": 60}}]),
        patch("/deployments/{s}/schedules/{daily}", {"active": True, "max_scheduled_runs": 2}),
        get("/deployments/{s}/schedules"),
        patch("/deployments/{s}/schedules/{daily}", {"schedule": {"cron": "30 8 * * *"}, "parameters": {"q": 2}}),
        get("/deployments/{s}/schedules"),
        patch("/deployments/{s}/schedules/{uuid}", {"active": True}),
        patch("/deployments/{uuid}/schedules/{daily}", {"active": True}),
        delete("/deployments/{s}/schedules/{daily}"),
        delete("/deployments/{s}/schedules/{daily}"),
        get("/deployments/{s}/schedules"),
        get("/deployments/{uuid}/schedules"),
        patch("/deployments/{s}", {"schedules": [{"schedule": {"interval": 120}, "active": False}]}),
        get("/deployments/{s}"),
        post("/deployments/", {"name": "backfill-{unique}", "flow_id": "{flow}", "tags": ["bf"], "schedules": [
            {"schedule": {"interval": 86400, "anchor_date": "2026-01-01T06:00:00Z"}, "slug": "daily"},
            {"schedule": {"cron": "0 12 * * 1"}, "active": False}]}, capture={"bf": "id"}),
        post("/deployments/{bf}/schedule", {"start_time": "2026-01-01T00:00:00Z", "end_time": "2026-01-05T00:00:00Z",
                                            "min_runs": 1, "max_runs": 10}),
        post("/deployments/{bf}/schedule", {"start_time": "2026-01-01T00:00:00Z", "end_time": "2026-01-05T00:00:00Z",
                                            "min_runs": 1, "max_runs": 10}),
        post("/flow_runs/filter", {"deployments": {"id": {"any_": ["{bf}"]}}, "sort": "EXPECTED_START_TIME_ASC"}),
        post("/deployments/{uuid}/schedule", {}),
        # Through daylight saving time: the same slots, and the same keys, as Prefect's scheduler.
        post("/deployments/", {"name": "dst-{unique}", "flow_id": "{flow}", "schedules": [
            {"schedule": {"interval": 86400, "anchor_date": "2026-01-01T14:00:00Z", "timezone": "America/New_York"}, "slug": "ny"},
            {"schedule": {"cron": "30 2 * * *", "timezone": "Europe/Paris"}, "slug": "paris"},
            {"schedule": {"rrule": "DTSTART:20260301T071500\nRRULE:FREQ=WEEKLY;BYDAY=SU,WE", "timezone": "Europe/London"}, "slug": "london"},
        ]}, capture={"dst": "id"}),
        post("/deployments/{dst}/schedule", {"start_time": "2026-03-06T00:00:00Z", "end_time": "2026-04-02T00:00:00Z",
                                             "min_runs": 40, "max_runs": 40}),
        post("/flow_runs/filter", {"deployments": {"id": {"any_": ["{dst}"]}}, "sort": "EXPECTED_START_TIME_ASC"}),
        delete("/deployments/{dst}"),
        delete("/deployments/{bf}"),
        delete("/deployments/{s}"),
    ]
    out["deployments: schedules by slug"] = [
        flow,
        post("/deployments/", {"name": "slug-{unique}", "flow_id": "{flow}", "schedules": [
            {"schedule": {"interval": 3600, "anchor_date": "2026-01-01T00:00:00Z"}, "active": False, "slug": "hourly"},
            {"schedule": {"interval": 60, "anchor_date": "2026-01-01T00:00:00Z"}, "active": False, "slug": "minutely"},
        ]}, capture={"d": "id"}),
        patch("/deployments/{d}", {"schedules": [{"schedule": {"interval": 7200}}]}),
        patch("/deployments/{d}", {"schedules": [{"slug": "hourly", "active": True}, {"slug": "new", "active": False}]}),
        patch("/deployments/{d}", {"schedules": [
            {"slug": "hourly", "active": True, "parameters": {"a": 1}},
            {"slug": "daily", "schedule": {"cron": "0 0 * * *"}, "active": False},
        ]}),
        get("/deployments/{d}/schedules"),
        patch("/deployments/{d}", {"schedules": [{"slug": "every-minute", "replaces": "minutely"}]}),
        get("/deployments/{d}/schedules"),
        patch("/deployments/{d}", {"schedules": [{"slug": "daily", "replaces": "hourly"}]}),
        patch("/deployments/{d}", {"schedules": [{"slug": "x", "replaces": "daily"}, {"slug": "y", "replaces": "daily"}]}),
        patch("/deployments/{d}", {"schedules": [{"slug": "z", "replaces": "gone", "schedule": {"interval": 30}, "active": False}]}),
        patch("/deployments/{d}", {"description": "kept"}),
        get("/deployments/{d}/schedules"),
        delete("/deployments/{d}"),
    ]
    out["deployments: runs from a deployment"] = [
        flow,
        post("/work_pools/", {"name": "rp-{unique}", "type": "process"}),
        post("/variables/", {"name": "var_{unique}", "value": {"from": "variable"}}),
        post("/deployments/", {"name": "r-{unique}", "flow_id": "{flow}", "work_pool_name": "rp-{unique}",
                               "parameters": {"a": 1, "b": {"c": 2}}, "tags": ["dep"], "labels": {"team": "ml"},
                               "version": "7", "job_variables": {"image": "x"}}, capture={"r": "id"}),
        post("/deployments/", {"name": "nopool-{unique}", "flow_id": "{flow}"}, capture={"n": "id"}),
        post("/deployments/{r}/create_flow_run", {"parameters": {"b": 3, "d": 4}, "tags": ["run", "dep"],
                                                  "idempotency_key": "k-{unique}", "name": "first",
                                                  "labels": {"extra": True}}),
        post("/deployments/{r}/create_flow_run", {"parameters": {"b": 5}, "idempotency_key": "k-{unique}"}),
        post("/deployments/{r}/create_flow_run", {"work_queue_name": "side-{unique}", "name": "side",
                                                  "job_variables": {"image": "y"}}),
        get("/work_pools/rp-{unique}/queues/side-{unique}"),
        post("/deployments/{r}/create_flow_run", {"name": "later", "state": {"type": "SCHEDULED", "state_details": {
            "scheduled_time": "{time:+7200}"}}}),
        post("/deployments/{r}/create_flow_run", {"name": "pending", "state": {"type": "PENDING"}}),
        post("/deployments/{r}/create_flow_run", {"name": "hydrated", "parameters": {
            "j": {"__prefect_kind": "json", "value": "{\"k\": [1, 2]}"},
            "v": {"__prefect_kind": "workspace_variable", "variable_name": "var_{unique}"},
            "n": {"__prefect_kind": "none", "value": 5},
            "gone": {"__prefect_kind": "json"}}}),
        post("/deployments/{r}/create_flow_run", {"parameters": {
            "v": {"__prefect_kind": "workspace_variable", "variable_name": "missing_{unique}"}}}),
        {**post("/deployments/{r}/create_flow_run", {"parameters": {"j": {"__prefect_kind": "json", "value": "{bad"}}}),
         # The status and the message's start are Prefect's; the parser's own words are ours, not Python's json module's.
         "deviation": {"status": 400, "response": {"detail": "Error hydrating flow run parameters: Invalid JSON: Malformed JSON at byte 1: expected a string key"},
                       "why": "the status and the message's start are Prefect's; the parser's own words are ours, not Python's json module's"}},
        post("/deployments/{n}/create_flow_run", {"work_queue_name": "q-{unique}"}),
        post("/deployments/{n}/create_flow_run", {"name": "plain"}),
        post("/deployments/{r}/create_flow_run", {"zzz": 1}),
        post("/deployments/{r}/create_flow_run", {"state": {"type": "BOGUS"}}),
        post("/deployments/{uuid}/create_flow_run", {}),
        post("/deployments/{r}/create_flow_run/bulk", [
            {"name": "bulk-a", "parameters": {"b": 9}, "tags": ["bulk"]},
            {"name": "bulk-b", "work_queue_name": "side-{unique}"},
            {"name": "bulk-c", "parameters": {"v": {"__prefect_kind": "workspace_variable", "variable_name": "missing_{unique}"}}},
            {"name": "bulk-d", "idempotency_key": "k-{unique}"}]),
        post("/deployments/{n}/create_flow_run/bulk", [{"name": "bulk-e", "work_queue_name": "q-{unique}"}]),
        post("/deployments/{r}/create_flow_run/bulk", []),
        post("/deployments/{uuid}/create_flow_run/bulk", []),
        post("/deployments/{r}/create_flow_run/bulk", [{"zzz": 1}]),
        post("/deployments/{r}/create_flow_run/bulk", [{"name": "x"}] * 101),
        post("/deployments/get_scheduled_flow_runs", {"deployment_ids": ["{r}", "{n}"], "scheduled_before": "{time:+60}"}),
        post("/deployments/get_scheduled_flow_runs", {"deployment_ids": ["{r}"], "scheduled_before": "{time:+9000}",
                                                      "limit": 2}),
        post("/deployments/get_scheduled_flow_runs", {"deployment_ids": ["{r}"]}),
        # Prefect marks polled deployments READY in a background task after its answer.
        {"wait": 1},
        get("/deployments/{r}"),
        post("/flow_runs/filter", {"deployments": {"id": {"any_": ["{r}"]}}, "sort": "NAME_ASC"}),
        post("/flow_runs/count", {"deployments": {"name": {"any_": ["nopool-{unique}"]}}}),
        post("/task_runs/count", {"deployments": {"name": {"any_": ["nopool-{unique}"]}}}),
        post("/deployments/count", {"flow_runs": {"name": {"any_": ["side"]}}, "deployments": {"name": {"like_": "{unique}"}}}),
        post("/flow_runs/", {"flow_id": "{flow}", "deployment_id": "{r}", "name": "direct", "labels": {"x": 1}}),
        post("/work_pools/rp-{unique}/get_scheduled_flow_runs", {}),
        get("/deployments/{n}"),
        post("/deployments/", {"name": "polled-{unique}", "flow_id": "{flow}", "work_pool_name": "rp-{unique}",
                               "work_queue_name": "side-{unique}"}, capture={"p": "id"}),
        # Prefect marks polled deployments READY in a background task, so when is racy there: the
        # integration tests wait for it instead.
        post("/work_pools/rp-{unique}/get_scheduled_flow_runs", {"work_queue_names": ["side-{unique}"]}),
        post("/deployments/", {"name": "legacy-polled-{unique}", "flow_id": "{flow}", "work_queue_name": "lq-{unique}"},
             capture={"lp": "id", "lq": "work_queue_id"}),
        post("/work_queues/{lq}/get_runs", {}),
        delete("/deployments/{p}"),
        delete("/deployments/{lp}"),
        delete("/deployments/{r}"),
        post("/flow_runs/filter", {"flows": {"id": {"any_": ["{flow}"]}}, "sort": "NAME_ASC"}),
        delete("/deployments/{n}"),
        delete("/work_pools/rp-{unique}"),
        delete("/variables/name/var_{unique}"),
    ]
    return out


def transition(run: str, type_: str, force: bool = False, **details) -> dict:
    proposal = {"type": type_}
    if details:
        proposal["state_details"] = details
    return post("/flow_runs/{%s}/set_state" % run, {"state": proposal, "force": force})


def deployment_rules() -> dict[str, list[dict]]:
    """The orchestration rules that need deployments: deployment concurrency (ENQUEUE,
    CANCEL_NEW, a deleted deployment) and the deployment conditions of pause, resume and
    reschedule. Requests carry no Prefect User-Agent, so leases are those of an older client."""
    out: dict[str, list[dict]] = {}
    flow = post("/flows/", {"name": "rules-{unique}"}, capture={"flow": "id"})
    out["deployment rules: concurrency limit, ENQUEUE and CANCEL_NEW"] = [
        flow,
        post("/deployments/", {"name": "enqueue-{unique}", "flow_id": "{flow}", "concurrency_limit": 1}, capture={"e": "id"}),
        post("/deployments/", {"name": "cancel-{unique}", "flow_id": "{flow}", "concurrency_limit": 1,
                               "concurrency_options": {"collision_strategy": "CANCEL_NEW"}}, capture={"c": "id"}),
        post("/deployments/{e}/create_flow_run", {"name": "ra"}, capture={"ra": "id"}),
        post("/deployments/{e}/create_flow_run", {"name": "rb"}, capture={"rb": "id"}),
        transition("ra", "PENDING"),
        transition("rb", "PENDING"),
        get("/flow_runs/{rb}"),
        get("/deployments/{e}"),
        transition("ra", "RUNNING"),
        get("/deployments/{e}"),
        transition("ra", "COMPLETED"),
        get("/deployments/{e}"),
        transition("rb", "PENDING"),
        get("/deployments/{e}"),
        transition("rb", "FAILED"),
        get("/deployments/{e}"),
        post("/deployments/{c}/create_flow_run", {"name": "rc"}, capture={"rc": "id"}),
        post("/deployments/{c}/create_flow_run", {"name": "rd"}, capture={"rd": "id"}),
        transition("rc", "PENDING"),
        transition("rd", "PENDING"),
        get("/flow_runs/{rd}"),
        transition("rc", "RUNNING"),
        transition("rc", "CANCELLING"),
        get("/deployments/{c}"),
        transition("rc", "CANCELLED"),
        get("/deployments/{c}"),
        transition("rd", "SCHEDULED", scheduled_time="{time:-5}"),
        transition("rd", "PENDING"),
        get("/deployments/{c}"),
        transition("rd", "SCHEDULED", force=True, scheduled_time="{time:-5}"),
        get("/deployments/{c}"),
        patch("/deployments/{c}", {"concurrency_limit": None}),
        post("/deployments/{c}/create_flow_run", {"name": "re"}, capture={"re": "id"}),
        transition("re", "PENDING"),
        post("/deployments/", {"name": "gone-{unique}", "flow_id": "{flow}", "concurrency_limit": 2}, capture={"g": "id"}),
        post("/deployments/{g}/create_flow_run", {"name": "rf", "state": {"type": "PENDING"}}, capture={"rf": "id"}),
        transition("rf", "FAILED"),
        delete("/deployments/{g}"),
        transition("rf", "PENDING"),
        delete("/deployments/{e}"),
        delete("/deployments/{c}"),
    ]
    out["deployment rules: pause, suspend, resume and reschedule"] = [
        flow,
        post("/deployments/", {"name": "pausing-{unique}", "flow_id": "{flow}"}, capture={"d": "id"}),
        post("/deployments/{d}/create_flow_run", {"name": "deployed"}, capture={"run": "id"}),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "plain"}, capture={"plain": "id"}),
        transition("run", "PENDING"),
        transition("run", "RUNNING"),
        transition("plain", "RUNNING"),
        transition("plain", "PAUSED", pause_reschedule=True, pause_timeout="{time:+600}"),
        transition("run", "PAUSED", pause_reschedule=True, pause_timeout="{time:+600}", pause_key="k1"),
        get("/flow_runs/{run}"),
        post("/flow_runs/{run}/resume", {}),
        get("/flow_runs/{run}"),
        transition("run", "PENDING"),
        transition("run", "RUNNING"),
        transition("run", "COMPLETED"),
        transition("run", "SCHEDULED", scheduled_time="{time:+60}"),
        get("/flow_runs/{run}"),
        transition("plain", "COMPLETED"),
        transition("plain", "SCHEDULED", scheduled_time="{time:+60}"),
        delete("/deployments/{d}"),
    ]
    return out


def deployment_validation() -> dict[str, list[dict]]:
    """Parameters against a deployment's parameter schema, job variables against a pool's
    template (Prefect's jsonschema messages)."""
    schema = {"type": "object", "title": "Parameters", "properties": {
        "region": {"type": "string", "default": "eu", "title": "region", "position": 0},
        "size": {"type": "integer", "title": "size", "position": 1},
        "tags": {"type": "array", "items": {"type": "string"}},
        "mode": {"enum": ["a", "b"]},
        "ratio": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.5},
        "cfg": {"$ref": "#/definitions/Cfg"}},
        "required": ["size"],
        "definitions": {"Cfg": {"type": "object", "properties": {"k": {"type": "integer"}}, "required": ["k"]}}}
    template = {"job_configuration": {"command": "{{ command }}", "memory": "{{ memory }}"},
                "variables": {"type": "object", "properties": {
                    "command": {"type": "string"}, "memory": {"type": "integer", "default": 512, "minimum": 128}},
                    "required": ["command"]}}
    bad_default = {"job_configuration": {"image": "{{ image }}", "memory": "{{ memory }}"},
                   "variables": {"type": "object", "properties": {
                       "image": {"type": "string", "default": 5}, "memory": {"type": "integer", "default": 512}},
                       "required": ["image"]}}
    loose = {"job_configuration": {"image": "{{ image }}", "memory": "{{ memory }}"},
             "variables": {"type": "object", "properties": {
                 "image": {"type": "string"}, "memory": {"type": "integer", "default": 512}}}}
    run = "/deployments/{d}/create_flow_run"

    def post(path: str, body=None, capture=None) -> dict:
        # Runs get a name, so that generated names do not differ between servers.
        if path.endswith("/create_flow_run"):
            body = {"name": "checked", **(body or {})}
        return globals()["post"](path, body, capture)

    out: dict[str, list[dict]] = {}
    out["deployments: parameters against the parameter schema"] = [
        post("/flows/", {"name": "validated-{unique}"}, capture={"flow": "id"}),
        post("/deployments/", {"name": "v-{unique}", "flow_id": "{flow}", "parameter_openapi_schema": schema,
                               "parameters": {"size": 1}}, capture={"d": "id"}),
        post(run, {"parameters": {"size": "x"}}),
        post(run, {"parameters": {"region": "us"}}),
        post(run, {"parameters": {"tags": [1]}}),
        post(run, {"parameters": {"tags": "ab"}}),
        post(run, {"parameters": {"mode": "c"}}),
        post(run, {"parameters": {"ratio": 2}}),
        post(run, {"parameters": {"ratio": -0.5}}),
        post(run, {"parameters": {"cfg": {"k": "v"}}}),
        post(run, {"parameters": {"cfg": {}}}),
        post(run, {"parameters": {"size": None}}),
        post(run, {"parameters": {"region": None}}),
        post(run, {"parameters": {"size": True}}),
        post(run, {"parameters": {"size": 2.0, "extra": [1, {"a": None}]}}),
        post(run, {"parameters": {"size": "x", "region": 5}}),
        post(run, {"parameters": {"size": "x"}, "enforce_parameter_schema": False}),
        post(run, {"parameters": {"size": 3, "tags": ["a"], "mode": "b", "cfg": {"k": 1}, "ratio": 1}}),
        patch("/deployments/{d}", {"parameters": {"size": "x"}}),
        patch("/deployments/{d}", {"parameters": {"tags": [2]}}),
        patch("/deployments/{d}", {"parameters": {"region": "fr"}}),
        get("/deployments/{d}"),
        patch("/deployments/{d}", {"enforce_parameter_schema": False}),
        post(run, {"parameters": {"size": "x"}}),
        post("/deployments/", {"name": "e-{unique}", "flow_id": "{flow}", "parameter_openapi_schema": schema,
                               "enforce_parameter_schema": True, "parameters": {"size": "x"}}),
        post("/deployments/", {"name": "e-{unique}", "flow_id": "{flow}", "parameter_openapi_schema": schema,
                               "parameters": {"size": "x"}}),
        post("/deployments/", {"name": "n-{unique}", "flow_id": "{flow}", "parameter_openapi_schema": None}, capture={"n": "id"}),
        post("/deployments/{n}/create_flow_run", {}),
        patch("/deployments/{n}", {"parameters": {"a": 1}}),
        delete("/deployments/{d}"),
        delete("/deployments/{n}"),
    ]
    out["deployments: job variables against the pool's template"] = [
        post("/flows/", {"name": "jobvars-{unique}"}, capture={"flow": "id"}),
        post("/work_pools/", {"name": "strict-{unique}", "type": "process", "base_job_template": template}),
        post("/work_pools/", {"name": "baddefault-{unique}", "type": "process", "base_job_template": bad_default}),
        post("/work_pools/", {"name": "loose-{unique}", "type": "process", "base_job_template": loose}),
        post("/deployments/", {"name": "bad-{unique}", "flow_id": "{flow}", "work_pool_name": "strict-{unique}",
                               "job_variables": {"memory": 64}}),
        post("/deployments/", {"name": "bad-{unique}", "flow_id": "{flow}", "work_pool_name": "strict-{unique}",
                               "job_variables": {"memory": "lots"}}),
        post("/deployments/", {"name": "s-{unique}", "flow_id": "{flow}", "work_pool_name": "strict-{unique}",
                               "job_variables": {"memory": 256}}, capture={"d": "id"}),
        post(run, {}),
        post(run, {"job_variables": {"command": "echo"}}),
        post(run, {"job_variables": {"command": "echo", "memory": 1}}),
        post(run, {"job_variables": {"command": 7}}),
        post("/deployments/", {"name": "l-{unique}", "flow_id": "{flow}", "work_pool_name": "loose-{unique}"},
             capture={"l": "id"}),
        post("/deployments/{l}/create_flow_run", {}),
        post("/deployments/{l}/create_flow_run", {"job_variables": {"memory": "x"}}),
        delete("/deployments/{d}"),
        delete("/deployments/{l}"),
        delete("/work_pools/strict-{unique}"),
        delete("/work_pools/loose-{unique}"),
    ]
    return out


def concurrency_limits() -> dict[str, list[dict]]:
    """Global (v2) and tag (v1) concurrency limits, their slots and leases. No `/filter` step:
    those list every limit of the server. The task policy's tag rules are not recorded: on
    SQLite, Prefect 3.9.1's SecureTaskConcurrencySlots opens a second write transaction inside
    the orchestration's and answers 503 "database is locked" after 60 s (TaskPolicyRuleTests
    covers them)."""
    out: dict[str, list[dict]] = {}
    g = "g-{unique}"
    out["global concurrency limits: create, read, update, delete"] = [
        post("/v2/concurrency_limits/", {"name": g, "limit": 2}, capture={"g": "id"}),
        post("/v2/concurrency_limits/", {"name": g, "limit": 3}),
        post("/v2/concurrency_limits/", {"name": "bad/{unique}", "limit": -1, "slot_decay_per_second": -1}),
        post("/v2/concurrency_limits/", {"limit": 1, "zzz": 1}),
        post("/v2/concurrency_limits/", {"name": "decay-{unique}", "limit": 5, "slot_decay_per_second": 0.001, "active": False,
                                         "active_slots": 2, "denied_slots": 1}),
        get("/v2/concurrency_limits/" + g),
        get("/v2/concurrency_limits/{g}"),
        get("/v2/concurrency_limits/decay-{unique}"),
        get("/v2/concurrency_limits/missing-{unique}"),
        get("/v2/concurrency_limits/{uuid}"),
        patch("/v2/concurrency_limits/" + g, {"limit": 4, "active": False}),
        get("/v2/concurrency_limits/{g}"),
        patch("/v2/concurrency_limits/{g}", {"name": g + "-renamed"}),
        get("/v2/concurrency_limits/" + g + "-renamed"),
        patch("/v2/concurrency_limits/{g}", {"limit": None}),
        patch("/v2/concurrency_limits/{g}", {"zzz": 1}),
        patch("/v2/concurrency_limits/{g}", {"limit": -1}),
        patch("/v2/concurrency_limits/missing-{unique}", {"limit": 1}),
        delete("/v2/concurrency_limits/{g}"),
        delete("/v2/concurrency_limits/{g}"),
        delete("/v2/concurrency_limits/decay-{unique}"),
        get("/v2/concurrency_limits/decay-{unique}"),
    ]
    out["global concurrency limits: slots, leases, renewal, release"] = [
        post("/v2/concurrency_limits/", {"name": g, "limit": 2}, capture={"g": "id"}),
        post("/v2/concurrency_limits/", {"name": "off-{unique}", "limit": 1, "active": False}),
        post("/v2/concurrency_limits/increment", {"names": [g, "missing-{unique}"], "slots": 1}),
        get("/v2/concurrency_limits/" + g),
        post("/v2/concurrency_limits/increment", {"names": [g], "slots": 3}),
        post("/v2/concurrency_limits/increment", {"names": [g], "slots": 2}),
        post("/v2/concurrency_limits/increment", {"names": [g], "slots": 1, "mode": "rate_limit"}),
        post("/v2/concurrency_limits/increment", {"names": ["off-{unique}"], "slots": 5}),
        post("/v2/concurrency_limits/increment", {"names": [], "slots": 0, "mode": "x"}),
        post("/v2/concurrency_limits/increment", {"names": "x", "slots": "y"}),
        post("/v2/concurrency_limits/increment-with-lease", {"names": [g], "slots": 1, "lease_duration": 60,
                                                             "holder": {"type": "task_run", "id": "{uuid}"}},
             capture={"lease": "lease_id"}),
        get("/v2/concurrency_limits/" + g),
        post("/v2/concurrency_limits/increment-with-lease", {"names": [g], "slots": 1}),
        post("/v2/concurrency_limits/increment-with-lease", {"names": [g], "slots": 1, "lease_duration": 10,
                                                             "holder": {"type": "x", "id": "y"}}),
        post("/v2/concurrency_limits/leases/{lease}/renew", {"lease_duration": 120}),
        post("/v2/concurrency_limits/leases/{lease}/renew", {}),
        post("/v2/concurrency_limits/leases/{lease}/renew", {"lease_duration": 5}),
        post("/v2/concurrency_limits/leases/{g}/renew", {"lease_duration": 60}),
        post("/v2/concurrency_limits/decrement-with-lease", {"lease_id": "{lease}"}),
        get("/v2/concurrency_limits/" + g),
        post("/v2/concurrency_limits/decrement-with-lease", {"lease_id": "{lease}"}),
        post("/v2/concurrency_limits/leases/{lease}/renew", {"lease_duration": 60}),
        post("/v2/concurrency_limits/decrement-with-lease", {"lease_id": "nope"}),
        post("/v2/concurrency_limits/decrement", {"names": [g, "off-{unique}"], "slots": 1, "occupancy_seconds": 4}),
        get("/v2/concurrency_limits/" + g),
        post("/v2/concurrency_limits/decrement", {"names": [g], "slots": 5}),
        get("/v2/concurrency_limits/" + g),
        post("/v2/concurrency_limits/decrement", {"names": ["missing-{unique}"], "slots": 1}),
        post("/v2/concurrency_limits/decrement", {"names": [g], "slots": 1, "occupancy_seconds": -1}),
        post("/v2/concurrency_limits/", {"name": "rate-{unique}", "limit": 2, "slot_decay_per_second": 0.01}),
        post("/v2/concurrency_limits/increment", {"names": ["rate-{unique}"], "slots": 1, "mode": "rate_limit"}),
        get("/v2/concurrency_limits/rate-{unique}"),
        delete("/v2/concurrency_limits/rate-{unique}"),
        delete("/v2/concurrency_limits/off-{unique}"),
        delete("/v2/concurrency_limits/" + g),
    ]
    t = "t-{unique}"
    flow_run = [
        post("/flows/", {"name": "limits-{unique}"}, capture={"flow": "id"}),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "run", "state": {"type": "RUNNING"}}, capture={"run": "id"}),
    ]

    def task_run(capture: str, tags: list[str]) -> dict:
        return post("/task_runs/", {"flow_run_id": "{run}", "task_key": capture, "dynamic_key": "0", "tags": tags, "name": capture},
                    capture={capture: "id"})

    out["tag concurrency limits: the v1 API"] = flow_run + [
        task_run("ta", [t]), task_run("tb", [t]),
        post("/concurrency_limits/", {"tag": t, "concurrency_limit": 1}, capture={"t": "id"}),
        post("/concurrency_limits/", {"tag": t, "concurrency_limit": 2}),
        post("/concurrency_limits/", {"tag": "neg-{unique}", "concurrency_limit": -1}),
        post("/concurrency_limits/", {"tag": t}),
        post("/concurrency_limits/", {"tag": t, "concurrency_limit": 1, "zzz": 1}),
        get("/concurrency_limits/tag/" + t),
        get("/concurrency_limits/{t}"),
        get("/v2/concurrency_limits/tag:" + t),
        get("/concurrency_limits/tag/missing-{unique}"),
        get("/concurrency_limits/{uuid}"),
        get("/concurrency_limits/not-a-uuid"),
        post("/concurrency_limits/increment", {"names": [t, "untracked-{unique}"], "task_run_id": "{ta}"}),
        get("/concurrency_limits/tag/" + t),
        post("/concurrency_limits/increment", {"names": [t], "task_run_id": "{tb}"}),
        post("/concurrency_limits/increment", {"names": [t], "task_run_id": "{tb}"}),
        post("/concurrency_limits/increment", {"names": [t], "task_run_id": ""}),
        post("/concurrency_limits/increment", {"names": ["neg-{unique}"], "task_run_id": "{ta}"}),
        get("/concurrency_limits/tag/" + t),
        post("/concurrency_limits/decrement", {"names": [t], "task_run_id": "{ta}"}),
        get("/concurrency_limits/tag/" + t),
        post("/concurrency_limits/decrement", {"names": [t], "task_run_id": "{ta}"}),
        post("/concurrency_limits/decrement", {"names": ["missing-{unique}"], "task_run_id": "{ta}"}),
        post("/concurrency_limits/tag/" + t + "/reset", {}),
        get("/concurrency_limits/tag/" + t),
        get("/v2/concurrency_limits/tag:" + t),
        post("/concurrency_limits/tag/" + t + "/reset", {"slot_override": ["{ta}"]}),
        get("/concurrency_limits/tag/" + t),
        get("/v2/concurrency_limits/tag:" + t),
        post("/concurrency_limits/tag/" + t + "/reset", {"slot_override": ["bad"]}),
        post("/concurrency_limits/tag/missing-{unique}/reset", {}),
        patch("/v2/concurrency_limits/tag:" + t, {"limit": 0}),
        post("/concurrency_limits/increment", {"names": [t], "task_run_id": "{tb}"}),
        delete("/concurrency_limits/tag/" + t),
        delete("/concurrency_limits/tag/" + t),
        get("/concurrency_limits/{t}"),
        post("/v2/concurrency_limits/", {"name": "plain-{unique}", "limit": 1}, capture={"plain": "id"}),
        get("/concurrency_limits/{plain}"),
        delete("/concurrency_limits/{plain}"),
        get("/v2/concurrency_limits/plain-{unique}"),
        delete("/concurrency_limits/{plain}"),
        delete("/concurrency_limits/tag/neg-{unique}"),
    ]
    return out


def artifacts() -> dict[str, list[dict]]:
    """Artifacts and the latest artifact of each key."""
    out: dict[str, list[dict]] = {}
    key = "art-{unique}"
    mine = {"artifacts": {"key": {"any_": [key, "other-{unique}"]}}}
    flow_run = [
        post("/flows/", {"name": "artifacts-{unique}"}, capture={"flow": "id"}),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "run", "state": {"type": "RUNNING"}}, capture={"run": "id"}),
        post("/task_runs/", {"flow_run_id": "{run}", "task_key": "t", "dynamic_key": "0", "name": "t"}, capture={"task": "id"}),
    ]
    out["artifacts: create, versions by key, read, filter, count, update, delete"] = flow_run + [
        post("/artifacts/", {"key": key, "type": "markdown", "data": "# first", "description": "d",
                             "metadata_": {"a": "b", "long": "x" * 600}, "flow_run_id": "{run}"}, capture={"first": "id"}),
        post("/artifacts/", {"key": key, "type": "table", "data": [{"x": 1}, {"x": 2}], "task_run_id": "{task}",
                             "flow_run_id": "{run}"}, capture={"second": "id"}),
        post("/artifacts/", {"key": "other-{unique}", "type": "progress", "data": 42.5}, capture={"other": "id"}),
        post("/artifacts/", {"type": "result", "data": {"storage": "x"}, "flow_run_id": "{run}"}, capture={"nokey": "id"}),
        post("/artifacts/", {"key": "Bad Key", "data": 1, "zzz": 1}),
        post("/artifacts/", {"metadata_": {"a": 1}}),
        post("/artifacts/", {"flow_run_id": "nope"}),
        get("/artifacts/{first}"),
        get("/artifacts/{uuid}"),
        get("/artifacts/" + key + "/latest"),
        get("/artifacts/missing-{unique}/latest"),
        post("/artifacts/filter", {**mine, "sort": "CREATED_DESC"}),
        post("/artifacts/filter", {**mine, "sort": "KEY_DESC", "limit": 1}),
        post("/artifacts/filter", {**mine, "sort": "NOPE"}),
        post("/artifacts/filter", {"artifacts": {"type": {"any_": ["table"]}, "key": {"like_": "{unique}"}}}),
        post("/artifacts/filter", {"flow_runs": {"id": {"any_": ["{run}"]}}, "sort": "CREATED_DESC"}),
        post("/artifacts/filter", {"task_runs": {"id": {"any_": ["{task}"]}}}),
        post("/artifacts/filter", {"flows": {"id": {"any_": ["{flow}"]}}, "artifacts": {"key": {"exists_": False}}}),
        post("/artifacts/latest/filter", {**mine, "sort": "KEY_ASC"}),
        post("/artifacts/latest/filter", {"artifacts": {"latest_id": {"any_": ["{second}"]}}}),
        post("/artifacts/latest/filter", {"artifacts": {"type": {"not_any_": ["table"]}, "key": {"like_": "{unique}"}}}),
        post("/artifacts/count", mine),
        post("/artifacts/count", {"flow_runs": {"id": {"any_": ["{run}"]}}}),
        post("/artifacts/latest/count", mine),
        patch("/artifacts/{second}", {"data": "changed", "description": "new"}),
        get("/artifacts/{second}"),
        get("/artifacts/" + key + "/latest"),
        patch("/artifacts/{first}", {"metadata_": {"k": "v"}}),
        get("/artifacts/{first}"),
        get("/artifacts/" + key + "/latest"),
        patch("/artifacts/{first}", {"zzz": 1}),
        patch("/artifacts/{uuid}", {"data": 1}),
        delete("/artifacts/{second}"),
        get("/artifacts/" + key + "/latest"),
        post("/artifacts/latest/filter", {**mine, "sort": "KEY_ASC"}),
        delete("/artifacts/{first}"),
        get("/artifacts/" + key + "/latest"),
        delete("/artifacts/{first}"),
        delete("/artifacts/{other}"),
        delete("/artifacts/{nokey}"),
        post("/artifacts/count", mine),
    ]
    return out


def blocks() -> dict[str, list[dict]]:
    """Block types, schemas (with a nested schema) and documents (secrets, references)."""
    out: dict[str, list[dict]] = {}
    def credentials_fields(tag: str) -> dict:
        # Fields of each scenario's own (one checksum per scenario: a schema is shared by every
        # type of a server that registers the same fields). Record on a fresh server.
        return {
            "title": f"Recorded{tag}Credentials", "type": "object", "block_type_slug": f"recorded-{tag.lower()}-credentials",
            "properties": {"user": {"title": "User", "type": "string"},
                           "token": {"title": "Token", "type": "string", "format": "password", "writeOnly": True},
                           "retries": {"title": "Retries", "type": "number", "default": 1.5}},
            "required": ["user"], "secret_fields": ["token"], "block_schema_references": {}}

    def types(tag: str) -> list[dict]:
        # Fixed slugs, so that the nested schema's reference (and so its checksum) is the same
        # in every run.
        return [
            post("/block_types/", {"name": f"Recorded {tag} Credentials", "slug": f"recorded-{tag.lower()}-creds",
                                   "description": "a <b> & c", "code_example": "x < y"}, capture={"creds_type": "id"}),
            post("/block_types/", {"name": f"Recorded {tag} Connection", "slug": f"recorded-{tag.lower()}-conn"},
                 capture={"conn_type": "id"}),
        ]

    unique_types = [
        post("/block_types/", {"name": "Recorded Credentials {unique}", "slug": "creds-{unique}", "description": "a <b> & c",
                               "code_example": "x < y"}, capture={"creds_type": "id"}),
        post("/block_types/", {"name": "Recorded Connection {unique}", "slug": "conn-{unique}"}, capture={"conn_type": "id"}),
        get("/block_types/slug/secret"),
        post("/block_types/filter", {"block_types": {"slug": {"any_": ["secret"]}}}),
    ]
    secret = [post("/block_types/filter", {"block_types": {"slug": {"any_": ["secret"]}}}, capture={"secret": "0.id"})]
    out["block types: create, read, filter, update, delete; reserved, taken, protected"] = unique_types + secret + [
        post("/block_types/", {"name": "Other", "slug": "creds-{unique}"}),
        post("/block_types/", {"name": "PrefectThing", "slug": "p-{unique}"}),
        post("/block_types/", {"name": "Bad", "slug": "Bad Slug"}),
        post("/block_types/", {"name": "a/b", "slug": "ok-{unique}", "zzz": 1}),
        post("/block_types/", {"name": "No slug"}),
        get("/block_types/{creds_type}"),
        get("/block_types/slug/creds-{unique}"),
        get("/block_types/{uuid}"),
        get("/block_types/slug/missing-{unique}"),
        post("/block_types/filter", {"block_types": {"name": {"like_": "recorded credentials {unique}"}}}),
        post("/block_types/filter", {"block_types": {"slug": {"any_": ["conn-{unique}", "creds-{unique}"]}}}),
        patch("/block_types/{creds_type}", {"description": "plain <now>", "logo_url": "https://example.com/l.png"}),
        get("/block_types/{creds_type}"),
        patch("/block_types/{creds_type}", {"name": "renamed"}),
        patch("/block_types/{uuid}", {"description": "x"}),
        delete("/block_types/{secret}"),
        delete("/block_types/{conn_type}"),
        get("/block_types/{conn_type}"),
        delete("/block_types/{conn_type}"),
    ]
    def connection_fields(tag: str, checksum: str) -> dict:
        return {
            "title": f"Recorded{tag}Connection", "type": "object", "block_type_slug": f"recorded-{tag.lower()}-connection",
            "properties": {"host": {"title": "Host", "type": "string"},
                           "credentials": {"$ref": f"#/definitions/Recorded{tag}Credentials"}},
            "required": ["host"], "secret_fields": ["credentials.token"],
            "block_schema_references": {"credentials": {"block_schema_checksum": checksum,
                                                        "block_type_slug": f"recorded-{tag.lower()}-creds"}},
            "definitions": {f"Recorded{tag}Credentials": credentials_fields(tag), "Unused": {"title": "Unused", "type": "string"}}}

    def schemas(tag: str) -> list[dict]:
        return [post("/block_schemas/", {"fields": credentials_fields(tag), "block_type_id": "{creds_type}",
                                         "capabilities": ["read-path"]}, capture={"creds_schema": "id", "creds_checksum": "checksum"})]

    out["block schemas: create once per checksum and version, read, filter, nested, delete"] = types("Schemas") + secret + schemas("Schemas") + [
        post("/block_schemas/", {"fields": credentials_fields("Schemas"), "block_type_id": "{creds_type}"}),
        post("/block_schemas/", {"fields": credentials_fields("Schemas"), "block_type_id": "{creds_type}", "version": "2.0"},
             capture={"versioned": "id"}),
        post("/block_schemas/", {"fields": {"title": "X"}, "block_type_id": "{uuid}"}),
        post("/block_schemas/", {"fields": []}),
        post("/block_schemas/", {"fields": {}, "block_type_id": "nope", "zzz": 1}),
        get("/block_schemas/{creds_schema}"),
        get("/block_schemas/{uuid}"),
        get("/block_schemas/checksum/{creds_checksum}"),
        get("/block_schemas/checksum/{creds_checksum}?version=non-versioned"),
        get("/block_schemas/checksum/sha256:missing"),
        post("/block_schemas/filter", {"block_schemas": {"block_type_id": {"any_": ["{creds_type}"]}}}),
        post("/block_schemas/filter", {"block_schemas": {"block_type_id": {"any_": ["{creds_type}"]}}, "limit": 1}),
        post("/block_schemas/filter", {"block_schemas": {"block_type_id": {"any_": ["{creds_type}"]},
                                                         "block_capabilities": {"all_": ["read-path"]}}}),
        post("/block_schemas/filter", {"block_schemas": {"block_type_id": {"any_": ["{creds_type}"]}, "version": {"any_": ["2.0"]}}}),
        post("/block_types/filter", {"block_types": {"slug": {"any_": ["recorded-schemas-conn", "recorded-schemas-creds"]}},
                                     "block_schemas": {"version": {"any_": ["2.0"]}}}),
        post("/block_schemas/", {"fields": connection_fields("Schemas", "{creds_checksum}"), "block_type_id": "{conn_type}"},
             capture={"conn_schema": "id"}),
        post("/block_schemas/", {"fields": {**connection_fields("Schemas", "{creds_checksum}"), "title": "Orphan", "block_schema_references": {
            "credentials": {"block_schema_checksum": "sha256:1", "block_type_slug": "missing-{unique}"}}},
            "block_type_id": "{conn_type}"}),
        get("/block_schemas/{conn_schema}"),
        post("/block_schemas/filter", {"block_schemas": {"block_type_id": {"any_": ["{secret}"]}}}),
        delete("/block_schemas/{versioned}"),
        delete("/block_schemas/{versioned}"),
        post("/block_schemas/filter", {"block_schemas": {"block_type_id": {"any_": ["{creds_type}"]}}}),
    ]
    doc = {"block_type_id": "{creds_type}", "block_schema_id": "{creds_schema}"}
    out["block documents: secrets, references, filters, updates, deletes"] = types("Documents") + secret + schemas("Documents") + [
        post("/block_documents/", {**doc, "name": "creds-{unique}", "data": {"user": "u", "token": "t0k", "extra": {"a": 1}}},
             capture={"creds": "id"}),
        post("/block_documents/", {**doc, "name": "creds-{unique}", "data": {}}),
        post("/block_documents/", {**doc, "data": {}}),
        post("/block_documents/", {**doc, "name": "Bad Name", "data": []}),
        post("/block_documents/", {**doc, "name": "ref-{unique}", "data": {"r": {"$ref": {}}}}),
        post("/block_documents/", {**doc, "name": "anon-{unique}", "data": {"token": "a"}, "is_anonymous": True},
             capture={"anon": "id"}),
        post("/block_documents/", {**doc, "data": {"token": "b"}, "is_anonymous": True}, capture={"anontwo": "id"}),
        get("/block_documents/{creds}"),
        get("/block_documents/{creds}?include_secrets=true"),
        get("/block_documents/{creds}?include_secrets=maybe"),
        get("/block_documents/{uuid}"),
        get("/block_types/slug/recorded-documents-creds/block_documents"),
        get("/block_types/slug/recorded-documents-creds/block_documents/name/creds-{unique}?include_secrets=true"),
        get("/block_types/slug/recorded-documents-creds/block_documents/name/anon-{unique}"),
        get("/block_types/slug/recorded-documents-creds/block_documents/name/missing"),
        get("/block_types/slug/missing-{unique}/block_documents"),
        post("/block_documents/filter", {"block_types": {"slug": {"any_": ["recorded-documents-creds"]}}}),
        post("/block_documents/filter", {"block_types": {"slug": {"any_": ["recorded-documents-creds"]}},
                                         "block_documents": {"is_anonymous": None}, "sort": "NAME_DESC", "include_secrets": True}),
        post("/block_documents/filter", {"block_types": {"slug": {"any_": ["recorded-documents-creds"]}},
                                         "block_documents": {"name": {"like_": "anon"}}}),
        post("/block_documents/filter", {"block_types": {"slug": {"any_": ["recorded-documents-creds"]}}, "sort": "NOPE"}),
        post("/block_documents/count", {"block_types": {"slug": {"any_": ["recorded-documents-creds"]}}}),
        post("/block_documents/count", {"block_schemas": {"id": {"any_": ["{creds_schema}"]}}, "block_documents": {"is_anonymous": None}}),
        post("/block_documents/", {"block_type_id": "{conn_type}", "block_schema_id": "{creds_schema}", "name": "conn-{unique}",
                                   "data": {"host": "h", "credentials": {"$ref": {"block_document_id": "{creds}"}}}},
             capture={"conn": "id"}),
        get("/block_documents/{conn}"),
        get("/block_documents/{conn}?include_secrets=true"),
        patch("/block_documents/{creds}", {"data": {"token": "********", "user": "v"}}),
        get("/block_documents/{creds}?include_secrets=true"),
        patch("/block_documents/{creds}", {"data": {"loop": {"$ref": {"block_document_id": "{conn}"}}}}),
        patch("/block_documents/{creds}", {"data": {"user": "w"}, "merge_existing_data": False}),
        get("/block_documents/{creds}?include_secrets=true"),
        patch("/block_documents/{creds}", {"zzz": 1}),
        patch("/block_documents/{uuid}", {"data": {}}),
        patch("/block_documents/{conn}", {"data": {"host": "h2"}, "merge_existing_data": False}),
        get("/block_documents/{conn}"),
        delete("/block_documents/{creds}"),
        delete("/block_documents/{creds}"),
        delete("/block_documents/{anon}"),
        delete("/block_documents/{anontwo}"),
        post("/block_documents/count", {"block_types": {"slug": {"any_": ["recorded-documents-creds"]}}}),
    ]

    def template(default) -> dict:
        return {"job_configuration": {"command": "{{ command }}", "creds": "{{ creds }}"},
                "variables": {"type": "object", "required": ["creds"],
                              "properties": {"command": {"type": "string"},
                                             "creds": {"type": "object", "default": default,
                                                       "properties": {"value": {"type": "string"}}}}}}
    out["work pools: job-variable defaults that reference block documents"] = [
        post("/block_types/filter", {"block_types": {"slug": {"any_": ["secret"]}}}, capture={"secret": "0.id"}),
        post("/block_schemas/filter", {"block_schemas": {"block_type_id": {"any_": ["{secret}"]}}}, capture={"secret_schema": "0.id"}),
        post("/block_documents/", {"block_type_id": "{secret}", "block_schema_id": "{secret_schema}", "name": "pool-{unique}",
                                   "data": {"value": "s3cr3t"}}, capture={"doc": "id"}),
        post("/work_pools/", {"name": "blockpool-{unique}", "type": "process",
                              "base_job_template": template({"$ref": {"block_document_id": "{doc}"}})}),
        post("/work_pools/", {"name": "missing-{unique}", "type": "process",
                              "base_job_template": template({"$ref": {"block_document_id": "{uuid}"}})}),
        post("/work_pools/", {"name": "noid-{unique}", "type": "process", "base_job_template": template({"$ref": {}})}),
        post("/work_pools/", {"name": "badid-{unique}", "type": "process",
                              "base_job_template": template({"$ref": {"block_document_id": "nope"}})}),
        post("/flows/", {"name": "blockpool-{unique}"}, capture={"flow": "id"}),
        post("/deployments/", {"name": "d", "flow_id": "{flow}", "work_pool_name": "blockpool-{unique}",
                               "job_variables": {"command": "run"}}, capture={"deployment": "id"}),
        post("/deployments/{deployment}/create_flow_run", {"name": "run", "job_variables": {"command": "go"}}),
        post("/deployments/", {"name": "e", "flow_id": "{flow}", "work_pool_name": "noid-{unique}",
                               "job_variables": {"command": "run"}}, capture={"other": "id"}),
        post("/deployments/{other}/create_flow_run", {"name": "other"}),
        post("/deployments/", {"name": "f", "flow_id": "{flow}", "infrastructure_document_id": "{uuid}"}),
        post("/deployments/", {"name": "g", "flow_id": "{flow}", "storage_document_id": "{uuid}"}),
        post("/deployments/", {"name": "h", "flow_id": "{flow}", "storage_document_id": "{doc}", "infrastructure_document_id": "{doc}"}),
        # A run-deployment action's job variables must make a valid run of the deployment's pool.
        post("/automations/", {"name": "run-{unique}", "trigger": {"type": "event", "posture": "Reactive"},
                               "actions": [{"type": "run-deployment", "source": "selected", "deployment_id": "{other}",
                                            "job_variables": {"command": "x"}}]}),
        post("/automations/", {"name": "run-{unique}", "trigger": {"type": "event", "posture": "Reactive"},
                               "actions": [{"type": "run-deployment", "source": "selected", "deployment_id": "{uuid}",
                                            "job_variables": {"command": "x"}}]}),
        post("/automations/", {"name": "run-{unique}", "trigger": {"type": "event", "posture": "Reactive"},
                               "actions": [{"type": "run-deployment", "source": "selected", "deployment_id": "{other}",
                                            "job_variables": {"command": "x", "creds": {"value": "v"}}}]}, capture={"auto": "id"}),
        {"method": "PUT", "path": "/automations/{auto}", "body": {
            "name": "run-{unique}", "trigger": {"type": "event", "posture": "Reactive"},
            "actions": [{"type": "run-deployment", "source": "selected", "deployment_id": "{other}", "job_variables": {}}]}},
        delete("/automations/{auto}"),
        delete("/work_pools/blockpool-{unique}"),
        delete("/work_pools/noid-{unique}"),
        delete("/block_documents/{doc}"),
    ]
    return out


def automations() -> dict[str, list[dict]]:
    """Automations: stored, listed, replaced, paused, resumed, related and owned resources."""
    out: dict[str, list[dict]] = {}
    trigger = {"type": "compound", "require": 1, "within": 300, "triggers": [
        {"type": "event", "posture": "Proactive", "expect": ["prefect.flow-run.Running"], "after": ["prefect.flow-run.Pending"],
         "for_each": ["prefect.resource.id"], "match": {"prefect.resource.id": "prefect.flow-run.*"}, "within": 0},
        {"type": "sequence", "within": "PT2M", "triggers": [
            {"type": "event", "posture": "Reactive", "expect": ["prefect.flow-run.Failed"], "threshold": 2, "within": 60,
             "match_related": [{"prefect.resource.role": "flow"}]}]}]}
    actions = [
        {"type": "run-deployment", "source": "selected", "deployment_id": "{uuid}", "parameters": {"x": 1}, "schedule_after": 30},
        {"type": "pause-deployment", "source": "inferred"},
        {"type": "change-flow-run-state", "state": "FAILED", "message": "stuck"},
        {"type": "cancel-flow-run"}, {"type": "suspend-flow-run"}, {"type": "resume-flow-run"}, {"type": "delete-flow-run"},
        {"type": "pause-work-queue", "source": "inferred"}, {"type": "resume-work-pool", "source": "inferred"},
        {"type": "pause-automation", "source": "inferred"},
        {"type": "send-notification", "block_document_id": "{uuid}", "body": "late"},
        {"type": "call-webhook", "block_document_id": "{uuid}"},
        {"type": "do-nothing"},
    ]
    mine = {"automations": {"name": {"any_": ["auto-{unique}", "other-{unique}"]}}}
    out["automations: create, read, filter, count, pause, replace, related, owned, delete"] = [
        post("/automations/", {"name": "auto-{unique}", "description": "d", "tags": ["ops"], "trigger": trigger,
                               "actions": actions, "actions_on_trigger": [{"type": "do-nothing"}]}, capture={"auto": "id"}),
        post("/automations/", {"name": "other-{unique}", "trigger": {"type": "event", "posture": "Reactive"},
                               "actions": [{"type": "do-nothing"}], "owner_resource": "prefect.deployment.{uuid}"},
             capture={"other": "id"}),
        post("/automations/", {"trigger": {"type": "event", "posture": "Reactive"}, "actions": [], "zzz": 1}),
        post("/automations/", {"name": "x", "trigger": {"type": "event", "posture": "Reactive"}}),
        # Found by schemathesis: an action of a known type whose members are wrong is a union error.
        post("/automations/", {"name": "x", "trigger": {"type": "event", "posture": "Reactive"}, "actions": [
            {"type": "change-flow-run-state", "state": "AAA"},
            {"type": "pause-work-queue", "source": "inferred", "work_queue_id": 5}]}),
        get("/automations/{auto}"),
        get("/automations/{uuid}"),
        post("/automations/filter", {**mine, "sort": "NAME_DESC"}),
        post("/automations/filter", {**mine, "limit": 1}),
        post("/automations/filter", {"automations": {"name": {"any_": ["auto-{unique}"]}, "tags": {"all_": ["ops"]}}}),
        post("/automations/filter", {"automations": {"id": {"any_": ["{auto}", "{other}"]}, "tags": {"is_null_": True}}}),
        post("/automations/filter", {**mine, "sort": "NOPE"}),
        post("/automations/count", mine),
        get("/automations/related-to/prefect.deployment.{uuid}"),
        patch("/automations/{auto}", {"enabled": False}),
        get("/automations/{auto}"),
        patch("/automations/{auto}", {"enabled": True, "name": "no"}),
        patch("/automations/{uuid}", {"enabled": True}),
        {"method": "PUT", "path": "/automations/{auto}", "body": {
            "name": "auto-{unique}", "trigger": {"type": "event", "posture": "Reactive", "expect": ["x"]},
            "actions": [{"type": "do-nothing"}]}},
        get("/automations/{auto}"),
        get("/automations/related-to/prefect.deployment.{uuid}"),
        {"method": "PUT", "path": "/automations/{uuid}", "body": {
            "name": "n", "trigger": {"type": "event", "posture": "Reactive"}, "actions": []}},
        {"method": "PUT", "path": "/automations/{auto}", "body": {
            "name": "n", "trigger": {"type": "event", "posture": "Reactive"}, "actions": [], "owner_resource": "x"}},
        delete("/automations/owned-by/prefect.deployment.{uuid}"),
        get("/automations/{other}"),
        delete("/automations/{auto}"),
        delete("/automations/{auto}"),
        post("/automations/count", mine),
    ]
    return out


def scenarios() -> dict[str, list[dict]]:
    return {**variables(), **work_pools(), **flows(), **deployments(), **deployment_rules(), **deployment_validation(),
            **concurrency_limits(), **artifacts(), **blocks(), **automations()}
