#!/usr/bin/env bash
# Builds the checkpoint reader/writer and its tests with AddressSanitizer + UBSan and runs them.
# (The checkpoint code needs no torch, so this build is small.)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${WSE_SANITIZE_DIR:-$root/build-asan}"
if [[ ! -f "$build/build.ninja" ]]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DWSE_BUILD_GUI=OFF -DWSE_SANITIZE=ON > /dev/null
fi
cmake --build "$build" --target test_checkpoint -- -j"$(nproc)"
QT_QPA_PLATFORM=offscreen ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$build/tests/test_checkpoint"
