#!/usr/bin/env bash
# Deployments side by side in one run (Benchmarks/deploy_bench.py): swift-prefect's serve
# (PrefectRunner) and `prefect-swift worker start` (release builds) against Python's
# flow.serve() and Prefect's process worker, on a no-op flow: scheduled-to-Running latency
# (p50/p99, default poll and 1 s), runs per second one worker sustains (a process per run; and
# the Swift runner in-process), and idle RSS. All four run against the same server, once on a
# fresh stock Prefect 3.9.1 server and once on a fresh `prefect-swift server start`: on the
# stock SQLite server the server's own rate bounds every runner, so the second shows what the
# runners and workers themselves sustain. The Swift programs are built as the README says to
# build them for deployment (the Swift runtime linked in, no exported symbols, packed relocations;
# in .build-deploy); --default-build measures a plain `swift build -c release` instead.
#
#   Benchmarks/deploy-compare.sh [--runs 100] [--spacing 0.5] [--skip-latency] [--server stock|swift|both] [--out DIR]
#                                [--parts rss,throughput,latency] [--systems swift-serve,swift-worker,python-serve,python-worker]
#                                [--default-build]
#
# Needs the Prefect venv of scripts/prefect-server.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/swift-server-url.sh
source "$ROOT/scripts/swift-server-url.sh"
RUNS=100
SPACING=0.5
EXTRA=()
OUT=""
SERVERS="both"
BUILD=(-c release --scratch-path "$ROOT/.build-deploy" --static-swift-stdlib -Xswiftc -use-ld=lld
       -Xlinker --no-export-dynamic -Xlinker -z -Xlinker pack-relative-relocs)
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --spacing) SPACING="$2"; shift 2 ;;
    --skip-latency) EXTRA+=(--skip-latency); shift ;;
    --parts|--systems) EXTRA+=("$1" "$2"); shift 2 ;;
    --default-build) BUILD=(-c release); shift ;;
    --out) OUT="$2"; shift 2 ;;
    --server) SERVERS="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
OUT="${OUT:-$ROOT/bench-results/deploy-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"

"$ROOT/scripts/prefect-server.sh" install >/dev/null
(cd "$ROOT" && swift build "${BUILD[@]}" --product prefect-bench 2>&1 | grep -E "error:" >&2 || true)
(cd "$ROOT" && swift build "${BUILD[@]}" --product prefect-swift 2>&1 | grep -E "error:" >&2 || true)
BIN="$(cd "$ROOT" && swift build "${BUILD[@]}" --show-bin-path)"
WORK="$(mktemp -d /tmp/deploy-compare.XXXXXX)"
SWIFT_PID=""
trap '[ -z "$SWIFT_PID" ] || kill "$SWIFT_PID" 2>/dev/null; "$ROOT/scripts/prefect-server.sh" stop bench-deploy >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

bench() {  # $1: the server's name in the output, $2: its API URL
  echo "== $1 server: $2 ($(date -u +%H:%M:%S))" >&2
  PREFECT_API_URL="$2" "$ROOT/.prefect-venv/bin/python" "$ROOT/Benchmarks/deploy_bench.py" \
    --prefect-bench "$BIN/prefect-bench" --prefect-swift "$BIN/prefect-swift" --runs "$RUNS" --spacing "$SPACING" "${EXTRA[@]}" \
    | tee "$OUT/deploy-$1.json"
}

if [ "$SERVERS" = stock ] || [ "$SERVERS" = both ]; then
  bench stock "$("$ROOT/scripts/prefect-server.sh" start bench-deploy --fresh)" || echo "the benchmark on the stock server stopped early" >&2
  "$ROOT/scripts/prefect-server.sh" stop bench-deploy >/dev/null
fi
if [ "$SERVERS" = swift ] || [ "$SERVERS" = both ]; then
  PREFECT_HOME="$WORK" "$BIN/prefect-swift" server start --no-ui --port 0 --database "$WORK/prefect.db" >"$WORK/out" 2>&1 &
  SWIFT_PID=$!
  bench swift "$(swift_server_url "$WORK/out" "$SWIFT_PID")" || echo "the benchmark on prefect-swift server start stopped early" >&2
fi

"$ROOT/.prefect-venv/bin/python" - "$OUT" <<'PYEOF'
import json, os, sys
out = sys.argv[1]
for server in ("stock", "swift"):
    path = os.path.join(out, f"deploy-{server}.json")
    if not os.path.exists(path):
        continue
    try:
        result = json.load(open(path))
    except ValueError:
        print(f"\n{server}: no result (the benchmark stopped; see its output above)")
        continue
    print(f"\n{'stock Prefect 3.9.1' if server == 'stock' else 'prefect-swift server start'} ({result['runs']} runs)")
    print(f"{'':34} {'swift serve':>12} {'swift worker':>12} {'python serve':>12} {'python worker':>13}")
    rss = result.get("idle_rss_mb", {})
    print(f"{'idle RSS, MB':34} {rss.get('swift-serve', ''):>12} {rss.get('swift-worker', ''):>12} "
          f"{rss.get('python-serve', ''):>12} {rss.get('python-worker', ''):>13}")
    runs = {name: value.get("runs_per_second", "") for name, value in result.get("throughput", {}).items()}
    print(f"{'runs/s, a process per run':34} {runs.get('swift-serve', ''):>12} {runs.get('swift-worker', ''):>12} "
          f"{'':>12} {runs.get('python-worker', ''):>13}")
    print(f"{'runs/s, in-process':34} {runs.get('swift-serve-in-process', ''):>12}")
    for poll in ("default", "1"):
        for key in ("p50_s", "p99_s"):
            row = [result.get("latency", {}).get(f"{system} poll {poll}", {}).get(key, "") for system in
                   ("swift-serve", "swift-worker", "python-serve", "python-worker")]
            if any(value != "" for value in row):
                label = f"scheduled -> Running {key[:3]} s, poll {poll}"
                print(f"{label:34} {row[0]:>12} {row[1]:>12} {row[2]:>12} {row[3]:>13}")
PYEOF
