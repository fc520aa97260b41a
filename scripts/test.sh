#!/usr/bin/env bash
# The whole test suite: starts the Prefect 3.9.1 servers the integration tests need, builds,
# checks the CLI against them, runs `swift test`, and stops the servers even when tests fail.
#
#   scripts/test.sh [extra swift test arguments, e.g. --filter RetryTests]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/swift-server-url.sh
source "$ROOT/scripts/swift-server-url.sh"
cd "$ROOT"
SERVERS="$ROOT/scripts/prefect-server.sh"
started=$(date +%s)
# Each step's heading says how long the script had run when it began (CI's budget is 45 minutes).
phase() { echo "== [$(( $(date +%s) - started )) s] $*"; }

if [ ! -f /usr/include/sqlite3.h ] || [ ! -f /usr/include/zlib.h ]; then
  echo "== installing libsqlite3-dev and zlib1g-dev (the embedded server's SQLite; zlib to read Prefect's wheel)"
  apt-get update -qq && apt-get install -y -qq libsqlite3-dev zlib1g-dev
fi
# Servers started here serve no UI unless a check asks for it: the UI checks start their own.
export PREFECT_SERVER_UI_ENABLED=false

"$SERVERS" install
SWIFT_SERVER_PID=""
FUZZ_PID=""
FUZZ_BUILD_PID=""
UI_SERVER_PID=""
# Every server this script starts is stopped however it ends (a failed check exits at once).
trap 'for pid in "$SWIFT_SERVER_PID" "$FUZZ_PID" "$UI_SERVER_PID"; do [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; done; [ -z "$FUZZ_BUILD_PID" ] || kill -- "-$FUZZ_BUILD_PID" 2>/dev/null || true; "$SERVERS" stop-all' EXIT

AUTH_STRING="admin:$(python3 -c 'import secrets; print(secrets.token_hex(12))')"
"$SERVERS" start-bg plain
# The runtime, CLI and fault-proxy suites load a server hard; a server of their own keeps the
# stock server's SQLite lock (and its 503s) away from the client suites.
"$SERVERS" start-bg runtime
"$SERVERS" start-bg csrf --csrf
"$SERVERS" start-bg auth --auth "$AUTH_STRING"
# The stock server with its UI, for the UI checks.
"$SERVERS" start-bg ui --ui
# Chromium, its driver and selenium for the UI pages check, installed while the build runs.
UI_VENV="$ROOT/.ui-venv"
"$ROOT/scripts/install-ui-tools.sh" >"$ROOT/.test-servers/ui-install.log" 2>&1 &
UI_INSTALL_PID=$!

# Prefect on PostgreSQL, two replicas behind nginx (scripts/prefect-ha.sh), once the UI tools'
# apt-get is done (one dpkg at a time).
( while kill -0 "$UI_INSTALL_PID" 2>/dev/null; do sleep 1; done; "$ROOT/scripts/prefect-ha.sh" start ) \
  >"$ROOT/.test-servers/ha-start.log" 2>&1 &
HA_START_PID=$!

phase "building (servers start meanwhile)"
swift build --build-tests
# The fuzzers' release builds with sanitizers (whole-module optimization, one core per module:
# the longest compile of the run) go on at the lowest CPU priority beside the checks below,
# which mostly wait on servers; in a process group of their own, so that an early exit stops them.
setsid bash -c 'for target in decoders requests; do nice -n 19 scripts/fuzz-native.sh "$target" --build-only || exit 1; done' \
  >"$ROOT/.test-servers/fuzz-build.log" 2>&1 &
FUZZ_BUILD_PID=$!

