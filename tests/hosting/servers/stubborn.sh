#!/bin/bash
# Ends the session like good.sh, but then ignores SIGTERM and stays: only
# SIGKILL (after --stop-grace-ms) ends it.
set -u
. "$(dirname "$0")/lib.sh"

trap 'log "SIGTERM ignored"' TERM
sdk_retry ready >/dev/null
heartbeats
until [ -n "${END_FILE:-}" ] && [ -e "$END_FILE" ]; do sleep 0.05; done
kill "$HEARTBEATS"
status=$(sdk_retry end '{"results":[{"team":0,"rank":1},{"team":1,"rank":1}]}')
log "end answered $status; staying"
while :; do sleep 0.1; done
