#!/usr/bin/env bash
# Deployments side by side in one run (Benchmarks/deploy_bench.py), against one fresh stock
# Prefect 3.9.1 server: swift-prefect's serve (PrefectRunner) and `prefect-swift worker start`
# (release builds) against Python's flow.serve() and Prefect's process worker, on a no-op flow:
# scheduled-to-Running latency (p50/p99, default poll and 1 s), runs per second one worker
# sustains (a process per run; and the Swift runner in-process), and idle RSS.
#
#   Benchmarks/deploy-compare.sh [--runs 100] [--spacing 0.5] [--skip-latency] [--out DIR]
#
# Needs the Prefect venv of scripts/prefect-server.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS=100
SPACING=0.5
EXTRA=()
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --spacing) SPACING="$2"; shift 2 ;;
    --skip-latency) EXTRA+=(--skip-latency); shift ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
OUT="${OUT:-$ROOT/bench-results/deploy-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"

"$ROOT/scripts/prefect-server.sh" install >/dev/null
(cd "$ROOT" && swift build -c release --product prefect-bench 2>&1 | grep -E "error:" >&2 || true)
(cd "$ROOT" && swift build -c release --product prefect-swift 2>&1 | grep -E "error:" >&2 || true)
BIN="$(cd "$ROOT" && swift build -c release --show-bin-path)"
trap '"$ROOT/scripts/prefect-server.sh" stop bench-deploy >/dev/null 2>&1 || true' EXIT

URL="$("$ROOT/scripts/prefect-server.sh" start bench-deploy)"
PREFECT_API_URL="$URL" "$ROOT/.prefect-venv/bin/python" "$ROOT/Benchmarks/deploy_bench.py" \
  --prefect-bench "$BIN/prefect-bench" --prefect-swift "$BIN/prefect-swift" --runs "$RUNS" --spacing "$SPACING" "${EXTRA[@]}" \
  | tee "$OUT/deploy.json"
