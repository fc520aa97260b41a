#!/usr/bin/env python3
"""Prefect 3.9.1's UI served by prefect-swift server start, against the stock server serving it:
every file of both bundles (v1 and v2), and the paths a browser opens, with and without asking
for HTML, must get the same status, Content-Type, redirect target and bytes from both (the
base-path placeholder replaced alike). /ui-settings must match but for api_url, each server's
own. Then a server without a local prefect install downloads Prefect's wheel from PyPI, serves
the same bytes, and a restart on the same PREFECT_HOME uses its cache without downloading.

  check-ui-serving.py STOCK_ROOT PREFECT_SWIFT_BINARY PREFECT_VENV
  (STOCK_ROOT: a stock server started with the UI, e.g. http://127.0.0.1:4200)
"""
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
ANY = {"Accept": "*/*"}
PAGES = ["/", "/v2", "/v2/", "/v2/runs", "/v2/flows/flow/00000000-0000-0000-0000-000000000000", "/dashboard",
         "/runs", "/nothing.js", "/v2/nothing.js", "/ui-settings", "/v2/ui-settings", "/robots.txt"]


def start_swift(binary, home, environment):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_UI_ENABLED="true", **environment)
    output = home / "out"
    process = subprocess.Popen([binary, "server", "start", "--port", "0", "--database", str(home / "db.sqlite")],
                               stdout=output.open("w"), stderr=subprocess.STDOUT, env=env)
    for _ in range(600):
        text = output.read_text()
        if "Check out the dashboard" in text or "The dashboard is" in text:
            break
        if process.poll() is not None:
            sys.exit(f"server start exited:\n{text}")
        time.sleep(0.1)
    else:
        process.kill()
        sys.exit(f"server start printed no dashboard line in 60 s:\n{output.read_text()}")
    url = next(line.split("=", 1)[1] for line in text.splitlines() if line.startswith("PREFECT_API_URL="))
    return process, url.removesuffix("/api"), text


def answer(client, root, path, headers):
    response = client.get(root + path, headers=headers)
    location = response.headers.get("location")
    if location:  # Starlette answers with the absolute URL, ours with the path: the same target
        parts = urlsplit(location)
        location = parts.path + (f"?{parts.query}" if parts.query else "")
    return response.status_code, response.headers.get("content-type"), location, response.content


def compare(stock_root, swift_root, paths):
    problems = []
    with httpx.Client(timeout=30, follow_redirects=False) as client:
        for path in paths:
            for name, headers in [("html", HTML), ("any", ANY)]:
                stock = answer(client, stock_root, path, headers)
                swift = answer(client, swift_root, path, headers)
                if path == "/ui-settings" and stock[0] == 200:
                    stock_settings, swift_settings = httpx.Response(200, content=stock[3]).json(), httpx.Response(200, content=swift[3]).json()
                    if swift_settings.pop("api_url") != swift_root + "/api":
                        problems.append(f"{path}: api_url is not the server's own")
                    stock_settings.pop("api_url")
                    if (stock[:3], stock_settings) != (swift[:3], swift_settings):
                        problems.append(f"{path} [{name}]: stock {stock[:3]} {stock_settings} | swift {swift[:3]} {swift_settings}")
                elif stock != swift:
                    problems.append(f"{path} [{name}]: stock {stock[:3]} {len(stock[3])} bytes | swift {swift[:3]} {len(swift[3])} bytes")
    return problems


def bundle_paths(venv):
    site = next(Path(venv, "lib").glob("python3*/site-packages"))
    paths = []
    for directory, base in [("ui", "/"), ("ui-v2", "/v2/")]:
        root = site / "prefect" / "server" / directory
        paths += [base + str(file.relative_to(root)) for file in sorted(root.rglob("*")) if file.is_file()]
    return paths


def main():
    stock_root, binary, venv = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    paths = PAGES + bundle_paths(venv)
    failures = []
    with tempfile.TemporaryDirectory() as scratch:
        local_home, download_home = Path(scratch, "local"), Path(scratch, "download")
        local_home.mkdir()
        download_home.mkdir()
        local, local_root, _ = start_swift(binary, local_home, {"PATH": f"{venv}/bin:{os.environ['PATH']}"})
        try:
            problems = compare(stock_root, local_root, paths)
            print(f"local prefect install: {len(paths)} paths x 2 Accept headers, {len(problems)} differences")
            failures += problems
        finally:
            local.terminate()
            local.wait()
        bare_path = ":".join(p for p in os.environ["PATH"].split(":") if not Path(p, "prefect").exists())
        for attempt in ["first start", "restart"]:
            started = time.monotonic()
            server, root, text = start_swift(binary, download_home, {"PATH": bare_path})
            try:
                downloaded = "Downloading Prefect 3.9.1's UI" in text
                print(f"{attempt}: {'downloaded the wheel' if downloaded else 'no download'}, dashboard line after {time.monotonic() - started:.1f} s")
                if downloaded != (attempt == "first start"):
                    failures.append(f"{attempt}: expected {'a' if attempt == 'first start' else 'no'} download:\n{text}")
                if "from the prefect 3.9.1 wheel" not in text:
                    failures.append(f"{attempt}: the bundles do not come from the downloaded wheel:\n{text}")
                problems = compare(stock_root, root, paths if attempt == "first start" else PAGES)
                print(f"{attempt}: {len(problems)} differences")
                failures += problems
            finally:
                server.terminate()
                server.wait()
    if failures:
        print("\n".join(failures[:40]))
        sys.exit(f"check-ui-serving: {len(failures)} differences from the stock server")
    print("check-ui-serving: the same answers as the stock server")


if __name__ == "__main__":
    main()
