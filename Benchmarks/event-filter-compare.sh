#!/usr/bin/env bash
# Reading events by resource side by side in one run (Benchmarks/event_filter.py on each): a
# fresh stock Prefect 3.9.1 server (`prefect server start`, services on) and `prefect-swift
# server start` (release build), each on a fresh database filled with the same shape of
# events: the events of one flow run, pages of a flow's and of a tag's newest events, counts by
# name, the newest page. Prints both JSON lines and a table of median milliseconds.
#
#   Benchmarks/event-filter-compare.sh [--events 100000] [--repeats 5] [--bin PATH] [--out DIR]
#
# --bin measures another prefect-swift binary (an older build, say) instead of this checkout's.
# Needs the Prefect venv of scripts/prefect-server.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/swift-server-url.sh
source "$ROOT/scripts/swift-server-url.sh"
EVENTS=100000
REPEATS=5
SWIFT_BIN=""
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --events) EVENTS="$2"; shift 2 ;;
    --repeats) REPEATS="$2"; shift 2 ;;
    --bin) SWIFT_BIN="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
OUT="${OUT:-$ROOT/bench-results/event-filter-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"

"$ROOT/scripts/prefect-server.sh" install >/dev/null
PY="$ROOT/.prefect-venv/bin/python"
if [ -z "$SWIFT_BIN" ]; then
  (cd "$ROOT" && swift build -c release --product prefect-swift 2>&1 | grep -E "error:" >&2 || true)
  SWIFT_BIN="$(cd "$ROOT" && swift build -c release --show-bin-path)/prefect-swift"
fi
WORK="$(mktemp -d /tmp/pfevent-filter.XXXXXX)"
SWIFT_PID=""
trap '[ -n "$SWIFT_PID" ] && kill "$SWIFT_PID" 2>/dev/null; "$ROOT/scripts/prefect-server.sh" stop bench-event-filter >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

PREFECT_HOME="$WORK" "$SWIFT_BIN" server start --no-ui --port 0 --database "$WORK/prefect.db" >"$WORK/out" 2>&1 &
SWIFT_PID=$!
SWIFT_URL="$(swift_server_url "$WORK/out" "$SWIFT_PID")"
"$PY" "$ROOT/Benchmarks/event_filter.py" "$SWIFT_URL" --events "$EVENTS" --repeats "$REPEATS" | tee "$OUT/swift.json"
kill "$SWIFT_PID" && wait "$SWIFT_PID" 2>/dev/null || true
SWIFT_PID=""

STOCK_URL="$("$ROOT/scripts/prefect-server.sh" start bench-event-filter --fresh)"
"$PY" "$ROOT/Benchmarks/event_filter.py" "$STOCK_URL" --events "$EVENTS" --repeats "$REPEATS" | tee "$OUT/stock.json"

"$PY" - "$OUT/stock.json" "$OUT/swift.json" <<'PYEOF'
import json, sys
stock, swift = (json.load(open(path)) for path in sys.argv[1:3])
print(f"{'median ms (events held)':40} {'Prefect 3.9.1':>18} {'prefect-swift':>18}")
for key in ("run", "run_resource", "flow_page", "tag_page", "flow_counts", "newest_page"):
    cells = [f"{side[key + '_ms']} ({side[key + '_held']})" for side in (stock, swift)]
    print(f"{key:40} {cells[0]:>18} {cells[1]:>18}")
print(f"{'fill seconds':40} {stock['fill_seconds']:>18} {swift['fill_seconds']:>18}")
PYEOF
