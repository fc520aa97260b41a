#!/usr/bin/env python3
"""Prefect's UI in headless Chromium on one server: each page is loaded once to warm the
browser's cache of the UI's files, then --repeat times, each until the network is idle (no
request for 1 s; `scripts/ui_browser.py`), timed from the page's first request to the server to
the end of its last one, in the browser's clock (requests elsewhere, such as the UI's
analytics when they are on, are not timed). Prints one JSON object: per page the median and slowest
load, the requests one load makes, and the API calls answered >= 400.

  ui_pageload.py http://127.0.0.1:4200 --label stock [--repeat 5]
"""
import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from ui_browser import browser, load  # noqa: E402

PAGES = [("v2 dashboard", "/v2/dashboard"), ("v2 runs", "/v2/runs"), ("v1 dashboard", "/dashboard"), ("v1 runs", "/runs")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root")
    parser.add_argument("--label", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    root = args.root.rstrip("/")
    driver = browser()
    result = {"server": args.label, "repeat": args.repeat, "pages": {}}
    try:
        for name, path in PAGES:
            load(driver, root + path, origin=root)
            loads = [load(driver, root + path, origin=root) for _ in range(args.repeat)]
            seconds = [entry["seconds"] for entry in loads if entry["seconds"] is not None]
            failures = sorted({f"{status} {url.replace(root, '')}" for entry in loads for status, url in entry["statuses"]
                               if url.startswith(root + "/api/") and (status >= 400 or status == 0)})
            result["pages"][name] = {
                "median_ms": round(statistics.median(seconds) * 1000) if seconds else None,
                "max_ms": round(max(seconds) * 1000) if seconds else None,
                "requests": loads[-1]["requests"],
                "api_failures": failures,
            }
    finally:
        driver.quit()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
