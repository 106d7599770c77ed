#!/usr/bin/env bash
# Fails, listing the files, when a C++ file differs from clang-format's output.
# `make format` fixes them.
set -euo pipefail
cd "${1:?source dir}"
command -v clang-format >/dev/null || { echo "clang-format is not installed (scripts/install-deps)"; exit 1; }
files=$(git ls-files -- '*.cpp' '*.h' 2>/dev/null || find src tests bench sdk games -name '*.cpp' -o -name '*.h')
bad=0
for f in $files; do
  if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f"
    bad=1
  fi
done
exit $bad
