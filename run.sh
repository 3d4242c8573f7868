#!/usr/bin/env bash
# Installs what is missing, builds, and opens the explorer on the demo zoo (trained on first run).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
build="${WSE_BUILD_DIR:-$root/build}"
demo="${WSE_DEMO_ZOO:-$build/demo/demo-zoo.h5}"
if [[ ! -f "$demo" ]]; then
    mkdir -p "$(dirname "$demo")"
    echo "run.sh: training the demo zoo (128 CNN-s models on Fashion-MNIST and digits, about 4 minutes; once only)"
    "$build/app/wse/wse" zoo train --demo -o "$demo"
fi
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
    echo "run.sh: no display found; starting the explorer under xvfb-run (nothing will be visible)." >&2
    exec xvfb-run -a -s "-screen 0 1600x1000x24" "$build/app/explorer/wse-explorer" "$demo" --map weight-statistics "$@"
fi
exec "$build/app/explorer/wse-explorer" "$demo" --map weight-statistics "$@"
