#!/usr/bin/env bash
# Builds the Debian package weight-space-explorer_<version>_amd64.deb from the build folder
# ($WSE_BUILD_DIR, default build/; configured and built if needed, with man pages), into
# $WSE_PACKAGE_DIR (default: the build folder). Prints the package's path on the last line.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${WSE_BUILD_DIR:-$root/build}"
out="${WSE_PACKAGE_DIR:-$build}"
"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$build" -G Ninja -DWSE_MAN_PAGES=ON > /dev/null
cmake --build "$build"
mkdir -p "$out"
(cd "$build" && cpack -G DEB -B "$out/_CPack" > "$out/cpack.log") || { cat "$out/cpack.log" >&2; exit 1; }
deb="$(ls -t "$out"/_CPack/weight-space-explorer_*_amd64.deb | head -1)"
mv "$deb" "$out/"
echo "package: $(du -h "$out/$(basename "$deb")" | cut -f1)  $(dpkg-deb -f "$out/$(basename "$deb")" Depends)"
echo "$out/$(basename "$deb")"
