#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang, in their own build folder) and runs each for SECONDS,
# as many at once as there are cores (JOBS sets it):
#   bash tests/fuzz/run-fuzzers.sh SECONDS [HARNESS...]     (default: every harness below)
# Each run starts from the committed seed corpus and regression inputs (never written to: new
# inputs go to BUILD_DIR/corpus/<name>), prints its execution count, and fails on any crash,
# sanitizer report, leak, timeout or allocation over its limit; the input that did it is saved
# under BUILD_DIR/artifacts/<name>/. Fix the bug, then commit that input to
# tests/fuzz/regressions/<name>/: the normal test suite replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/../.."
{  # parsed whole before it runs: an edit of this file during a long run cannot derail it

# One line per harness: name | CMake target | seed corpus | dictionary (or -) | libFuzzer flags.
# A harness is added by one rnncell_fuzz_harness() call in CMake and one line here.
HARNESSES=(
  "npz|fuzz_npz|tests/fuzz/corpus/npz|tests/fuzz/npz.dict|-malloc_limit_mb=64 -max_len=16384"
  "tensors|fuzz_tensors|tests/fuzz/corpus/tensors|tests/fuzz/tensors.dict|-malloc_limit_mb=64 -max_len=16384"
  "onnx|fuzz_onnx|tests/fuzz/corpus/onnx|tests/fuzz/onnx.dict|-malloc_limit_mb=128 -max_len=32768"
  "png|fuzz_png|examples/notmnist_grid/fuzz/corpus/png|examples/notmnist_grid/fuzz/png.dict|-malloc_limit_mb=256 -max_len=65536"
  "archive|fuzz_archive|examples/notmnist_grid/fuzz/corpus/archive|-|-malloc_limit_mb=512 -max_len=65536"
  "run_record|fuzz_run_record|examples/notmnist_grid/fuzz/corpus/run_record|examples/notmnist_grid/fuzz/run_record.dict|-malloc_limit_mb=64 -max_len=8192"
)

seconds=${1:?usage: run-fuzzers.sh SECONDS [HARNESS...]}
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "run-fuzzers.sh: SECONDS must be an integer >= 1, got '$seconds'" >&2; exit 2; }
shift
BUILD_DIR=${BUILD_DIR:-build-fuzz}

selected=()
targets=()
examples=OFF
for line in "${HARNESSES[@]}"; do
  IFS='|' read -r name target corpus dict flags <<<"$line"
  if (($# > 0)) && [[ " $* " != *" $name "* ]]; then continue; fi
  selected+=("$line")
  targets+=("$target")
  [[ $corpus == examples/* ]] && examples=ON  # harnesses of the example need it configured
done
((${#selected[@]} > 0)) || { echo "run-fuzzers.sh: no harness named: $*" >&2; exit 2; }

cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++ \
  -DRNNCELL_BUILD_FUZZERS=ON -DRNNCELL_BUILD_EXAMPLES=$examples >/dev/null
# JOBS: the build's parallel jobs, and how many harnesses run at once (below).
jobs=${JOBS:-$(nproc)}
nice -n 10 cmake --build "$BUILD_DIR" --target "${targets[@]}" -j "$jobs"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Runs one harness (a line of HARNESSES) for $seconds; prints its outcome; fails on a finding.
run_harness() {
  local name target corpus dict flags
  IFS='|' read -r name target corpus dict flags <<<"$1"
  local binary work="$BUILD_DIR/corpus/$name" artifacts="$BUILD_DIR/artifacts/$name"
  local log="$BUILD_DIR/fuzz-$name.log"
  binary=$(find "$BUILD_DIR" -type f -name "$target" -perm -u+x | head -n 1)
  mkdir -p "$work" "$artifacts"
  local regressions
  regressions="$(dirname "$(dirname "$corpus")")/regressions/$name"  # X/corpus/N -> X/regressions/N
  local seeds=("$corpus")
  [[ -d $regressions ]] && seeds+=("$regressions")
  local dict_flag=()
  [[ $dict != - ]] && dict_flag=("-dict=$dict")
  echo "== fuzz $name for $seconds s"
  # shellcheck disable=SC2086  # $flags is a list of libFuzzer flags
  if nice -n 10 "$binary" "$work" "${seeds[@]}" "${dict_flag[@]}" $flags -max_total_time="$seconds" \
       -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1; then
    local executions
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz $name: ${executions:-?} executions in $seconds s, no crash (corpus: $(ls "$work" | wc -l) inputs)"
  else
    { echo "fuzz $name: FAILED; the end of $log:"; tail -n 40 "$log"; echo "the input that failed is in $artifacts/"; } >&2
    return 1
  fi
}

# Each harness is single-threaded: as many run at once as there are cores (JOBS), each for the
# whole $seconds, so running them side by side does not shorten any harness's fuzzing.
status=0 running=0
for line in "${selected[@]}"; do
  if ((running >= jobs)); then
    wait -n || status=1
    running=$((running - 1))
  fi
  run_harness "$line" &
  running=$((running + 1))
done
while ((running > 0)); do
  wait -n || status=1
  running=$((running - 1))
done
exit $status
}
