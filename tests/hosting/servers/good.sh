#!/bin/bash
# A well-behaved game server: says ready, heartbeats (in a child process, as
# an SDK's background thread would), waits for its match when it is a pool
# server (wait_for_allocation), and once END_FILE exists (or after
# DURATION_S seconds, default 60) ends the session with results (RESULTS, by
# default a win of team 0 over team 1) and exits 0.
set -u
. "$(dirname "$0")/lib.sh"

status=$(sdk_retry ready)
[ "$status" = 204 ] || { log "ready answered $status"; exit 1; }
log "ready"
heartbeats
wait_for_allocation || { kill "$HEARTBEATS"; exit 1; }
deadline=$(( $(date +%s) + ${DURATION_S:-60} ))
until { [ -n "${END_FILE:-}" ] && [ -e "$END_FILE" ]; } || [ "$(date +%s)" -ge "$deadline" ]; do
  sleep 0.05
done
kill "$HEARTBEATS"
default_results='{"results":[{"team":0,"score":2,"rank":1},{"team":1,"score":1,"rank":2}]}'
status=$(sdk_retry end "${RESULTS:-$default_results}")
log "end answered $status"
[ "$status" = 204 ] || exit 1
exit 0