PREFECT_TEST_API_URL="$("$SERVERS" wait plain)"
PREFECT_TEST_RUNTIME_API_URL="$("$SERVERS" wait runtime)"
export PREFECT_TEST_RUNTIME_API_URL
PREFECT_TEST_CSRF_API_URL="$("$SERVERS" wait csrf)"
PREFECT_TEST_AUTH_API_URL="$("$SERVERS" wait auth)"
export PREFECT_TEST_API_URL PREFECT_TEST_CSRF_API_URL PREFECT_TEST_AUTH_API_URL
export PREFECT_TEST_AUTH_STRING="$AUTH_STRING"
phase "servers: plain $PREFECT_TEST_API_URL, csrf $PREFECT_TEST_CSRF_API_URL, auth $PREFECT_TEST_AUTH_API_URL"

phase "prefect-swift version against the real server"
CLI="$(swift build --show-bin-path)/prefect-swift"
cli_home="$(mktemp -d)"
PREFECT_HOME="$cli_home" PREFECT_API_URL="$PREFECT_TEST_API_URL" "$CLI" version | tee "$cli_home/out"
grep -q "^Server version: *3.9.1$" "$cli_home/out" || { echo "CLI did not report the server version" >&2; exit 1; }
if PREFECT_HOME="$cli_home" PREFECT_API_URL="$PREFECT_TEST_AUTH_API_URL" PREFECT_API_AUTH_STRING="admin:wrong-secret" \
  "$CLI" version >"$cli_home/out" 2>&1; then
  echo "CLI accepted wrong credentials" >&2; exit 1
fi
grep -q "rejected the credentials" "$cli_home/out" || { cat "$cli_home/out" >&2; echo "CLI did not explain the 401" >&2; exit 1; }
if grep -q "wrong-secret" "$cli_home/out"; then echo "CLI printed the secret" >&2; exit 1; fi
if PREFECT_HOME="$cli_home" PREFECT_API_URL="http://127.0.0.1:9/api" "$CLI" version >"$cli_home/out" 2>&1; then
  echo "CLI did not fail for an unreachable server" >&2; exit 1
fi
grep -q "cannot reach the Prefect API" "$cli_home/out" || { cat "$cli_home/out" >&2; exit 1; }
phase "prefect-swift version on the embedded server (no PREFECT_API_URL)"
PREFECT_HOME="$cli_home" "$CLI" version | tee "$cli_home/out"
grep -q "^Server type: *ephemeral$" "$cli_home/out" || { echo "CLI did not use the embedded server" >&2; exit 1; }
grep -q "^Database: *$cli_home/prefect-swift.db$" "$cli_home/out" || { echo "CLI did not report the database" >&2; exit 1; }
grep -q "^Server version: *3.9.1$" "$cli_home/out" || { echo "embedded server did not answer its version" >&2; exit 1; }

phase "prefect-swift server start on loopback"
swift_home="$(mktemp -d)"
# With Prefect's log stream on (off by default there and here), so that the watch check sees logs.
PREFECT_SERVER_LOGS_STREAM_PUBLISHING_ENABLED=true PREFECT_SERVER_LOGS_STREAM_OUT_ENABLED=true \
  PREFECT_HOME="$swift_home" "$CLI" server start --port 0 --database "$swift_home/prefect-swift.db" >"$swift_home/out" 2>&1 &
SWIFT_SERVER_PID=$!
PREFECT_TEST_SWIFT_API_URL="$(swift_server_url "$swift_home/out" "$SWIFT_SERVER_PID")" || exit 1
export PREFECT_TEST_SWIFT_API_URL
swift_port="${PREFECT_TEST_SWIFT_API_URL##*:}"; swift_port="${swift_port%%/*}"
if "$CLI" server start --port "$swift_port" --database "$swift_home/other.db" >"$swift_home/taken" 2>&1; then
  echo "server start did not fail on a taken port" >&2; exit 1
fi
grep -q "already in use" "$swift_home/taken" || { cat "$swift_home/taken" >&2; echo "no clear message for a taken port" >&2; exit 1; }
mkdir -p "$swift_home/a-directory.db"
if "$CLI" server start --port 0 --database "$swift_home/a-directory.db" >"$swift_home/baddb" 2>&1; then
  echo "server start did not fail on a database it cannot open" >&2; exit 1
