#!/usr/bin/env bash
# The main job: the seed lab's notMNIST grid (GRU and MGU x layers 1,2,3 x hidden 50,128,256 x
# 3 seeds, 20 epochs). Installs the dependencies, builds notmnist_grid, finds the data (--data,
# ./data/, ../shared/data/; downloads it into ./data/ when none is found) and runs the grid with
# one run per core. Arguments go to notmnist_grid: e.g. --preset quick, --jobs N, --out DIR
# (default results/latest; rerun with the same --out to resume).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# Its own build tree, compiled for this CPU (-march=native): the grid trains where it is built, and
# the vectorised gate loops make a full grid 3-9% faster than the portable build the tests use.
cmake -S . -B build-grid -G Ninja -DCMAKE_BUILD_TYPE=Release -DRNNCELL_BUILD_TESTS=OFF \
  -DNOTMNIST_GRID_ARCH_FLAGS=-march=native >/dev/null
cmake --build build-grid -j "$(nproc)" --target notmnist_grid
found() { compgen -G "data/notMNIST_small*" >/dev/null || compgen -G "../shared/data/notMNIST_small*" >/dev/null; }
if [[ " $* " != *" --data "* ]] && ! found; then
  bash scripts/download_notmnist.sh data
fi
defaults=()
[[ " $* " == *" --jobs "* ]] || defaults+=(--jobs "$(nproc)")
[[ " $* " == *" --out "* ]] || defaults+=(--out results/latest)
exec build-grid/examples/notmnist_grid/notmnist_grid "${defaults[@]}" "$@"
