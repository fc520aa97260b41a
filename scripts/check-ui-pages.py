#!/usr/bin/env python3
"""Prefect 3.9.1's UI in headless Chromium, side by side on a stock server and on prefect-swift
server start, both holding the same data: for each page of both UIs (v2 and v1), no API call
answered 400 or more on ours (beyond those stock answers too), no console error from our origin
(beyond stock's), and the page's text equal to stock's once ids, times and durations are
normalized (a code editor's whole document is read from the editor; charts' axis labels, the
runs' own times, are not compared; the run graphs are drawn on a canvas and have no text).
Screenshots of both sides go to the folder printed at the start; --report writes the page table.

  check-ui-pages.py STOCK_ROOT SWIFT_ROOT [--only TEXT] [--report FILE]
  (roots like http://127.0.0.1:4200; both serve the UI)
"""
import argparse
import json
import re
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import httpx
from selenium.common.exceptions import TimeoutException
from side_by_side import caller
from urllib3.exceptions import MaxRetryError, ReadTimeoutError
from ui_browser import browser, load

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
# Times and durations the pages write relative to now or in the browser's time zone.
CLOCK = [
    (re.compile(r"\b\d{4}[/-]\d{2}[/-]\d{2}[ T,]*\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(AM|PM)?( [A-Z]{2,5})?", re.I), "<time>"),
    (re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2}(st|nd|rd|th)?,? ?(\d{4})?(,? (at )?\d{1,2}:\d{2}(:\d{2})?\s*(AM|PM)?)?", re.I), "<time>"),
    (re.compile(r"\b\d{1,2}:\d{2}(:\d{2})?(\.\d+)?\s*(AM|PM)?\b", re.I), "<time>"),
    (re.compile(r"\b(about |almost |over |less than )?(a|an|\d+) (second|minute|hour|day|week|month|year)s?( ago)?\b", re.I), "<duration>"),
    (re.compile(r"\bin (about |almost |over |less than )?(a|an|\d+) (second|minute|hour|day|week|month|year)s?\b", re.I), "<duration>"),
    (re.compile(r"\b(\d+(\.\d+)?(ms|s|m|h|d|w)\b ?)+", re.I), "<duration>"),
    (re.compile(r"\bjust now\b", re.I), "<duration>"),
]


def normalize(text: str, names: dict[str, str]) -> list[str]:
    for value, name in names.items():
        text = text.replace(value, name)
    text = UUID.sub("<id>", text)
    for pattern, replacement in CLOCK:
        text = pattern.sub(replacement, text)
    return [line.strip() for line in text.splitlines() if line.strip()]


def seed(api: str, unique: str) -> dict:
    """The same data on a server: a flow with a deployment on a process pool, runs in several
    states (one with task runs, logs, a subflow and artifacts), a variable, a block, a
    concurrency limit and an automation. Answers the ids pages need."""
    with httpx.Client(base_url=api, timeout=30) as client:
        call = caller(client)
        pool = f"ui-pool-{unique}"
        call("POST", "/work_pools/", json={"name": pool, "type": "process"})
        call("POST", f"/work_pools/{pool}/queues", json={"name": "second-queue"})
        flow = call("POST", "/flows/", json={"name": f"ui-flow-{unique}"})["id"]
        deployment = call("POST", "/deployments/", json={
            "name": f"ui-deployment-{unique}", "flow_id": flow, "work_pool_name": pool, "tags": ["ui"],
            "parameter_openapi_schema": {"type": "object", "title": "Parameters", "properties": {
                "name": {"type": "string", "title": "name", "default": "world", "position": 0},
                "count": {"type": "integer", "title": "count", "default": 3, "position": 1}}},
            "parameters": {"name": "world", "count": 3}})["id"]
        runs = {}
        for name, state in [("ui-done", "COMPLETED"), ("ui-failed", "FAILED"), ("ui-running", "RUNNING")]:
            runs[name] = call("POST", "/flow_runs/", json={
                "flow_id": flow, "name": f"{name}-{unique}", "deployment_id": deployment,
                "parameters": {"name": "ui", "count": 1}, "state": {"type": state}})["id"]
        runs["ui-scheduled"] = call("POST", f"/deployments/{deployment}/create_flow_run", json={
            "name": f"ui-scheduled-{unique}", "state": {"type": "SCHEDULED", "state_details": {"scheduled_time": "2099-01-01T00:00:00Z"}}})["id"]
        host = runs["ui-running"]
        first = call("POST", "/task_runs/", json={"flow_run_id": host, "task_key": "extract", "dynamic_key": "0", "name": "extract-0",
                                                  "state": {"type": "COMPLETED"}})["id"]
        call("POST", "/task_runs/", json={"flow_run_id": host, "task_key": "load", "dynamic_key": "0", "name": "load-0",
                                          "task_inputs": {"rows": [{"input_type": "task_run", "id": first}]}, "state": {"type": "RUNNING"}})
        wrapper = call("POST", "/task_runs/", json={"flow_run_id": host, "task_key": "child", "dynamic_key": "0", "name": "child-0",
                                                    "state": {"type": "RUNNING"}})["id"]
        call("POST", "/flow_runs/", json={"flow_id": flow, "name": f"ui-subflow-{unique}", "parent_task_run_id": wrapper,
                                          "state": {"type": "RUNNING"}})
        call("POST", "/logs/", json=[{"name": "prefect.flow_runs", "level": 20, "message": f"hello from {unique} number {i}",
                                      "timestamp": "2026-01-01T00:00:0%dZ" % i, "flow_run_id": host} for i in range(3)])
        call("POST", "/artifacts/", json={"key": f"ui-report-{unique}", "type": "markdown", "data": "# Report\n\nAll good.",
                                          "flow_run_id": host, "task_run_id": first})
        # Keyless: Prefect's UI lists artifact collections by ID_DESC, an order of random UUIDs that two
        # servers cannot share, so only one keyed artifact is seeded.
        call("POST", "/artifacts/", json={"type": "table", "data": json.dumps([{"a": 1, "b": 2}]), "flow_run_id": host})
        call("POST", "/variables/", json={"name": f"ui_variable_{unique}", "value": {"z": 1, "a": [1, 2]}, "tags": ["ui"]})
        secret_type = call("GET", "/block_types/slug/secret")
        schema = call("POST", "/block_schemas/filter", json={"block_types": {"slug": {"any_": ["secret"]}}})[0]
        call("POST", "/block_documents/", json={"name": f"ui-secret-{unique}", "block_type_id": secret_type["id"],
                                                "block_schema_id": schema["id"], "data": {"value": "s3cr3t"}})
        call("POST", "/v2/concurrency_limits/", json={"name": f"ui-limit-{unique}", "limit": 3})
        call("POST", "/automations/", json={
            "name": f"ui-automation-{unique}", "trigger": {"type": "event", "posture": "Reactive", "expect": [f"ui.{unique}"],
                                                            "match": {}, "threshold": 1, "within": 0},
            "actions": [{"type": "pause-deployment", "source": "selected", "deployment_id": deployment}]})
        return {"flow": flow, "deployment": deployment, "pool": pool, "task": first, **runs}


