"""What the side-by-side checks share: the same scenario run against a stock Prefect 3.9.1
server and prefect-swift at once, and requests retried while a stock server answers 503 (its
SQLite locked under the parallel test load)."""
import sys
import threading
import time


def on_both(check: str, scenario, stock_api: str, swift_api: str, *arguments):
    """`scenario(api, *arguments)` on both servers in parallel; its results, stock's first.
    Exits naming `check` when either run failed (its traceback is printed above)."""
    results = {}

    def run(name, api):
        results[name] = scenario(api, *arguments)

    threads = [threading.Thread(target=run, args=item) for item in [("stock", stock_api), ("swift", swift_api)]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if set(results) != {"stock", "swift"}:
        sys.exit(f"{check}: a scenario failed (see above)")
    return results["stock"], results["swift"]


def caller(client):
    """A function that sends one request, retried while the server answers 503, and answers its
    JSON (None for an empty body); any other status of 400 or more fails."""
    def call(method, path, **body):
        for _ in range(20):
            response = client.request(method, path, **body)
            if response.status_code != 503:
                assert response.status_code < 400, (method, path, response.status_code, response.text)
                return response.json() if response.content else None
            time.sleep(0.5)
        raise AssertionError(f"{method} {path} kept answering 503")

    return call
