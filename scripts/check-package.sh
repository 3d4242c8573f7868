#!/usr/bin/env bash
# The package as a user gets it: builds it (scripts/package.sh) unless given one, checks it with
# lintian, desktop-file-validate and appstreamcli, installs it with apt, runs the installed wse and
# wse-explorer from a fresh home folder (a tiny zoo grown, rendered under xvfb-run), removes it
# and checks that nothing it installed is left. Needs root or sudo (apt). Exit status 1 on any
# failure, with the reason.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fail() { echo "check-package: FAIL: $*" >&2; exit 1; }
step() { echo "== check-package: $*"; }
if [[ $(id -u) -eq 0 ]]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
    fail "needs root or sudo to install the package"; fi

deb="${1:-}"
if [[ -z "$deb" ]]; then
    deb="$("$root/scripts/package.sh" | tail -1)"
fi
[[ -f "$deb" ]] || fail "no package at '$deb'"
deb="$(realpath "$deb")"
name="$(dpkg-deb -f "$deb" Package)"
version="$(dpkg-deb -f "$deb" Version)"
step "$(basename "$deb"): $(du -h "$deb" | cut -f1), Depends: $(dpkg-deb -f "$deb" Depends)"

step "validators"
# Warnings and errors fail; the infos left are explained in packaging/README.md.
extract="$(mktemp -d)"
trap 'rm -rf "$extract" "${home:-}"' EXIT
lintian --fail-on error,warning --display-info "$deb" > "$extract/lintian.log" 2>&1 ||
    { cat "$extract/lintian.log" >&2; fail "lintian reports warnings or errors (above)"; }
grep -v 'root privileges' "$extract/lintian.log" || true
dpkg-deb -x "$deb" "$extract"
desktop-file-validate "$extract"/usr/share/applications/*.desktop || fail "desktop-file-validate"
appstreamcli validate --no-net "$extract"/usr/share/metainfo/*.metainfo.xml || fail "appstreamcli validate"

step "install with apt"
if dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q "install ok installed"; then
    "${sudo[@]}" apt-get purge -y -q "$name" > /dev/null
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get install -y -q --no-install-recommends "$deb" > "$extract/apt.log" 2>&1 ||
    { cat "$extract/apt.log" >&2; fail "apt-get install"; }
mapfile -t installed < <(dpkg -L "$name" | while read -r path; do [[ -f "$path" || -L "$path" ]] && echo "$path"; done)
echo "installed ${#installed[@]} files"
[[ -f /usr/share/mime/application/x-wse-workspace.xml ]] || fail "the workspace MIME type is not registered"
for page in wse wse-explorer; do
    [[ -f /usr/share/man/man1/$page.1.gz ]] || fail "no man page $page(1)"
    zcat /usr/share/man/man1/$page.1.gz | grep -q '^\.SH "\?OPTIONS' || fail "man page $page(1) lists no options"
done

step "run installed, from a fresh home folder, outside the source tree"
home="$(mktemp -d)"
cd "$home"
run() { env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 "$@"; }
run wse --version | grep -qx "wse $version (commit .*)" || fail "wse --version: $(run wse --version)"
run wse zoo train -o "$home/tiny.h5" --train-limit 200 --test-limit 100 --init kaiming_uniform normal \
    --epochs 1 --batch-size 20 > /dev/null 2> "$home/train.log" ||
    { tail -5 "$home/train.log" >&2; fail "installed wse could not grow a zoo"; }
run wse zoo info "$home/tiny.h5" | grep -q "models" || fail "wse zoo info of the grown zoo"
run xvfb-run -a -s "-screen 0 1280x800x24" wse-explorer "$home/tiny.h5" --screenshot "$home/tiny.png" \
    > "$home/explorer.log" 2>&1 || { cat "$home/explorer.log" >&2; fail "installed wse-explorer could not render"; }
[[ $(stat -c %s "$home/tiny.png") -gt 10000 ]] || fail "the rendered screenshot is nearly empty"
[[ -n "${WSE_PACKAGE_SCREENSHOT:-}" ]] && cp "$home/tiny.png" "$WSE_PACKAGE_SCREENSHOT"
# The start page's demo zoo lives in the user's data folder (making it takes minutes: a zoo put
# there stands in for it, and the explorer must find and open it there).
demo="$home/.local/share/weight-space-explorer/wse-explorer/demo/demo-zoo.h5"
mkdir -p "$(dirname "$demo")" && cp "$home/tiny.h5" "$demo"
run xvfb-run -a -s "-screen 0 1280x800x24" wse-explorer --demo --screenshot "$home/demo.png" \
    > "$home/explorer.log" 2>&1 || { cat "$home/explorer.log" >&2; fail "installed wse-explorer --demo did not open $demo"; }
[[ -s "$home/demo.png" ]] || fail "no screenshot of the demo zoo"
cd /

step "remove"
"${sudo[@]}" apt-get purge -y -q "$name" > "$extract/apt.log" 2>&1 || { cat "$extract/apt.log" >&2; fail "apt-get purge"; }
left=()
for path in "${installed[@]}"; do [[ -e "$path" || -L "$path" ]] && left+=("$path"); done
((${#left[@]} == 0)) || fail "left behind after purge: ${left[*]}"
for folder in /usr/share/weight-space-explorer /usr/share/doc/$name; do
    [[ ! -e "$folder" ]] || fail "left behind after purge: $folder"
done
[[ ! -f /usr/share/mime/application/x-wse-workspace.xml ]] || fail "the workspace MIME type is still registered"
step "passed: installed, ran, removed without a trace"
