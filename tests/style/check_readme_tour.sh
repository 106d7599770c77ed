#!/usr/bin/env bash
# README's Tour names every folder of src/ (and no folder that is gone), so
# that the map a newcomer reads first stays true.
set -euo pipefail
root=${1:?usage: check_readme_tour.sh SOURCE_DIR}
status=0
for dir in "$root"/src/*/; do
  name=$(basename "$dir")
  if ! grep -q "| \`src/$name/\`" "$root/README.md"; then
    echo "README.md: the Tour does not list src/$name/" >&2
    status=1
  fi
done
for name in $(grep -o '^| `src/[a-z_]*/`' "$root/README.md" | sed 's/^| `src\/\(.*\)\/`/\1/'); do
  if [ ! -d "$root/src/$name" ]; then
    echo "README.md: the Tour lists src/$name/, which does not exist" >&2
    status=1
  fi
done
exit $status
