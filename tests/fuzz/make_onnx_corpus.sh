#!/usr/bin/env bash
# Writes the seed corpus of the load_onnx harness into tests/fuzz/corpus/onnx/: the harness's own
# models saved by save_onnx (write_onnx_seeds, with and without sequence_lens) and two graphs
# torch.onnx.export wrote (tests/oracle/fixtures/onnx, made by make_onnx_fixtures.py).
#   bash tests/fuzz/make_onnx_corpus.sh [BUILD_DIR]     (a configured build with RNNCELL_ONNX; default build)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
out=tests/fuzz/corpus/onnx
cmake --build "$build" --target write_onnx_seeds
rm -rf "$out"
mkdir -p "$out"
"$build/tests/fuzz/write_onnx_seeds" "$out"
cp tests/oracle/fixtures/onnx/gru_l2.onnx "$out/torch_gru_l2.onnx"
cp tests/oracle/fixtures/onnx/lstm_l2.onnx "$out/torch_lstm_l2.onnx"
ls -l "$out"
