#!/bin/bash
# A server that wants more players: says ready, asks for BACKFILL_PLAYERS
# (default 1) more players in team BACKFILL_TEAM (default 1) and records the
# answer's status in $STATE_DIR/<session id>.backfill; then goes on as
# good.sh (a second ready is harmless).
set -u
. "$(dirname "$0")/lib.sh"

status=$(sdk_retry ready)
[ "$status" = 204 ] || { log "ready answered $status"; exit 1; }
status=$(sdk backfill "{\"team\":${BACKFILL_TEAM:-1},\"players\":${BACKFILL_PLAYERS:-1}}")
log "backfill answered $status"
if [ -n "${STATE_DIR:-}" ]; then echo "$status" >"$STATE_DIR/$WEBGAMES_SESSION_ID.backfill"; fi
exec "$(dirname "$0")/good.sh"