def pages(ids: dict) -> list[str]:
    return [
        "/dashboard", "/runs", f"/runs/flow-run/{ids['ui-running']}", f"/runs/flow-run/{ids['ui-done']}",
        f"/runs/task-run/{ids['task']}", "/flows", f"/flows/flow/{ids['flow']}", "/deployments",
        f"/deployments/deployment/{ids['deployment']}", f"/deployments/deployment/{ids['deployment']}/run",
        "/work-pools", f"/work-pools/work-pool/{ids['pool']}", f"/work-pools/work-pool/{ids['pool']}/queue/default",
        "/blocks", "/blocks/catalog", "/variables", "/artifacts", "/automations", "/events", "/concurrency-limits", "/settings",
    ]


def stopped_answering(error) -> bool:
    """Whether a visit failed because its browser stopped answering WebDriver: the client's read
    timed out (after urllib3's retries for a GET), or chromedriver timed out waiting for the
    page's renderer. Any other error is the check's own and fails it at once."""
    if isinstance(error, MaxRetryError):
        error = error.reason
    return isinstance(error, (ReadTimeoutError, TimeoutException))


def visit(driver, root: str, path: str, shot: Path) -> dict:
    # Network idle: no request for 1 s (at most 25 s).
    statuses = load(driver, root + path)["statuses"]
    time.sleep(0.5)
    # Code editors (CodeMirror) draw only the lines in view: their whole documents are read from
    # the editor instead, and the rest of the page as it shows.
    text = settled_text(driver)
    console = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    driver.save_screenshot(str(shot))
    return {"statuses": statuses, "console": console, "text": text}


def settled_text(driver) -> str:
    """The page's text once two reads 0.4 s apart agree (lazy parts of a page draw late)."""
    previous = None
    for _ in range(15):
        text = page_text(driver)
        if text == previous:
            return text
        previous = text
        time.sleep(0.4)
    return previous or ""


def page_text(driver) -> str:
    return driver.execute_script(r"""
        if (!document.body) return '';
        const editors = [...document.querySelectorAll('.cm-editor')];
        const documents = editors.map(editor => {
            const content = editor.querySelector('.cm-content');
            const view = content && content.cmView && content.cmView.view;
            return view ? view.state.doc.toString() : (content ? content.innerText : '');
        });
        // Charts (SVG) label their axes with the runs' own times, to the millisecond: not
        // compared, nor recharts' off-screen span that measures label widths (it holds
        // whichever label it measured last: a day, or a running run's growing duration).
        // CodeMirror's theme sets `display: flex !important`.
        const hidden = [...editors, ...document.querySelectorAll('svg, #recharts_measurement_span')];
        hidden.forEach(element => element.style.setProperty('display', 'none', 'important'));
        const page = document.body.innerText;
        hidden.forEach(element => element.style.removeProperty('display'));
        return page + '\n' + documents.join('\n');
    """)


