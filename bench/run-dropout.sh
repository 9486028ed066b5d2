#!/usr/bin/env bash
# Train steps with dropout beside the one without (bench/bench_dropout.cpp: every cell, 2 layers,
# H 128 and 256, B = 32, T = 28; "recurrent": every layer's recurrent_dropout 0.2, "all": dropout,
# recurrent_dropout and Stacked::dropout 0.2), both our builds, interleaved round after round; each
# case keeps its best round. Writes bench/RESULTS-dropout.md (issue 30's goal: <= 1.05 at H >= 128).
#
#   bench/run-dropout.sh     # from the repository root; a few minutes on a 2-core VM
#
# Knobs (environment): those of bench/compare-variants.sh, and RNNCELL_BENCH_OUT
# (bench/RESULTS-dropout.md).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
exec bash "$repo/bench/compare-variants.sh" dropout none \
  "${RNNCELL_BENCH_OUT:-$repo/bench/RESULTS-dropout.md}" \
  "Train step with dropout beside the one without" \
  "Model<Stacked<Cell, 2>, Dense<H, 10>>::train_on_batch, B = 32, T = 28, In = 28; ms. ratio = with dropout / none (issue 30's goal: <= 1.05 at H >= 128, default build)."
