#!/usr/bin/env bash
# Chromium and chromium-driver (Debian packages) and .ui-venv (selenium 4.51.0 and httpx from
# PyPI), for the UI checks (scripts/check-ui-pages.py) and the UI benchmark
# (Benchmarks/ui-compare.sh); nothing is installed that is already there.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
UI_VENV="$ROOT/.ui-venv"
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
fi
if ! "$UI_VENV/bin/python" -c "import selenium, httpx" 2>/dev/null; then
  rm -rf "$UI_VENV" && python3 -m venv "$UI_VENV" && "$UI_VENV/bin/pip" install --quiet --disable-pip-version-check selenium==4.51.0 httpx
fi
