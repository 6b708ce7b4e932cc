#!/usr/bin/env bash
# Compiles ftpy sources without linking (-fsyntax-only), against the gil
# and nogil headers of the release build: a quick check while the rest of
# the interpreter is being written. Usage: scripts/ftpy-check.sh FILE.c...
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
[ -f "$root/build/release/flavors/gil/include/ftlab/config.h" ] ||
  cmake --preset release >/dev/null
rc=0
for flavor in gil nogil; do
  for f in "$@"; do
    gcc -std=gnu17 -fsyntax-only -D_GNU_SOURCE -Wall -Wextra -Wundef -Wshadow \
      -Wstrict-prototypes -Wmissing-prototypes -Wno-missing-field-initializers \
      -I"$root/build/release/flavors/$flavor/include" -I"$root/runtime/include" \
      -I"$root/ftpy" "$f" || rc=1
  done
done
exit $rc
