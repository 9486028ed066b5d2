#!/usr/bin/env bash
# Installs rnncell's build, test and example dependencies from Debian 12's packages.
# Idempotent: installs only what is missing; runs apt-get through sudo when not root.
# --bench adds the benchmark peers (oneDNN, PyTorch) that bench/run-peers.sh measures against,
# and Eigen, which RTNeural's peer needs (RTNEURAL_DIR; a fresh machine stopped at its
# find_package); Debian's dnnl CMake package needs the OpenCL development files to be found.
# The library itself needs only libxtensor-dev and libopenblas-dev; libxtensor-blas-dev is for the
# test that rnncell and xtensor-blas compile together in one file. libonnx-dev and libprotobuf-dev
# are for the onnx component (rnncell/onnx.hpp); its tests run ONNX Runtime from npm
# (onnxruntime-node, pinned in tests/onnx/package-lock.json), installed into tests/onnx/node_modules
# with node and npm (Debian's nodejs and npm where the machine has no node).
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  libxtensor-dev libxtensor-blas-dev libopenblas-dev doctest-dev libbenchmark-dev
  libspng-dev zlib1g-dev libarchive-dev nlohmann-json3-dev libcli11-dev gnuplot-nox
  python3 python3-numpy doxygen parallel libonnx-dev libprotobuf-dev
)
command -v node > /dev/null && command -v npm > /dev/null || packages+=(nodejs npm)
[[ "${1:-}" == --bench ]] && packages+=(libdnnl-dev ocl-icd-opencl-dev python3-torch libeigen3-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# ONNX Runtime for the ONNX tests: --ignore-scripts, as its install script only fetches GPU
# binaries (from a host outside the npm registry); the CPU runtime ships inside the package.
onnx_dir="$(dirname "$0")/../tests/onnx"
if [ ! -f "$onnx_dir/node_modules/onnxruntime-node/package.json" ] ||
   [ "$onnx_dir/package-lock.json" -nt "$onnx_dir/node_modules/.package-lock.json" ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error --prefix "$onnx_dir"
fi
