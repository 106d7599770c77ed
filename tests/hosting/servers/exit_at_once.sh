#!/bin/bash
# Exits with status 7 at once, before saying ready (a broken build).
set -u
. "$(dirname "$0")/lib.sh"
misbehave || behave

log "exiting at once"
exit 7
