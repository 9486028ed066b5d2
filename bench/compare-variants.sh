#!/usr/bin/env bash
# Runs one benchmark program of bench/ in both our builds (default and native), interleaved round
# after round, keeps each case's best round and writes a markdown table of every variant's time
# beside the baseline's, with their ratio. Cases are named "<variant>/<rest>"; a variant's row is
# compared with "<baseline>/<rest>". Used by bench/run-bidirectional.sh and bench/run-dropout.sh.
#
#   bench/compare-variants.sh PROGRAM BASELINE OUT TITLE NOTE
#
# PROGRAM: rnncell_bench_<PROGRAM>_{default,native}; OUT: the markdown file; TITLE its heading;
# NOTE the sentence under the CPU line (what is measured, the goal).
# Knobs (environment): RNNCELL_BENCH_BUILD_DIR (default ../build-bench), RNNCELL_BENCH_ROUNDS (3),
# RNNCELL_BENCH_MIN_TIME (0.3 s per measurement).
set -euo pipefail

program=$1 baseline=$2 out=$3 title=$4 note=$5
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${RNNCELL_BENCH_BUILD_DIR:-$repo/../build-bench}
rounds=${RNNCELL_BENCH_ROUNDS:-3}
min_time=${RNNCELL_BENCH_MIN_TIME:-0.3}
jobs=$(( $(nproc) < 2 ? 1 : 2 ))

bash "$repo/scripts/install-deps.sh"
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DRNNCELL_BUILD_BENCHMARKS=ON >/dev/null
cmake --build "$build" -j "$jobs" --target "rnncell_bench_${program}_default" "rnncell_bench_${program}_native"

raw=$(mktemp -d)
trap 'rm -rf "$raw"' EXIT
for round in $(seq 1 "$rounds"); do
  echo "== round $round of $rounds"
  for flavour in default native; do
    "$build/bench/rnncell_bench_${program}_$flavour" --benchmark_min_time="$min_time" \
      --benchmark_format=json --benchmark_out="$raw/${flavour}_$round.json" >/dev/null
  done
done

cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)
/usr/bin/python3 - "$raw" "$out" "$cpu" "$rounds" "$baseline" "$title" "$note" "$(basename "$0")" <<'PY'
import datetime, glob, json, os, sys
raw, out, cpu, rounds, baseline, title, note, script = sys.argv[1:9]
best, context, variants = {}, {}, []
for path in sorted(glob.glob(os.path.join(raw, "*.json"))):
    flavour = os.path.basename(path).split("_")[0]
    data = json.load(open(path))
    context[flavour] = data["context"]
    for b in data["benchmarks"]:
        variant, rest = b["name"].split("/", 1)
        if variant not in variants:
            variants.append(variant)
        key = (flavour, variant, rest)
        best[key] = min(best.get(key, float("inf")), b["real_time"])  # ms
cells = ["gru_rb", "gru_ra", "mgu", "lstm"]
rests = sorted({k[2] for k in best}, key=lambda r: (cells.index(r.split("/")[0]), r))
c = context["default"]
lines = [
    f"# {title}",
    "",
    f"Written by `bench/{script}` on {datetime.datetime.utcnow():%Y-%m-%d %H:%MZ}, {rounds} interleaved "
    "rounds, each case's best round, one core.",
    f"CPU: {cpu}; our kernels' path: {c.get('rnncell_kernel_path')} (default build) / "
    f"{context['native'].get('rnncell_kernel_path')} (native); OpenBLAS core: {c.get('openblas_core')}.",
    "",
    note,
    "",
    f"| case | variant | {baseline} default | default | ratio default | {baseline} native | native | ratio native |",
    "|---|---|---|---|---|---|---|---|",
]
for r in rests:
    for v in variants:
        if v == baseline:
            continue
        u, b = best[("default", baseline, r)], best[("default", v, r)]
        un, bn = best[("native", baseline, r)], best[("native", v, r)]
        lines.append(f"| {r.replace('/train_step', '')} | {v} | {u:.3f} | {b:.3f} | {b / u:.2f} | {un:.3f} | {bn:.3f} | {bn / un:.2f} |")
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
