# Shared by the end-to-end scripts: start `webgames serve` on a free port in
# a temporary directory, and stop it (by its PID) when the script exits.

set -euo pipefail

WEBGAMES=${1:?usage: $0 path/to/webgames [source-dir]}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/webgames-e2e-XXXXXX")
SERVER_PID=""

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  # A graceful stop leaves game servers running (the next start adopts
  # them): those of this script's data directory, found by their working
  # directory, go with it.
  local d cwd
  for d in /proc/[0-9]*; do
    cwd=$(readlink "$d/cwd" 2>/dev/null) || continue
    if [[ $cwd == "$WORK"/* ]]; then kill -KILL "${d#/proc/}" 2>/dev/null || true; fi
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  [ -f "$WORK/server.log" ] && { echo "--- server log" >&2; tail -n 50 "$WORK/server.log" >&2; }
  exit 1
}

# start_server [extra flags…]: sets PORT and SERVER_PID.
start_server() {
  : >"$WORK/server.log"  # exists before the first read below: the server opens it only after the fork
  "$WEBGAMES" serve --port 0 --data-dir "$WORK/data" --password-cost minimum "$@" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    PORT=$(sed -n 's|.*serving on http://127.0.0.1:\([0-9]*\).*|\1|p' "$WORK/server.log" | head -n1)
    [ -n "$PORT" ] && curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited at start"
    sleep 0.1
  done
  fail "server did not start within 10 s"
}
