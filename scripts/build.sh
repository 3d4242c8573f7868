#!/usr/bin/env bash
# Configures (once) and builds into build/ with Ninja. Extra arguments go to CMake's configure step.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${WSE_BUILD_DIR:-$root/build}"
if [[ ! -f "$build/build.ninja" ]]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${WSE_BUILD_TYPE:-RelWithDebInfo}" "$@"
fi
cmake --build "$build" -- -j"$(nproc)"
