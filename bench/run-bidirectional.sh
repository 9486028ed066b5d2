#!/usr/bin/env bash
# Bidirectional's train step beside the unidirectional one (bench/bench_bidirectional.cpp: every
# cell at 1 x 50, 1 x 128, 2 x 256, B = 32, T = 28), both our builds, interleaved round after round;
# each case keeps its best round. Writes bench/RESULTS-bidirectional.md with the ratios
# (issue 30's goal: <= 2.05 in the default build).
#
#   bench/run-bidirectional.sh     # from the repository root; a few minutes on a 2-core VM
#
# Knobs (environment): RNNCELL_BENCH_BUILD_DIR (default ../build-bench), RNNCELL_BENCH_ROUNDS (3),
# RNNCELL_BENCH_MIN_TIME (0.3 s per measurement), RNNCELL_BENCH_OUT (bench/RESULTS-bidirectional.md).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${RNNCELL_BENCH_BUILD_DIR:-$repo/../build-bench}
rounds=${RNNCELL_BENCH_ROUNDS:-3}
min_time=${RNNCELL_BENCH_MIN_TIME:-0.3}
out=${RNNCELL_BENCH_OUT:-$repo/bench/RESULTS-bidirectional.md}
jobs=$(( $(nproc) < 2 ? 1 : 2 ))

bash "$repo/scripts/install-deps.sh"
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DRNNCELL_BUILD_BENCHMARKS=ON >/dev/null
cmake --build "$build" -j "$jobs" --target rnncell_bench_bidirectional_default rnncell_bench_bidirectional_native

raw=$(mktemp -d)
trap 'rm -rf "$raw"' EXIT
for round in $(seq 1 "$rounds"); do
  echo "== round $round of $rounds"
  for flavour in default native; do
    "$build/bench/rnncell_bench_bidirectional_$flavour" --benchmark_min_time="$min_time" \
      --benchmark_format=json --benchmark_out="$raw/${flavour}_$round.json" >/dev/null
  done
done

cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)
/usr/bin/python3 - "$raw" "$out" "$cpu" "$rounds" <<'PY'
import datetime, glob, json, os, sys
raw, out, cpu, rounds = sys.argv[1:5]
best, context = {}, {}
for path in sorted(glob.glob(os.path.join(raw, "*.json"))):
    flavour = os.path.basename(path).split("_")[0]
    data = json.load(open(path))
    context[flavour] = data["context"]
    for b in data["benchmarks"]:
        direction, rest = b["name"].split("/", 1)
        key = (flavour, direction, rest)
        best[key] = min(best.get(key, float("inf")), b["real_time"])  # ms
rows = sorted({k[2] for k in best}, key=lambda r: (["gru_rb", "gru_ra", "mgu", "lstm"].index(r.split("/")[0]), r))
c = context["default"]
lines = [
    "# Bidirectional train step beside the unidirectional one",
    "",
    f"Written by `bench/run-bidirectional.sh` on {datetime.datetime.utcnow():%Y-%m-%d %H:%MZ}, {rounds} interleaved "
    "rounds, each case's best round, one core.",
    f"CPU: {cpu}; our kernels' path: {c.get('rnncell_kernel_path')} (default build) / "
    f"{context['native'].get('rnncell_kernel_path')} (native); OpenBLAS core: {c.get('openblas_core')}.",
    "",
    "Model::train_on_batch, B = 32, T = 28, In = 28, 10 classes; ms. ratio = bidirectional / unidirectional "
    "(issue 30's goal: <= 2.05, default build).",
    "",
    "| case | uni default | bi default | ratio default | uni native | bi native | ratio native |",
    "|---|---|---|---|---|---|---|",
]
for r in rows:
    u, b = best[("default", "unidirectional", r)], best[("default", "bidirectional", r)]
    un, bn = best[("native", "unidirectional", r)], best[("native", "bidirectional", r)]
    lines.append(f"| {r.replace('/train_step', '')} | {u:.3f} | {b:.3f} | {b / u:.2f} | {un:.3f} | {bn:.3f} | {bn / un:.2f} |")
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