fi
grep -q "cannot open the database at" "$swift_home/baddb" || { cat "$swift_home/baddb" >&2; echo "no clear message for a bad database" >&2; exit 1; }
echo "embedded server: $PREFECT_TEST_SWIFT_API_URL"
echo "CLI checks passed"

phase "hello-flow (README's first command) on each server; the Python client reads each run back"
HELLO="$(swift build --show-bin-path)/hello-flow"
check_hello() {  # $1: what it ran on, $2: the URL the Python client reads from; hello-flow's stdout on stdin
  local out id
  out="$(cat)"
  echo "$out"
  id="$(sed -n 's/^flow run \([0-9a-f-]*\) .*/\1/p' <<<"$out")"
  [ -n "$id" ] || { echo "hello-flow on $1 printed no flow run id" >&2; exit 1; }
  PREFECT_API_URL="$2" "$ROOT/.prefect-venv/bin/python" "$ROOT/scripts/check-hello-flow-run.py" "$id"
}
PREFECT_HOME="$cli_home" PREFECT_API_URL="$PREFECT_TEST_API_URL" "$HELLO" 2>"$cli_home/hello.err" \
  | check_hello "Prefect 3.9.1" "$PREFECT_TEST_API_URL"
# No PREFECT_API_URL: the embedded server in the hello-flow process, on the database that
# prefect-swift server start serves (SQLite in WAL mode, two processes), so Python reads it there.
env -u PREFECT_API_URL PREFECT_HOME="$swift_home" "$HELLO" 2>"$cli_home/hello.err" \
  | check_hello "the embedded server" "$PREFECT_TEST_SWIFT_API_URL"

phase "the official Python client (prefect 3.9.1) against prefect-swift server start"
# Prefect's own client against server start, one script each; its warnings go to a file that is
# shown when the script fails.
for check in client work-pools deployments concurrency blocks automations-events event-sockets task-runs cancel "watch --expect-logs" background-tasks; do
  read -r script arguments <<<"$check"
  PREFECT_API_URL="$PREFECT_TEST_SWIFT_API_URL" PREFECT_HOME="$swift_home/python" \
    "$ROOT/.prefect-venv/bin/python" "$ROOT/scripts/check-python-$script.py" $arguments 2>"$swift_home/python-$script.err" \
    || { tail -30 "$swift_home/python-$script.err" >&2; exit 1; }
done

wait "$HA_START_PID" || { cat "$ROOT/.test-servers/ha-start.log" >&2; echo "the distributed Prefect did not start" >&2; exit 1; }
PREFECT_TEST_DISTRIBUTED_API_URL="$(tail -n 1 "$ROOT/.test-servers/ha-start.log")"
export PREFECT_TEST_DISTRIBUTED_API_URL
phase "distributed Prefect 3.9.1 (PostgreSQL, Redis, two replicas, services, nginx): $PREFECT_TEST_DISTRIBUTED_API_URL"

phase "workers: Prefect's process worker runs Swift deployments; prefect-swift worker runs Python and Swift ones"
# On stock Prefect 3.9.1, on server start and on the distributed Prefect.
TEST_FLOWS="$(swift build --show-bin-path)/prefect-test-flows"
for url in "$PREFECT_TEST_API_URL" "$PREFECT_TEST_SWIFT_API_URL" "$PREFECT_TEST_DISTRIBUTED_API_URL"; do
  PREFECT_API_URL="$url" PREFECT_HOME="$swift_home/python" \
    "$ROOT/.prefect-venv/bin/python" "$ROOT/scripts/check-python-worker.py" "$TEST_FLOWS" 2>"$swift_home/python-worker.err" \
    || { tail -30 "$swift_home/python-worker.err" >&2; exit 1; }
  PREFECT_API_URL="$url" PREFECT_HOME="$swift_home/python" \
    "$ROOT/.prefect-venv/bin/python" "$ROOT/scripts/check-swift-worker.py" "$CLI" "$TEST_FLOWS" 2>"$swift_home/swift-worker.err" \
    || { tail -30 "$swift_home/swift-worker.err" >&2; exit 1; }
