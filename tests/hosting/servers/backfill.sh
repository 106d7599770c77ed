#!/bin/bash
# A server that wants more players: says ready, asks BACKFILL_TIMES times
# (default 1) for BACKFILL_PLAYERS (default 1) more players in team
# BACKFILL_TEAM (default 1) and records the answers' statuses, space
# separated, in $STATE_DIR/<session id>.backfill; then goes on as good.sh (a
# second ready is harmless).
set -u
. "$(dirname "$0")/lib.sh"

status=$(sdk_retry ready)
[ "$status" = 204 ] || { log "ready answered $status"; exit 1; }
answers=()
for _ in $(seq "${BACKFILL_TIMES:-1}"); do
  answers+=("$(sdk backfill "{\"team\":${BACKFILL_TEAM:-1},\"players\":${BACKFILL_PLAYERS:-1}}")")
done
log "backfill answered ${answers[*]}"
if [ -n "${STATE_DIR:-}" ]; then
  echo "${answers[*]}" >"$STATE_DIR/.$WEBGAMES_SESSION_ID.backfill" &&
    mv "$STATE_DIR/.$WEBGAMES_SESSION_ID.backfill" "$STATE_DIR/$WEBGAMES_SESSION_ID.backfill"
fi
exec "$(dirname "$0")/good.sh"
