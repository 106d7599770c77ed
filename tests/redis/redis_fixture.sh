#!/usr/bin/env bash
# The ctest fixture of the Redis tests (tests/redis/CMakeLists.txt):
#   redis_fixture.sh setup SOURCE_DIR     starts the tests' redis-server (scripts/redis)
#   redis_fixture.sh cleanup SOURCE_DIR   stops it and removes its directory
# The directory comes from WEBGAMES_REDIS_DIR (set by CMake under the build
# directory), so that work trees and build directories do not share one.
set -euo pipefail
action=$1 src=$2
case $action in
  setup) "$src/scripts/redis" start ;;
  cleanup) "$src/scripts/redis" stop ;;
  *)
    echo "usage: redis_fixture.sh setup|cleanup SOURCE_DIR" >&2
    exit 2
    ;;
esac
