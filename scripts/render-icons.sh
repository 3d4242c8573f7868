#!/usr/bin/env bash
# Renders the application icon's SVG master into the PNG sizes the desktop's icon theme uses
# (resources/icons/app/hicolor/<n>x<n>/). The PNGs are committed: building needs no SVG renderer.
# Run after editing resources/icons/app/weight-space-explorer.svg (needs librsvg2-bin).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
master="$root/resources/icons/app/weight-space-explorer.svg"
for size in 16 22 24 32 48 64 128 256 512; do
    folder="$root/resources/icons/app/hicolor/${size}x${size}"
    mkdir -p "$folder"
    rsvg-convert --width "$size" --height "$size" "$master" --output "$folder/weight-space-explorer.png"
done
echo "render-icons: wrote $(ls "$root"/resources/icons/app/hicolor | wc -l) sizes"