done

phase "scale: four prefect-swift workers, 300 runs each executed exactly once (a replica killed and restarted on the distributed Prefect)"
PREFECT_API_URL="$PREFECT_TEST_SWIFT_API_URL" PREFECT_HOME="$swift_home/python" PREFECT_CLIENT_MAX_RETRIES=20 \
  "$ROOT/.prefect-venv/bin/python" "$ROOT/scripts/check-worker-scale.py" "$CLI" "$TEST_FLOWS"
PREFECT_API_URL="$PREFECT_TEST_DISTRIBUTED_API_URL" PREFECT_HOME="$swift_home/python" PREFECT_CLIENT_MAX_RETRIES=20 \
  "$ROOT/.prefect-venv/bin/python" "$ROOT/scripts/check-worker-scale.py" "$CLI" "$TEST_FLOWS" --kill-replica

# Prefect's zombie-run automation with Prefect's own runner takes about a minute of waiting for
# missed heartbeats: it runs beside the side-by-side checks below.
"$ROOT/.prefect-venv/bin/python" "$ROOT/scripts/check-zombie-run.py" "$PREFECT_TEST_API_URL" "$PREFECT_TEST_SWIFT_API_URL" \
  >"$swift_home/zombie.out" 2>&1 &
ZOMBIE_PID=$!

phase "the events the servers make, side by side: stock Prefect 3.9.1 and prefect-swift server start"
"$ROOT/.prefect-venv/bin/python" "$ROOT/scripts/check-resource-events.py" "$PREFECT_TEST_API_URL" "$PREFECT_TEST_SWIFT_API_URL"

phase "automations that act, side by side: stock Prefect 3.9.1 and prefect-swift server start"
"$ROOT/.prefect-venv/bin/python" "$ROOT/scripts/check-automations.py" "$PREFECT_TEST_API_URL" "$PREFECT_TEST_SWIFT_API_URL"

phase "prefect events stream (Prefect's CLI) on both servers: the same server-made events"
"$ROOT/.prefect-venv/bin/python" "$ROOT/scripts/check-events-stream.py" "$PREFECT_TEST_API_URL" "$PREFECT_TEST_SWIFT_API_URL"

phase "the worker channel, side by side, and Prefect's process worker on it"
"$ROOT/.prefect-venv/bin/python" "$ROOT/scripts/check-worker-channel.py" "$PREFECT_TEST_API_URL" "$PREFECT_TEST_SWIFT_API_URL"

phase "Prefect's UI on prefect-swift server start: the same files and answers as the stock server's"
PREFECT_TEST_UI_URL="$("$SERVERS" wait ui)"
"$ROOT/.prefect-venv/bin/python" "$ROOT/scripts/check-ui-serving.py" "${PREFECT_TEST_UI_URL%/api}" "$CLI" "$ROOT/.prefect-venv"

phase "Prefect's UI in headless Chromium, every page of both UIs, side by side with the same data"
wait "$UI_INSTALL_PID" || { cat "$ROOT/.test-servers/ui-install.log" >&2; echo "installing Chromium or selenium failed" >&2; exit 1; }
ui_home="$(mktemp -d)"
PATH="$ROOT/.prefect-venv/bin:$PATH" PREFECT_HOME="$ui_home" PREFECT_SERVER_UI_ENABLED=true PREFECT_SERVER_ANALYTICS_ENABLED=false \
  "$CLI" server start --port 0 --database "$ui_home/prefect.db" >"$ui_home/out" 2>&1 &
UI_SERVER_PID=$!
UI_SWIFT_URL="$(swift_server_url "$ui_home/out" "$UI_SERVER_PID")" || exit 1
(cd "$ROOT/scripts" && "$UI_VENV/bin/python" check-ui-pages.py "${PREFECT_TEST_UI_URL%/api}" "${UI_SWIFT_URL%/api}" \
  --report "$ui_home/ui-pages.json") || { kill "$UI_SERVER_PID"; exit 1; }
