#!/usr/bin/env bash
# schemathesis (PyPI, in .schemathesis-venv/) against a Prefect API and its own OpenAPI
# document: every phase (examples, coverage, fuzzing, stateful) for a time budget, with the
# checks `not_a_server_error` and `prefect_response_schema` (scripts/schemathesis/prefect_checks.py:
# schemathesis' response_schema_conformance, except HTTPException `detail` bodies, which Prefect
# answers on purpose where its document promises a validation error).
# `status_code_conformance` is left out: Prefect's document lists 200/201/204/422 for each
# operation, while Prefect answers 404, 409, 400, 405 and 307 by design (the differential tests
# record each one).
#
#   scripts/fuzz-api.sh API_URL [--max-time SECONDS] [--seed N] [--report FILE]
#
# Prints schemathesis' summary; writes one JSON line of counts to --report (requests, failures
# by check, 5xx answers). Exits non-zero when a check failed or not every generated case passed;
# schemathesis' own errors in building examples from the document ("Runtime Error" in its
# Examples phase) are shown but fail nothing, as they are not answers of the server.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
API_URL="$1"; shift
MAX_TIME=150
SEED=""
REPORT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --max-time) MAX_TIME="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --report) REPORT="$2"; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
VENV="$ROOT/.schemathesis-venv"
if [ ! -x "$VENV/bin/schemathesis" ]; then
  echo "installing schemathesis into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==4.32.5" >&2
fi
work="$(mktemp -d)"
seed_args=()
[ -n "$SEED" ] && seed_args=(--seed "$SEED")
status=0
(cd "$work" && PYTHONPATH="$ROOT/scripts/schemathesis" SCHEMATHESIS_HOOKS=prefect_checks \
  "$VENV/bin/schemathesis" run "$API_URL/openapi.json" \
    --checks not_a_server_error,prefect_response_schema \
    --phases examples,coverage,fuzzing,stateful --max-time "$MAX_TIME" --workers 2 -H "X-PREFECT-API-VERSION: 0.8.4" \
    --report junit --report-dir "$work/report" "${seed_args[@]}" --no-color) >"$work/out" 2>&1 || status=$?
grep -B2 -A40 -E "^_+ (GET|POST|PUT|PATCH|DELETE)|Runtime Error" "$work/out" | head -300 || true  # nothing to show is a clean run
tail -n 40 "$work/out"
if [ -n "$REPORT" ]; then
  python3 - "$work/out" "$work/report" "$REPORT" "$status" <<'PY'
import json, pathlib, re, sys
out = pathlib.Path(sys.argv[1]).read_text()
generated = re.search(r"(\d+) generated", out)
failures = {m.group(2): int(m.group(3)) for m in re.finditer(r"(❌|✗) (ST\d+ [^:]+): (\d+)", out)}
server_errors = len(re.findall(r"^\[5\d\d\]", out, re.M))
json.dump({"generated": int(generated.group(1)) if generated else None, "failures": failures,
           "server_error_answers_shown": server_errors, "schemathesis_exit_status": int(sys.argv[4])}, open(sys.argv[3], "w"))
PY
fi
passed=0
if ! grep -qE "^Failures:" "$work/out" && grep -qE "^  ([0-9]+) generated, \1 passed" "$work/out"; then passed=1; fi
rm -rf "$work"
[ "$passed" = 1 ] || { echo "schemathesis found failures (exit $status)" >&2; exit 1; }
