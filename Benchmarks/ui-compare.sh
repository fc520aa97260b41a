#!/usr/bin/env bash
# Prefect's UI side by side in one run: a fresh stock Prefect 3.9.1 server (`prefect server
# start`, its UI on) and `prefect-swift server start` (release build, its UI on, the bundles of
# the same Prefect install), each on a fresh database filled with N flow runs by `prefect-bench
# fill`; then Benchmarks/ui_pageload.py loads the dashboard and the runs list of both UIs in
# headless Chromium until the network is idle. Prints both JSON lines and a table.
#
#   Benchmarks/ui-compare.sh [--runs 10000] [--repeat 5] [--out DIR]
#
# Installs Chromium, its driver and selenium (scripts/install-ui-tools.sh) when missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/swift-server-url.sh
source "$ROOT/scripts/swift-server-url.sh"
RUNS=10000
REPEAT=5
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --repeat) REPEAT="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
OUT="${OUT:-$ROOT/bench-results/ui-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"

"$ROOT/scripts/prefect-server.sh" install >/dev/null
"$ROOT/scripts/install-ui-tools.sh"
UI_PY="$ROOT/.ui-venv/bin/python"
(cd "$ROOT" && swift build -c release --product prefect-swift 2>&1 | grep -E "error:" >&2 || true)
(cd "$ROOT" && swift build -c release --product prefect-bench 2>&1 | grep -E "error:" >&2 || true)
BIN="$(cd "$ROOT" && swift build -c release --show-bin-path)"
WORK="$(mktemp -d /tmp/pfui-compare.XXXXXX)"
SWIFT_PID=""
trap '[ -n "$SWIFT_PID" ] && kill "$SWIFT_PID" 2>/dev/null; "$ROOT/scripts/prefect-server.sh" stop bench-ui >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

measure() { # label api-url
  # One create at a time: more make a stock server answer 503 (its SQLite locked) until the fill gives up.
  "$BIN/prefect-bench" fill --api-url "$2" --n "$RUNS" --concurrency 1 >"$OUT/$1-fill.json"
  echo "$1: $(cat "$OUT/$1-fill.json")" >&2
  "$UI_PY" "$ROOT/Benchmarks/ui_pageload.py" "${2%/api}" --label "$1" --repeat "$REPEAT" | tee "$OUT/$1.json"
}

rm -rf "$ROOT/.test-servers/bench-ui"
STOCK_URL="$("$ROOT/scripts/prefect-server.sh" start bench-ui --ui)"
measure stock "$STOCK_URL"
"$ROOT/scripts/prefect-server.sh" stop bench-ui >/dev/null

# The UI's bundles come from the Prefect install on PATH, as they would for a user who has one.
# Analytics off, as scripts/prefect-server.sh starts the stock server.
PATH="$ROOT/.prefect-venv/bin:$PATH" PREFECT_HOME="$WORK" PREFECT_SERVER_ANALYTICS_ENABLED=false \
  "$BIN/prefect-swift" server start --port 0 --database "$WORK/prefect.db" >"$WORK/out" 2>&1 &
SWIFT_PID=$!
SWIFT_URL="$(swift_server_url "$WORK/out" "$SWIFT_PID" 300)"
measure swift "$SWIFT_URL"

"$UI_PY" - "$OUT/stock.json" "$OUT/swift.json" "$RUNS" <<'PYEOF'
import json, sys
stock, swift = (json.load(open(path)) for path in sys.argv[1:3])
print(f"UI page load until the network is idle, {sys.argv[3]} flow runs, median (slowest) of {stock['repeat']}")
print(f"{'':16} {'Prefect 3.9.1':>20} {'prefect-swift':>20} {'requests':>10}")
for page, left in stock["pages"].items():
    right = swift["pages"][page]
    cell = lambda entry: f"{entry['median_ms']} ms ({entry['max_ms']})"
    print(f"{page:16} {cell(left):>20} {cell(right):>20} {left['requests']:>4} / {right['requests']:<4}")
    for side, entry in (("stock", left), ("swift", right)):
        if entry["api_failures"]:
            print(f"  {side} API failures: {entry['api_failures']}")
PYEOF
