#!/bin/bash
# Starts, and never says ready (nor anything else).
set -u
. "$(dirname "$0")/lib.sh"
misbehave || behave

log "not saying ready"
while :; do sleep 1; done
