#!/usr/bin/env bash
# Builds the benchmarks and the peers, runs them interleaved (ours, PyTorch, oneDNN, sgemm, round
# after round, each round under both BLAS settings) and writes bench/RESULTS.md. Ours runs in both
# builds (bench/CMakeLists.txt): `default` (-O3, a user's Release build; the kernels pick their
# instruction set at run time) and `native` (RNNCELL_BENCH_FLAGS, -O3 -march=native).
#
#   bench/run-peers.sh                 # from the repository root; ~15 min on a quiet 2-core VM
#
# BLAS settings: "as-is" keeps the environment (this workplace sets OPENBLAS_CORETYPE=Haswell and
# OPENBLAS_L2_SIZE, which hold OpenBLAS to AVX2 kernels); "unrestricted" unsets both for that one
# command only, as a user's machine would run. Every tool is pinned to 1 thread.
# Each peer gets its best setting: PyTorch runs with glibc keeping its memory
# (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_, MALLOC_TOP_PAD_ large) and
# OMP_WAIT_POLICY=PASSIVE; without them its timings jump on this VM.
#
# Knobs (environment):
#   RNNCELL_BENCH_BUILD_DIR  build directory (default: ../build-bench beside the repository)
#   RNNCELL_BENCH_ROUNDS     rounds; each configuration's result is its best round (default 2)
#   RNNCELL_BENCH_MIN_TIME   seconds per measurement (default 0.1)
#   RNNCELL_BENCH_FULL_B128  1: every configuration at B = 128 too (default: B = 128 only for
#                            layers {1, 3} x hidden {50, 256}, to keep a run near 15 minutes)
#   RNNCELL_BENCH_OUT        the report (default bench/RESULTS.md; with RNNCELL_BENCH_SMOKE=1, the
#                            raw results folder's RESULTS.md)
#   RNNCELL_BENCH_SMOKE      1: one configuration (L1, H50, B32) per cell, to check the pipeline and
#                            the report in a few minutes; its numbers say nothing about speed
#   RTNEURAL_DIR             an RTNeural source tree (bench/README.md says how to get one): adds the
#                            streaming table, RTNeural vs rnncell's stream, -march=native and default
#   RLTOOLS_DIR              an RLtools source tree (bench/README.md says how to get one): adds the
#                            sequence-model table, RLtools' GRU benchmark model's train step (its
#                            generic and OpenBLAS backends, default / -march=native / -Ofast builds)
#                            beside ours (Google Benchmark cases matching sequence_model.*train), issue 13
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${RNNCELL_BENCH_BUILD_DIR:-$repo/../build-bench}
rounds=${RNNCELL_BENCH_ROUNDS:-2}
min_time=${RNNCELL_BENCH_MIN_TIME:-0.1}
smoke=${RNNCELL_BENCH_SMOKE:-0}
python=/usr/bin/python3  # Debian's python3-torch lives there, not in a virtualenv
jobs=$(( $(nproc) < 2 ? 1 : 2 ))

peer_b32=(--batches=32)
if [[ $smoke == 1 ]]; then
  b128_layers=none b128_hiddens=none gbench_filter='/L1/H50/B32$' peer_b32+=(--layers=1 --hiddens=50)
elif [[ ${RNNCELL_BENCH_FULL_B128:-0} == 1 ]]; then
  b128_layers=1,2,3 b128_hiddens=50,128,256 gbench_filter='/B(32|128)$'
else
  b128_layers=1,3 b128_hiddens=50,256 gbench_filter='/B32$|/L[13]/H(50|256)/B128$'
fi

bash "$repo/scripts/install-deps.sh" --bench  # the peers too (oneDNN, PyTorch; list in install-deps.sh)
echo "== build (${build})"
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DRNNCELL_BUILD_BENCHMARKS=ON \
  -DRNNCELL_BUILD_TESTS=OFF -DRNNCELL_BUILD_EXAMPLES=OFF -DRNNCELL_INSTALL=OFF >/dev/null
cmake --build "$build" -j "$jobs" --target rnncell_peer_sgemm rnncell_peer_onednn
stream_peers=()
if [[ -n ${RTNEURAL_DIR:-} ]]; then
  cmake -S "$repo" -B "$build" -DRTNEURAL_DIR="$RTNEURAL_DIR" >/dev/null
  cmake --build "$build" -j "$jobs" --target rnncell_peer_rtneural_native rnncell_peer_rtneural_default
  stream_peers=(native default)
else
  echo "note: RTNEURAL_DIR is not set: no streaming table (see bench/README.md)" >&2
fi
# build_ours ARRAY PROGRAM WHAT: builds rnncell_bench_PROGRAM in both our builds and appends each
# executable that built to the array named ARRAY; one that does not build is a warning (the
# report then lacks WHAT), not the end of the run.
build_ours() {
  local -n built=$1
  local flavour
  for flavour in default native; do
    if cmake --build "$build" -j "$jobs" --target "rnncell_bench_${2}_$flavour"; then
      built+=("$build/bench/rnncell_bench_${2}_$flavour")
    else
      echo "warning: rnncell_bench_${2}_$flavour did not build; $3 will lack it" >&2
    fi
  done
}

seq_peers=() seq_ours=()
if [[ -n ${RLTOOLS_DIR:-} ]]; then
  cmake -S "$repo" -B "$build" -DRLTOOLS_DIR="$RLTOOLS_DIR" >/dev/null
  seq_peers=(generic_default generic_native openblas_default openblas_native openblas_ofast)
  cmake --build "$build" -j "$jobs" --target "${seq_peers[@]/#/rnncell_peer_rltools_}"
  build_ours seq_ours sequence_model "the RLtools table"
else
  echo "note: RLTOOLS_DIR is not set: no sequence-model table (see bench/README.md)" >&2
