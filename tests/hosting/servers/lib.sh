# Shared by the test game servers (sourced): the server SDK's HTTP calls made
# with curl, as any game server makes them (docs/server-sdk.md), and a record
# of what the server was given, for the tests' assertions.
#
# Settings, from the game spec's "env":
#   STATE_DIR    where to write <session id>.env (the environment, the pid,
#                the working directory), <session id>.heartbeats (the pid of
#                the heartbeat child, once started), and count runs; unset:
#                no record
#   FAIL_RUNS    for the misbehaving servers: misbehave in this many runs,
#                then behave (exec good.sh); unset: always misbehave
#   HEARTBEAT_S  seconds between heartbeats (default 0.2)

log() { echo "$(basename "$0")[$$]: $*" >&2; }

# sdk <call> [json body]: POSTs to {SDK_URL}/v1/sdk/sessions/{id}/<call> with
# the session's secret; prints the HTTP status (000 when there was no answer).
sdk() {
  local body="{}"
  [ $# -ge 2 ] && body=$2
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 -X POST \
    -H "Authorization: Bearer $WEBGAMES_SDK_SECRET" -H 'Content-Type: application/json' \
    --data "$body" "$WEBGAMES_SDK_URL/v1/sdk/sessions/$WEBGAMES_SESSION_ID/$1"
}

# sdk_retry <call> [json body]: sdk, tried up to 3 times while no answer comes
# (as the SDK does for ready and end).
sdk_retry() {
  local status i
  for i in 1 2 3; do
    status=$(sdk "$@")
    [ "$status" != 000 ] && break
    sleep 0.2
  done
  echo "$status"
}

# heartbeats: every HEARTBEAT_S seconds, in a child process; sets HEARTBEATS
# to its pid. The child stays in the server's process group.
heartbeats() {
  (while :; do sdk heartbeat >/dev/null; sleep "${HEARTBEAT_S:-0.2}"; done) &
  HEARTBEATS=$!
  if [ -n "${STATE_DIR:-}" ]; then echo "$HEARTBEATS" >"$STATE_DIR/$WEBGAMES_SESSION_ID.heartbeats"; fi
}

# wait_for_allocation: a pool server's (WEBGAMES_POOLED=1) allocation step,
# as docs/server-sdk.md describes it: long polls GET .../allocation until it
# answers 200 with the match, then sets WEBGAMES_PLAYERS to that answer and
# writes it to STATE_DIR/<session id>.allocation. Returns 1 when webgames
# refuses (the session ended). A server started for its match returns at once.
wait_for_allocation() {
  [ "${WEBGAMES_POOLED:-}" = 1 ] || return 0
  local url="$WEBGAMES_SDK_URL/v1/sdk/sessions/$WEBGAMES_SESSION_ID/allocation?wait=${ALLOCATION_WAIT:-30s}"
  local out status
  out=$(mktemp)
  while :; do
    status=$(curl -s -o "$out" -w '%{http_code}' --max-time 35 \
      -H "Authorization: Bearer $WEBGAMES_SDK_SECRET" "$url")
    case "$status" in
      200) break ;;
      204) ;;
      000 | 5??) sleep 0.2 ;;
      *) log "allocation answered $status"; rm -f "$out"; return 1 ;;
    esac
  done
  WEBGAMES_PLAYERS=$(cat "$out")
  rm -f "$out"
  # Written aside, then renamed: a test that sees the file reads all of it.
  if [ -n "${STATE_DIR:-}" ]; then
    printf '%s' "$WEBGAMES_PLAYERS" >"$STATE_DIR/$WEBGAMES_SESSION_ID.allocation.part"
    mv "$STATE_DIR/$WEBGAMES_SESSION_ID.allocation.part" "$STATE_DIR/$WEBGAMES_SESSION_ID.allocation"
  fi
  log "allocated"
}

# The first player's id, from WEBGAMES_PLAYERS.
first_player() {
  printf '%s' "$WEBGAMES_PLAYERS" | grep -o '"players":\[{"id":"[^"]*"' | sed 's/.*"id":"//; s/"$//'
}

# misbehave: true while this run is one of the first FAIL_RUNS (counted in
# STATE_DIR/runs-<script>), or always when FAIL_RUNS is unset.
misbehave() {
  [ -n "${FAIL_RUNS:-}" ] || return 0
  local counter="$STATE_DIR/runs-$(basename "$0" .sh)" n
  n=$(( $(cat "$counter" 2>/dev/null || echo 0) + 1 ))
  echo "$n" >"$counter"
  [ "$n" -le "$FAIL_RUNS" ]
}

behave() { exec "$(dirname "$0")/good.sh"; }

# The record, written once per session (a misbehaving server that turns into
# good.sh keeps the first one), atomically.
if [ -n "${STATE_DIR:-}" ] && [ ! -e "$STATE_DIR/$WEBGAMES_SESSION_ID.env" ]; then
  {
    env
    echo "SERVER_PID=$$"
    echo "SERVER_CWD=$PWD"
    echo "SERVER_SCRIPT=$(basename "$0")"
  } >"$STATE_DIR/.$WEBGAMES_SESSION_ID.env.tmp" &&
    mv "$STATE_DIR/.$WEBGAMES_SESSION_ID.env.tmp" "$STATE_DIR/$WEBGAMES_SESSION_ID.env"
fi
