#!/bin/bash
# Says ready, then never heartbeats again (a hung server).
set -u
. "$(dirname "$0")/lib.sh"
misbehave || behave

status=$(sdk_retry ready)
log "ready answered $status; no heartbeats from here"
while :; do sleep 1; done
