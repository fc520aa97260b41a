"""Headless Chromium for the UI checks and the UI benchmark: one browser, and a page load that
lasts until the network is idle, as Chrome's DevTools protocol reports it."""
import json
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service


def browser() -> webdriver.Chrome:
    options = Options()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1000",
                     "--lang=en-US", "--force-prefers-reduced-motion"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def load(driver: webdriver.Chrome, url: str, quiet: float = 1.0, limit: float = 25.0, origin: str = "") -> dict:
    """Opens `url` and waits until no request has been made or answered for `quiet` seconds
    and the document is complete (at most `limit` s). Answers `statuses` ((status, url) of
    every response; 0 and the error for a request that failed), `requests` (how many were
    sent to `origin`, every one without it) and `seconds`: from the first of those requests to
    the last one's end, in the browser's own clock, which is when the network went idle."""
    driver.get_log("performance")
    driver.get_log("browser")
    driver.get(url)
    deadline, quiet_since, statuses = time.time() + limit, time.time(), []
    counted: set = set()
    first, last = None, None
    while time.time() < deadline:
        entries = driver.get_log("performance")
        for entry in entries:
            message = json.loads(entry["message"])["message"]
            method, params = message["method"], message.get("params", {})
            stamp = params.get("timestamp")
            if method == "Network.requestWillBeSent" and params["request"]["url"].startswith(origin):
                counted.add(params["requestId"])
                first = stamp if first is None else min(first, stamp)
            elif method == "Network.responseReceived":
                statuses.append((params["response"]["status"], params["response"]["url"]))
            elif method in ("Network.loadingFinished", "Network.loadingFailed"):
                if params["requestId"] in counted:
                    last = stamp if last is None else max(last, stamp)
                if method == "Network.loadingFailed" and not params.get("canceled"):
                    statuses.append((0, params.get("errorText", "")))
        if entries:
            quiet_since = time.time()
        elif time.time() - quiet_since > quiet and driver.execute_script("return document.readyState") == "complete":
            break
        time.sleep(0.1)
    seconds = (last - first) if first is not None and last is not None else None
    return {"statuses": statuses, "requests": len(counted), "seconds": seconds}