def api_failures(statuses, root: str) -> set[str]:
    """The API calls answered 400 or more (or not at all)."""
    return {f"{status} {re.sub(UUID, '<id>', url.replace(root, ''))}" for status, url in statuses
            if url.startswith(root + "/api/") and (status >= 400 or status == 0)}


def console_errors(lines, root: str) -> set[str]:
    """Console errors that name the server, but a static file the UI itself asks for by a name it
    has not worked out yet (the favicon of a run whose state is still loading, `/ico/undefined.svg`,
    happens on both servers as the page races)."""
    out = set()
    for line in lines:
        if root not in line or ("Failed to load resource" in line and root + "/api/" not in line):
            continue
        out.add(re.sub(UUID, "<id>", line.replace(root, "<root>")))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("stock")
    parser.add_argument("swift")
    parser.add_argument("--only")
    parser.add_argument("--report")
    args = parser.parse_args()
    stock_root, swift_root = args.stock.rstrip("/"), args.swift.rstrip("/")
    shots = Path(tempfile.mkdtemp(prefix="prefect-ui-pages-"))
    print(f"screenshots: {shots}")
    unique = f"{int(time.time()) % 100000}"
    stock_ids, swift_ids = seed(stock_root + "/api", unique), seed(swift_root + "/api", unique)
    print(f"the same data on both servers (names end in -{unique})")
    # Each server's own home and address, shown on the settings page, stand for themselves.
    names = {}
    for root in (stock_root, swift_root):
        settings = httpx.get(root + "/api/admin/settings", timeout=30).json()
        names[settings["home"]] = "<home>"
        names[f":{settings['server']['api']['port']}/"] = ":<port>/"
        names[f": {settings['server']['api']['port']},"] = ": <port>,"
    rows, failures = [], []
    drivers = [browser(), browser()]
    pool = ThreadPoolExecutor(max_workers=2)
    try:
        for ui, prefix in [("v2", "/v2"), ("v1", "")]:
            for stock_page, swift_page in zip(pages(stock_ids), pages(swift_ids)):
                page = prefix + stock_page
                label = f"{ui} {re.sub(UUID, '<id>', stock_page)}"
                if args.only and args.only not in label:
                    continue
                slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
                # Both sides at once, each in its own browser; a page that differs is opened once
                # more on both (the UI draws some parts as its requests race), and differs only
                # if it differs again.
                for attempt in range(2):
                    stock_visit = pool.submit(visit, drivers[0], stock_root, page, shots / f"{slug}.stock.png")
                    swift_visit = pool.submit(visit, drivers[1], swift_root, prefix + swift_page, shots / f"{slug}.swift.png")
                    wait([stock_visit, swift_visit])
                    hung = [side for side, future in (("stock", stock_visit), ("ours", swift_visit)) if stopped_answering(future.exception())]
                    if hung and attempt == 0:
                        # A browser that stopped answering WebDriver (its read timeout) is replaced,
                        # and the page opened again on both sides; a second time fails the check.
                        print(f"retry    {label}: the browser on {' and '.join(hung)} stopped answering; both open it again")
                        for index, side in enumerate(("stock", "ours")):
                            if side in hung:
                                try:
                                    drivers[index].quit()
                                except Exception:
                                    pass
                                drivers[index] = browser()
                        continue
                    stock, swift = stock_visit.result(), swift_visit.result()
                    extra_failures = sorted(api_failures(swift["statuses"], swift_root) - api_failures(stock["statuses"], stock_root))
                    extra_console = sorted(console_errors(swift["console"], swift_root) - console_errors(stock["console"], stock_root))
                    stock_lines, swift_lines = normalize(stock["text"], names), normalize(swift["text"], names)
                    same_text = stock_lines == swift_lines
                    if same_text and not extra_failures and not extra_console:
                        break
                rows.append({"page": label, "api_errors": extra_failures, "console_errors": extra_console, "same_text": same_text,
                             "stock_lines": len(stock_lines), "swift_lines": len(swift_lines)})
                verdict = "ok" if not extra_failures and not extra_console and same_text else "DIFFERS"
                print(f"{verdict:8} {label}: {len(stock_lines)} lines of text on stock, {len(swift_lines)} on ours"
                      + (f"; API errors {extra_failures}" if extra_failures else "")
                      + (f"; console {extra_console[:3]}" if extra_console else ""))
                if not same_text:
                    import difflib
                    diff = [line for line in difflib.unified_diff(stock_lines, swift_lines, "stock", "swift", n=0, lineterm="")][:16]
                    print("    " + "\n    ".join(diff))
                if verdict != "ok":
                    failures.append(label)
    finally:
        pool.shutdown()
        for driver in drivers:
            driver.quit()
    if args.report:
        Path(args.report).write_text(json.dumps(rows, indent=1))
    print(f"{len(rows) - len(failures)} of {len(rows)} pages the same on both servers; screenshots in {shots}")
    if failures:
        sys.exit(f"check-ui-pages: {len(failures)} pages differ: {failures}")


if __name__ == "__main__":
    main()
