#!/usr/bin/env bash
# The ctest fixture of the Docker tests (tests/docker/CMakeLists.txt):
#   docker_fixture.sh setup SOURCE_DIR BUILD_DIR    removes bridges an earlier engine left (when
#                                                   no dockerd runs), starts the private dockerd
#                                                   (scripts/dockerd), builds the images,
#                                                   initialises a single-node swarm
#   docker_fixture.sh cleanup SOURCE_DIR            leaves the swarm, stops that dockerd
# Without root or dockerd, setup fails under CI=true and otherwise lets the
# tests skip (they find no engine); it never skips anything under CI.
set -euo pipefail

action=$1 src=$2 build=${3:-}
ci=false
case ${CI:-} in "" | 0 | false) ;; *) ci=true ;; esac

case $action in
  setup)
    # Start from the state of a fresh machine: a bridge left by an earlier
    # engine (with its address) hides what a first start does. Only when no
    # dockerd runs at all: a running engine owns its bridges.
    if ! pgrep -x dockerd >/dev/null; then
      for br in docker0 docker_gwbridge; do
        if ip link show "$br" >/dev/null 2>&1; then
          ip link del "$br" && echo "docker fixture: removed the bridge $br left by an earlier engine"
        fi
      done
    fi
    if ! sock=$("$src/scripts/dockerd" start); then
      if $ci; then echo "docker fixture: the private dockerd did not start (CI is set)" >&2; exit 1; fi
      echo "docker fixture: no dockerd; the Docker tests will skip (under CI=true they fail)"
      exit 0
    fi
    DOCKER_HOST=unix://$sock "$src/images/build" "$build"
    for image in webgames/shifumi webgames/test-server; do
      DOCKER_HOST=unix://$sock docker image inspect "$image" >/dev/null ||
        { echo "docker fixture: image $image is missing" >&2; exit 1; }
    done
    # A single-node swarm for the Swarm runtime's tests; cleanup leaves it.
    if [[ $(DOCKER_HOST=unix://$sock docker info --format '{{.Swarm.LocalNodeState}}') != active ]]; then
      DOCKER_HOST=unix://$sock docker swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:2377 >/dev/null
    fi
    ;;
  cleanup)
    if sock=$("$src/scripts/dockerd" socket 2>/dev/null); then
      DOCKER_HOST=unix://$sock docker swarm leave --force >/dev/null 2>&1 || true
    fi
    "$src/scripts/dockerd" stop
    ;;
  *)
    echo "usage: docker_fixture.sh setup|cleanup SOURCE_DIR [BUILD_DIR]" >&2
    exit 2
    ;;
esac
