#!/usr/bin/env bash
# The GPU machine's check, in one run: build wse_core, the CLI and the benchmarks against the
# machine's CUDA LibTorch (the python3 torch there), compare CUDA with CPU (wse-check-device), then
# run the benchmarks. Needs .deps/ from scripts/gpu/collect-deps.sh (HDF5, json, CLI11,
# Fashion-MNIST). Each step is bounded so one run fits the machine's time; the log goes to
# $OUT/device.log (or /tmp/wse-device).
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-/tmp/wse-device}
mkdir -p "$out"
exec > >(tee -a "$out/device.log") 2>&1
deadline=$(( $(date +%s) + ${WSE_DEVICE_SECONDS:-540} ))
step() { # step SECONDS NAME COMMAND...: runs when that much time is left, bounded by it
    local budget=$1 name=$2; shift 2
    local left=$(( deadline - $(date +%s) ))
    if (( left < budget / 2 )); then echo "## $name: skipped ($left s left)"; return 0; fi
    (( budget > left )) && budget=$left
    echo "## $name ($(date +%T), at most $budget s)"
    local start=$(date +%s)
    timeout --signal=INT --kill-after=10 "$budget" "$@"
    local rc=$?
    echo "## $name: exit $rc after $(( $(date +%s) - start )) s"
    return $rc
}

nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)'
g++ --version | head -1; cmake --version | head -1; nproc

torch_prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
torch_lib=$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
export LD_LIBRARY_PATH="$PWD/.deps/lib:$torch_lib:${LD_LIBRARY_PATH:-}"
export WSE_FASHION_MNIST="$PWD/.deps/fashion-mnist" WSE_PYTHON=python3 TORCH_CUDA_ARCH_LIST=9.0

step 60 configure cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DWSE_BUILD_GUI=OFF \
    -DWSE_BUILD_TESTS=OFF -DWSE_DEPS_PREFIX="$PWD/.deps" -DCMAKE_PREFIX_PATH="$torch_prefix" || exit 1
step 300 build cmake --build build-gpu -j "$(nproc)" --target wse wse-check-device wse-bench-sane wse-bench-training \
    || exit 1
bin=build-gpu/bench
step 120 check "$bin/wse-check-device" cuda
# Population trainer: 1000 CNN-s models, 1000 images (100 steps), one-at-a-time timed on 2 models;
# cuDNN's layouts compared (NCHW is the CUDA default).
for layout in nchw nhwc; do
    step 100 "training-$layout" env WSE_CONV_LAYOUT=$layout "$bin/wse-bench-training" 1000 1000 1 cuda 2
done
# The 100,000-checkpoint target: ours alone (the per-checkpoint Python loop would take minutes).
step 120 embed-100k env WSE_BENCH_NO_PYTHON=1 "$bin/wse-bench-sane" 2500 40 1 official-cnn cuda fp32,bf16
# Against python3-torch (CUDA, same precision) on 5,000 checkpoints.
step 100 embed-vs-python "$bin/wse-bench-sane" 125 40 1 small,official-cnn cuda fp32,bf16
echo "## done $(date +%T)"