kill "$UI_SERVER_PID"; wait "$UI_SERVER_PID" || true

phase "the zombie-run automation: flow.serve() killed, its run marked Crashed on both servers"
wait "$ZOMBIE_PID" || { cat "$swift_home/zombie.out" >&2; exit 1; }
cat "$swift_home/zombie.out"

phase "schemathesis against prefect-swift server start (its own database), then a restart on it"
fuzz_home="$(mktemp -d)"
start_fuzz_server() {
  PREFECT_HOME="$fuzz_home" "$CLI" server start --port 0 --database "$fuzz_home/fuzz.db" >"$fuzz_home/out" 2>&1 &
  FUZZ_PID=$!
  FUZZ_URL="$(swift_server_url "$fuzz_home/out" "$FUZZ_PID")" || exit 1
}
healthy() {  # $1: API URL; true when GET /health answers true
  python3 -c 'import sys, urllib.request; sys.exit(urllib.request.urlopen(sys.argv[1] + "/health", timeout=5).read().strip() != b"true")' "$1"
}
start_fuzz_server
"$ROOT/scripts/fuzz-api.sh" "$FUZZ_URL" --max-time "${PREFECT_SWIFT_FUZZ_SECONDS:-150}" --seed 1 --report "$fuzz_home/report.json"
kill -0 "$FUZZ_PID" || { tail -30 "$fuzz_home/out" >&2; echo "server start died under schemathesis" >&2; exit 1; }
healthy "$FUZZ_URL" || { echo "server start unhealthy after schemathesis" >&2; exit 1; }
kill "$FUZZ_PID"; wait "$FUZZ_PID" || true
start_fuzz_server
healthy "$FUZZ_URL" || { echo "server start unhealthy on its fuzzed database" >&2; exit 1; }
kill "$FUZZ_PID"; wait "$FUZZ_PID" || true
echo "schemathesis: $(cat "$fuzz_home/report.json"); restarted healthy on the same database"

phase "libFuzzer: PrefectJSONDecoder and the server's request path, a minute each (release, -sanitize=fuzzer,address)"
wait "$FUZZ_BUILD_PID" || { tail -40 "$ROOT/.test-servers/fuzz-build.log" >&2; echo "the fuzzers did not build" >&2; exit 1; }
FUZZ_BUILD_PID=""
for target in decoders requests; do
  "$ROOT/scripts/fuzz-native.sh" "$target" --seconds "${PREFECT_SWIFT_NATIVE_FUZZ_SECONDS:-60}" --report "$fuzz_home/$target.json" >"$fuzz_home/$target.log" 2>&1 \
    || { tail -40 "$fuzz_home/$target.log" >&2; echo "libFuzzer found something in fuzz-$target (input kept under .build-fuzz/artifacts/)" >&2; exit 1; }
  echo "libFuzzer: $(cat "$fuzz_home/$target.json")"
done

phase "docs/COVERAGE.md matches Prefect 3.9.1's PrefectClient and this package"
"$ROOT/.prefect-venv/bin/python" "$ROOT/scripts/generate-coverage.py" --check

phase "swift test"
status=0
# A crash in a test prints the crashed thread only: all threads of a process this large took
# five minutes to symbolicate and hid the one that mattered.
test_log="$(mktemp)"
# At most 12 test cases at once (Swift Testing starts every case of every suite together): on
# two cores the CPU-bound suites (388 differential scenarios, the runtime's) otherwise starved
# the ones that wait on servers, and a runner took 78 s to register its deployment.
SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=yes,threads=crashed,images=mentioned}" \
  SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH="${SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH:-12}" \
  swift test --skip-build "$@" 2>&1 | tee "$test_log" || status=$?
if [ "$status" -ne 0 ]; then
  # CI keeps only the end of the output: the issues recorded come again here, where it is kept.
  echo "== swift test failed (exit $status); the issues recorded:"
  grep -E -A4 'recorded an issue|error: |Fatal error|Crash' "$test_log" | head -120 || true
fi
phase "done (exit $status)"
exit $status
