#!/usr/bin/env bash
# Installs the dependencies, builds everything (library tests, the grid example) and runs every
# test with ctest. Extra arguments go to cmake's configure step, e.g. -DCMAKE_CXX_COMPILER=clang++.
# BUILD_DIR (default build) chooses the build tree.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-Release} "$@"
cmake --build "$build" -j "$(nproc)"
ctest --test-dir "$build" -j "$(nproc)" --output-on-failure --timeout 1800
