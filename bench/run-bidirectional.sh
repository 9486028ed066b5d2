#!/usr/bin/env bash
# Bidirectional's train step beside the unidirectional one (bench/bench_bidirectional.cpp: every
# cell at 1 x 50, 1 x 128, 2 x 256, B = 32, T = 28), both our builds, interleaved round after round;
# each case keeps its best round. Writes bench/RESULTS-bidirectional.md with the ratios
# (issue 30's goal: <= 2.05 in the default build).
#
#   bench/run-bidirectional.sh     # from the repository root; a few minutes on a 2-core VM
#
# Knobs (environment): those of bench/compare-variants.sh, and RNNCELL_BENCH_OUT
# (bench/RESULTS-bidirectional.md).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
exec bash "$repo/bench/compare-variants.sh" bidirectional unidirectional \
  "${RNNCELL_BENCH_OUT:-$repo/bench/RESULTS-bidirectional.md}" \
  "Bidirectional train step beside the unidirectional one" \
  "Model::train_on_batch, B = 32, T = 28, In = 28, 10 classes; ms. ratio = bidirectional / unidirectional (issue 30's goal: <= 2.05, default build)."
