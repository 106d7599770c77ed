#!/bin/bash
# Plays like good.sh, but first leaves a child in a session of its own
# (setsid), out of the server's process group, which the group's SIGTERM and
# SIGKILL do not reach: the runtime must find it by its marker. The child's
# pid is written to $STATE_DIR/<session id>.detached.
set -u
. "$(dirname "$0")/lib.sh"

setsid sleep 600 </dev/null >/dev/null 2>&1 &
echo $! >"$STATE_DIR/.$WEBGAMES_SESSION_ID.detached" && mv "$STATE_DIR/.$WEBGAMES_SESSION_ID.detached" "$STATE_DIR/$WEBGAMES_SESSION_ID.detached"
exec "$(dirname "$0")/good.sh"