fi
ours=()
for cell in gru_reset_before gru_reset_after mgu lstm; do
  build_ours ours "$cell" "the report's 'ours'"
done

raw="$build/bench-results/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$raw"
out=${RNNCELL_BENCH_OUT:-$repo/bench/RESULTS.md}
if [[ $smoke == 1 ]]; then out=${RNNCELL_BENCH_OUT:-$raw/RESULTS.md}; fi  # never over the committed report
echo "== raw results in $raw"

# The one place the settings are made: the two BLAS settings, and "avx2" (issue 10's AVX2 goal):
# our kernels forced to their AVX2 path and OpenBLAS to its AVX2 (Haswell) kernels, whose sgemm
# peak is then the 100%.
in_setting() {
  local setting=$1; shift
  case $setting in
    unrestricted) env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$@" ;;
    avx2) env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE=Haswell RNNCELL_ISA=avx2 "$@" ;;
    *) "$@" ;;
  esac
}

# Every peer gets OpenMP/oneDNN pinned to 1 thread; PyTorch also the malloc settings above.
one_thread=(env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE)
torch_env=(MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=4294967296 MALLOC_TOP_PAD_=1073741824)

run_peer() {  # setting round name command...: JSON lines for B = 32 and the B = 128 subset
  local setting=$1 round=$2 name=$3; shift 3
  local file="$raw/$setting.$round.$name.jsonl"
  in_setting "$setting" "${one_thread[@]}" "$@" "${peer_b32[@]}" --min-time="$min_time" >"$file"
  if [[ $smoke == 1 ]]; then return; fi
  in_setting "$setting" "${one_thread[@]}" "$@" --batches=128 --layers="$b128_layers" \
    --hiddens="$b128_hiddens" --min-time="$min_time" >>"$file"
}

start=$SECONDS
for round in $(seq 1 "$rounds"); do
  for setting in as-is unrestricted; do
    echo "== round $round/$rounds, BLAS $setting ($(( SECONDS - start )) s so far)"
    for exe in "${ours[@]}"; do
      in_setting "$setting" "${one_thread[@]}" "$exe" --benchmark_filter="$gbench_filter" \
        --benchmark_min_time="$min_time" --benchmark_format=json \
        >"$raw/$setting.$round.ours.$(basename "$exe").json"
    done
    run_peer "$setting" "$round" pytorch env "${torch_env[@]}" "$python" "$repo/bench/peers/peer_pytorch.py"
    run_peer "$setting" "$round" onednn "$build/bench/rnncell_peer_onednn"
    run_peer "$setting" "$round" sgemm "$build/bench/rnncell_peer_sgemm"
    # RLtools' sequence model and ours, one after the other (report_sequence.py: "seq.*" files).
    for exe in "${seq_ours[@]}"; do
      in_setting "$setting" "${one_thread[@]}" "$exe" --benchmark_filter='sequence_model.*train' \
        --benchmark_min_time="$min_time" --benchmark_format=json >"$raw/seq.$setting.$round.$(basename "$exe").json"
    done
    for peer in "${seq_peers[@]}"; do
      in_setting "$setting" "${one_thread[@]}" "$build/bench/rnncell_peer_rltools_$peer" --min-time="$min_time" \
        --rounds=2 >"$raw/seq.$setting.$round.rltools-$peer.jsonl"
    done
  done
  if [[ $smoke != 1 ]]; then
    echo "== round $round/$rounds, AVX2 forced (default build, H = 256)"
    for exe in "${ours[@]}"; do
      # Issue 10's AVX2 goal is the GRUs' and the MGU's; the LSTM came later and has none there.
      [[ $exe == *_default && $exe != */rnncell_bench_lstm_* ]] || continue
      in_setting avx2 "${one_thread[@]}" "$exe" --benchmark_filter='train_step/L[123]/H256/B32$' \
        --benchmark_min_time="$min_time" --benchmark_format=json >"$raw/avx2.$round.ours.$(basename "$exe").json"
    done
    in_setting avx2 "${one_thread[@]}" "$build/bench/rnncell_peer_sgemm" --batches=32 --layers=1 --hiddens=256 \
      --min-time="$min_time" >"$raw/avx2.$round.sgemm.jsonl"
  fi
  for flavour in "${stream_peers[@]}"; do  # no BLAS in a streaming step: one setting is enough
    echo "== round $round/$rounds, streaming peer ($flavour build)"
    "${one_thread[@]}" "$build/bench/rnncell_peer_rtneural_$flavour" --min-time="$min_time" --rounds=2 \
      >"$raw/stream.$round.rtneural-$flavour.jsonl"
  done
done

{
  echo "cpu_model=$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
  echo "cores=$(nproc)"
  echo "openblas_coretype_as_is=${OPENBLAS_CORETYPE:-unset}"
  echo "openblas_l2_size_as_is=${OPENBLAS_L2_SIZE:-unset}"
  echo "rounds=$rounds"
  echo "smoke=$smoke"
  echo "min_time=$min_time"
  echo "b128_layers=$b128_layers"
  echo "b128_hiddens=$b128_hiddens"
  echo "seconds=$(( SECONDS - start ))"
  echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
  if [[ -n ${RTNEURAL_DIR:-} ]]; then
    echo "rtneural_commit=$(git -C "$RTNEURAL_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  fi
  if [[ -n ${RLTOOLS_DIR:-} ]]; then
    echo "rltools_commit=$(git -C "$RLTOOLS_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  fi
} >"$raw/environment.txt"

"$python" "$repo/bench/report.py" "$raw" >"$out.tmp"
mv "$out.tmp" "$out"
echo "== wrote $out ($(( SECONDS - start )) s of measuring)"
