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
    echo "run.sh: training the demo zoo (128 CNN-s models on Fashion-MNIST and digits, about 1.5 minutes; once only)"
    "$build/app/wse/wse" zoo train --demo -o "$demo"
fi
# A SANE encoder of the demo zoo for the explorer's SANE map (resumes if interrupted; WSE_DEMO_SANE=0 skips it).
sane_args=()
if [[ "${WSE_DEMO_SANE:-1}" != 0 ]]; then
    sane="$(dirname "$demo")/sane"
    [[ -f "$sane/encoder.pt" ]] || echo "run.sh: training a small SANE encoder on the demo zoo (about 10 minutes on 2 cores; once only)"
    "$build/app/wse/wse" sane train --zoo "$demo" --preset small -o "$sane" # a finished run returns at once
    sane_args=(--sane "$sane/encoder.pt")
fi
explorer=("$build/app/explorer/wse-explorer" "$demo" --map weight-statistics "${sane_args[@]}" "$@")
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
    echo "run.sh: no display found; starting the explorer under xvfb-run (nothing will be visible)." >&2
    exec xvfb-run -a -s "-screen 0 1600x1000x24" "${explorer[@]}"
fi
exec "${explorer[@]}"
