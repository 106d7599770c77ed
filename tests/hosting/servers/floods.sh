#!/bin/bash
# Plays like good.sh, but first writes 3 MiB to its log, past a log limit of
# 1 MiB (hosting.log_limit_mb): the writes past it must fail (EFBIG), not
# kill the server. The writer's exit status is written to
# $STATE_DIR/<session id>.flooded.
set -u
. "$(dirname "$0")/lib.sh"

head -c 3145728 /dev/zero | tr '\0' x
echo "${PIPESTATUS[1]}" >"$STATE_DIR/.$WEBGAMES_SESSION_ID.flooded" &&
  mv "$STATE_DIR/.$WEBGAMES_SESSION_ID.flooded" "$STATE_DIR/$WEBGAMES_SESSION_ID.flooded"
exec "$(dirname "$0")/good.sh"
