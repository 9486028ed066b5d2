#!/usr/bin/env bash
# Inference, rnncell beside ONNX Runtime on the same models: each model of
# bench/inference_models.hpp (GRU reset-before and reset-after, MGU, LSTM at 1 x 50, 2 x 128 and
# 3 x 256; T = 28, In = 28, 10 classes) timed as Model::predict (bench_inference.cpp, both our
# builds) and, exported with save_onnx, as ONNX Runtime 1.30's session.run (npm's
# onnxruntime-node, CPU, 1 thread: bench/onnxruntime_time.js), at B = 1 and B = 32, interleaved
# round after round; each configuration keeps its best round. Writes bench/RESULTS-onnx.md.
#
#   bench/run-onnx.sh          # from the repository root; ~10 minutes on a 2-core VM
#
# Knobs (environment): RNNCELL_BENCH_BUILD_DIR (default ../build-bench), RNNCELL_BENCH_ROUNDS (3),
# RNNCELL_BENCH_MIN_TIME (0.2 s per measurement of ours), RNNCELL_BENCH_OUT (bench/RESULTS-onnx.md).
# ONNX Runtime's time includes node's call overhead around session.run (about 9 us per call,
# measured with a one-node Identity model): it is what a node user gets; a C++ user of ONNX
# Runtime saves that much per call.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${RNNCELL_BENCH_BUILD_DIR:-$repo/../build-bench}
rounds=${RNNCELL_BENCH_ROUNDS:-3}
min_time=${RNNCELL_BENCH_MIN_TIME:-0.2}
out=${RNNCELL_BENCH_OUT:-$repo/bench/RESULTS-onnx.md}
jobs=$(( $(nproc) < 2 ? 1 : 2 ))

bash "$repo/scripts/install-deps.sh"
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DRNNCELL_BUILD_BENCHMARKS=ON >/dev/null
cmake --build "$build" -j "$jobs" --target rnncell_bench_inference_default rnncell_bench_inference_native \
  rnncell_bench_export_onnx

raw=$(mktemp -d)
trap 'rm -rf "$raw"' EXIT
"$build/bench/rnncell_bench_export_onnx" "$raw"
models=("$raw"/*.onnx)

for round in $(seq 1 "$rounds"); do
  echo "== round $round of $rounds"
  for flavour in default native; do
    "$build/bench/rnncell_bench_inference_$flavour" --benchmark_min_time="$min_time" \
      --benchmark_format=json --benchmark_out="$raw/ours_${flavour}_$round.json" >/dev/null
  done
  for model in "${models[@]}"; do
    name=$(basename "$model" .onnx)
    for batch in 1 32; do
      node "$repo/bench/onnxruntime_time.js" "$model" 28 "$batch" 28 --rounds 1 |
        tail -n 1 | sed "s/^/{\"model\":\"$name\",\"batch\":$batch,\"result\":/; s/$/}/" >> "$raw/onnxruntime_$round.jsonl"
    done
  done
done

cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)
/usr/bin/python3 - "$raw" "$out" "$cpu" "$rounds" <<'PY'
import glob, json, os, sys, datetime
raw, out, cpu, rounds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
ours = {"default": {}, "native": {}}
context = {}
for path in sorted(glob.glob(os.path.join(raw, "ours_*.json"))):
    flavour = os.path.basename(path).split("_")[1]
    data = json.load(open(path))
    context[flavour] = data["context"]
    for b in data["benchmarks"]:
        _, name, batch = b["name"].split("/")[:3]  # then Arg(batch)'s "/<B>"
        key = (name, int(batch[1:]))
        ms = b["real_time"] / 1000.0  # microseconds -> ms
        ours[flavour][key] = min(ours[flavour].get(key, float("inf")), ms)
ort = {}
for path in sorted(glob.glob(os.path.join(raw, "onnxruntime_*.jsonl"))):
    for line in open(path):
        r = json.loads(line)
        key = (r["model"], r["batch"])
        ort[key] = min(ort.get(key, float("inf")), r["result"]["best_ms"])
order = ["gru_rb", "gru_ra", "mgu", "lstm"]
keys = sorted(ort, key=lambda k: (order.index(k[0].split("_L")[0]), k[0], k[1]))
c = context["default"]
lines = [
    "# Inference: rnncell's predict beside ONNX Runtime on the same exported models",
    "",
    f"Written by `bench/run-onnx.sh` on {datetime.datetime.utcnow():%Y-%m-%d %H:%MZ}, {rounds} interleaved rounds, "
    "each configuration's best round. One core (OpenBLAS and ONNX Runtime pinned to one thread).",
    f"CPU: {cpu}; our kernels' path: {c.get('rnncell_kernel_path')} (default build) / "
    f"{context['native'].get('rnncell_kernel_path')} (native); OpenBLAS core: {c.get('openblas_core')}.",
    "ONNX Runtime 1.30.0 (npm's onnxruntime-node, CPU execution provider, default graph optimisation), "
    "timed from node around `session.run` (about 9 us of node overhead per call included).",
    "",
    "x is (T = 28, B, In = 28), 10 classes; ms per predict. ratio = ONNX Runtime / ours (above 1: ours is faster).",
    "",
    "| model | B | ours default | ours native | ONNX Runtime | ratio, default / native |",
    "|---|---|---|---|---|---|",
]
for key in keys:
    d, n, o = ours["default"].get(key), ours["native"].get(key), ort[key]
    lines.append(f"| {key[0]} | {key[1]} | {d:.3f} | {n:.3f} | {o:.3f} | {o / d:.2f} / {o / n:.2f} |")
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
