#!/usr/bin/env bash
# The ctest fixture of the Postgres tests (tests/postgres/CMakeLists.txt):
#   postgres_fixture.sh setup SOURCE_DIR     starts the private PostgreSQL of
#                                            scripts/postgres in $WEBGAMES_POSTGRES_DIR
#   postgres_fixture.sh cleanup SOURCE_DIR   stops it and removes its data
# Without PostgreSQL's binaries, setup fails under CI=true and otherwise lets
# the tests skip (they find no URL); it never skips anything under CI.
set -euo pipefail

action=$1 src=$2
ci=false
case ${CI:-} in "" | 0 | false) ;; *) ci=true ;; esac

case $action in
  setup)
    if ! url=$("$src/scripts/postgres" start); then
      if $ci; then echo "postgres fixture: PostgreSQL did not start (CI is set)" >&2; exit 1; fi
      echo "postgres fixture: no PostgreSQL; the Postgres tests will skip (under CI=true they fail)"
      exit 0
    fi
    echo "postgres fixture: $url"
    ;;
  cleanup) "$src/scripts/postgres" stop ;;
  *)
    echo "usage: postgres_fixture.sh setup|cleanup SOURCE_DIR" >&2
    exit 2
    ;;
esac
