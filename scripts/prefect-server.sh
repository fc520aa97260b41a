#!/usr/bin/env bash
# Installs Prefect 3.9.1 and runs throw-away Prefect servers on loopback for the tests.
#
#   scripts/prefect-server.sh install
#       create .prefect-venv/ (kept between runs, ignored by git) with prefect==3.9.1
#   scripts/prefect-server.sh start NAME [--csrf] [--auth USER:PASS] [--no-services] [--ui] [--fresh]
#       start `prefect server start` on a free 127.0.0.1 port with PREFECT_HOME .test-servers/NAME/home
#       (its database kept from the last start of NAME; --fresh empties it first)
#       (analytics off, the UI only with --ui), in its own process group; prints the API URL once
#       /api/health answers. State lives in .test-servers/NAME/.
#   scripts/prefect-server.sh wait NAME     wait for a started server's /api/health; print its URL
#   scripts/prefect-server.sh stop NAME     stop that server (its process group) by PID
#   scripts/prefect-server.sh stop-all      stop every server started from this checkout
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${PREFECT_VENV:-$ROOT/.prefect-venv}"
STATE="$ROOT/.test-servers"
PREFECT_VERSION="3.9.1"
PYTHON="${PYTHON:-python3}"

die() { echo "prefect-server.sh: $*" >&2; exit 1; }

install_prefect() {
  if [ -x "$VENV/bin/prefect" ] && "$VENV/bin/python" -c "import prefect, sys; sys.exit(prefect.__version__ != '$PREFECT_VERSION')" 2>/dev/null; then
    return 0
  fi
  echo "installing prefect==$PREFECT_VERSION into $VENV" >&2
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "prefect==$PREFECT_VERSION" >&2
}

free_port() {
  "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_healthy() {
  local name="$1" dir="$STATE/$1"
  [ -f "$dir/url" ] || die "no server named $name"
  local url pid
  url="$(cat "$dir/url")"; pid="$(cat "$dir/pid")"
  for _ in $(seq 240); do
    if "$PYTHON" - "$url/health" <<'PY' 2>/dev/null; then
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=2) as response:
    sys.exit(0 if response.read().strip() == b"true" else 1)
PY
      echo "$url"; return 0
    fi
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$dir/server.log" >&2; die "server $name exited before it was healthy"; }
    sleep 0.5
  done
  tail -n 30 "$dir/server.log" >&2
  die "server $name was not healthy after 120 s"
}

start_server() {
  local name="$1"; shift
  local csrf=false auth="" services=() ui=false fresh=false
  while [ $# -gt 0 ]; do
    case "$1" in
      --csrf) csrf=true; shift ;;
      --auth) auth="$2"; shift 2 ;;
      --no-services) services=(--no-services); shift ;;
      --ui) ui=true; shift ;;
      --fresh) fresh=true; shift ;;
      *) die "unknown option $1" ;;
    esac
  done
  install_prefect
  stop_server "$name" 2>/dev/null || true
  local dir="$STATE/$name" port
  if [ "$fresh" = true ]; then rm -rf "$dir/home"; fi
  mkdir -p "$dir/home"
  port="$(free_port)"
  echo "http://127.0.0.1:$port/api" >"$dir/url"
  (
    export PREFECT_HOME="$dir/home"
    export PREFECT_SERVER_ANALYTICS_ENABLED=false PREFECT_UI_ENABLED="$ui" PREFECT_SERVER_UI_ENABLED="$ui"
    # The UI calls the API at PREFECT_UI_API_URL, by default PREFECT_SERVER_API_PORT's (4200).
    export PREFECT_SERVER_API_PORT="$port"
    export PREFECT_SERVER_CSRF_PROTECTION_ENABLED="$csrf"
    unset PREFECT_API_URL PREFECT_API_KEY PREFECT_API_AUTH_STRING PREFECT_PROFILE
    if [ -n "$auth" ]; then export PREFECT_SERVER_API_AUTH_STRING="$auth"; fi
    exec setsid "$VENV/bin/prefect" server start --host 127.0.0.1 --port "$port" "${services[@]}"
  ) >"$dir/server.log" 2>&1 </dev/null &
  echo $! >"$dir/pid"
}

stop_server() {
  local dir="$STATE/$1"
  [ -f "$dir/pid" ] || return 0
  local pid; pid="$(cat "$dir/pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$dir/pid"
}

cmd="${1:-}"; shift || true
case "$cmd" in
  install) install_prefect ;;
  start) [ $# -ge 1 ] || die "usage: start NAME [--csrf] [--auth USER:PASS] [--no-services] [--ui] [--fresh]"
         start_server "$@"; wait_healthy "$1" ;;
  start-bg) [ $# -ge 1 ] || die "usage: start-bg NAME [options]"; start_server "$@" ;;
  wait) [ $# -eq 1 ] || die "usage: wait NAME"; wait_healthy "$1" ;;
  stop) [ $# -eq 1 ] || die "usage: stop NAME"; stop_server "$1" ;;
  stop-all) [ -d "$STATE" ] && for d in "$STATE"/*/; do [ -d "$d" ] && stop_server "$(basename "$d")"; done; true ;;
  *) sed -n '2,13p' "$0"; exit 2 ;;
esac
