#!/usr/bin/env bash
# Checks that the headers of this tree compute bitwise the same numbers as those of BASE_REV
# (default: main): builds tests/tools/numerics_fingerprint.cpp against both with the same
# compiler and flags, runs both on this machine and compares their outputs byte for byte.
# For refactors that claim "numerics unchanged". Usage: scripts/check-numerics.sh [BASE_REV]
set -euo pipefail
cd "$(dirname "$0")/.."
base_rev=${1:-main}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach "$work/base" "$base_rev" >/dev/null
flags=(-std=c++20 -O3 -DNDEBUG)
blas=$(pkg-config --libs openblas 2>/dev/null || echo -lopenblas)
g++ "${flags[@]}" -I "$work/base/include" tests/tools/numerics_fingerprint.cpp -o "$work/fingerprint-base" $blas
g++ "${flags[@]}" -I include tests/tools/numerics_fingerprint.cpp -o "$work/fingerprint-this" $blas
"$work/fingerprint-base" "$work/base.bin"
"$work/fingerprint-this" "$work/this.bin"
if cmp -s "$work/base.bin" "$work/this.bin"; then
  echo "numerics bitwise unchanged against $base_rev ($(stat -c %s "$work/this.bin") bytes compared)"
else
  echo "numerics DIFFER from $base_rev: $(cmp "$work/base.bin" "$work/this.bin" | head -1)"
  exit 1
fi
