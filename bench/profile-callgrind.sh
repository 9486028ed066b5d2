#!/usr/bin/env bash
# Where a train step's instructions go: callgrind on the Google Benchmark train_step cases,
# grouped into BLAS kernel / BLAS packing and driver / our gate loops / Adam / the rest.
# Instruction counts, not seconds: repeatable whatever else the machine does, but blind to
# memory stalls (packing is memory-bound, so its share of the time is larger than shown).
# valgrind has no AVX-512, so this builds for Haswell and pins OpenBLAS to its Haswell kernels.
#   bench/profile-callgrind.sh [case ...]   e.g. gru_rb/train_step/L1/H50/B32 (default: four cases)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${RNNCELL_PROFILE_BUILD_DIR:-$repo/../build-profile}
cases=("$@")
[[ ${#cases[@]} -gt 0 ]] || cases=(gru_rb/train_step/L1/H50/B32 mgu/train_step/L1/H50/B32
                                   gru_rb/train_step/L1/H256/B32 mgu/train_step/L1/H256/B32)

bash "$repo/scripts/install-deps.sh" --bench
command -v valgrind >/dev/null || { echo "profile-callgrind: needs valgrind" >&2; exit 1; }
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DRNNCELL_BUILD_BENCHMARKS=ON \
  -DRNNCELL_BUILD_TESTS=OFF -DRNNCELL_BUILD_EXAMPLES=OFF -DRNNCELL_INSTALL=OFF \
  "-DRNNCELL_BENCH_FLAGS=-O3;-march=haswell;-g" >/dev/null
declare -A exe=([gru_rb]=gru_reset_before [gru_ra]=gru_reset_after [mgu]=mgu)

for c in "${cases[@]}"; do
  target=rnncell_bench_${exe[${c%%/*}]}_native  # the build RNNCELL_BENCH_FLAGS above applies to
  cmake --build "$build" --target "$target" >/dev/null
  out="$build/callgrind.$(echo "$c" | tr / _)"
  # Only what runs inside the benchmark function: the model's setup plus warm-up and timed steps.
  OPENBLAS_CORETYPE=Haswell valgrind --tool=callgrind --callgrind-out-file="$out" \
    --toggle-collect='*bench_train_step*' "$build/bench/$target" --benchmark_filter="^$c\$" \
    --benchmark_min_time=0.001 >/dev/null 2>&1
  callgrind_annotate --inclusive=no --auto=no --threshold=100 "$out" | python3 -c '
import re, sys
groups = {"BLAS kernel": 0, "BLAS packing + driver": 0, "gate loops (gru/mgu/activations/base)": 0,
          "Adam": 0, "head + loss": 0, "libc memset/memcpy (BLAS C = 0, first sizing)": 0,
          "setup (init, random data; excluded)": 0, "other": 0}
for line in sys.stdin:
    m = re.match(r"\s*([\d,]+) \([ \d.]+%\)  (.*)", line)
    if not m or "PROGRAM TOTALS" in line: continue
    n, fn = int(m.group(1).replace(",", "")), m.group(2)
    if "sgemm_kernel" in fn: g = "BLAS kernel"
    elif "openblas" in fn: g = "BLAS packing + driver"
    elif re.search(r"random\.hpp|init\.hpp|glorot|random_sequences", fn): g = "setup (init, random data; excluded)"
    elif "adam.hpp" in fn: g = "Adam"
    elif re.search(r"mem(set|cpy|move)", fn): g = "libc memset/memcpy (BLAS C = 0, first sizing)"
    elif re.search(r"dense\.hpp|loss\.hpp", fn): g = "head + loss"
    elif re.search(r"(gru|mgu|base|activations|blas|stacked)\.hpp", fn): g = "gate loops (gru/mgu/activations/base)"
    else: g = "other"
    groups[g] += n
work = sum(v for k, v in groups.items() if "excluded" not in k)
print(f"== {sys.argv[1]}: {work:,} instructions (all steps run, setup excluded)")
for k, v in groups.items():
    share = "" if "excluded" in k else f"{100 * v / work:5.1f}%"
    print(f"  {k:42s} {v:>14,}  {share}")
' "$c"
done
