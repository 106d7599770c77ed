#!/bin/bash
# Crashes mid-game: says ready, reports the first player connected (the
# session is Running), heartbeats until CRASH_FILE exists (or for
# CRASH_AFTER_S seconds, default 30), then exits with status 3.
set -u
. "$(dirname "$0")/lib.sh"
misbehave || behave

sdk_retry ready >/dev/null
sdk "players/$(first_player)/connected" >/dev/null
log "ready, a player connected"
deadline=$(( $(date +%s) + ${CRASH_AFTER_S:-30} ))
until { [ -n "${CRASH_FILE:-}" ] && [ -e "$CRASH_FILE" ]; } || [ "$(date +%s)" -ge "$deadline" ]; do
  sdk heartbeat >/dev/null
  sleep "${HEARTBEAT_S:-0.2}"
done
log "crashing"
exit 3
