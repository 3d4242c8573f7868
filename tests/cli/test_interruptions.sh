#!/usr/bin/env bash
# Nothing is lost, whatever stops a command: a full disk (a file-size limit at many levels) leaves the
# previous output valid and untouched and is reported with the file's name; SIGKILL at random moments
# and right after each state save leaves a valid file, and rerunning the command ends exactly where an
# uninterrupted run ends. Bounded to a few minutes on 2 cores. Prints the number of kills survived.
set -euo pipefail
wse="$1"
kills_per_command="${WSE_SOAK_KILLS:-12}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
survived=0

# Runs the command under a file-size limit of $1 KiB (wse ignores SIGXFSZ, so the write fails with
# EFBIG as on a full disk). Prints the exit status; stderr goes through a pipe (the limit would stop
# it reaching a file) to $work/err.txt.
limited() {
    local kib=$1; shift
    set +e
    (ulimit -f "$kib"; "$@" 2>&1 > /dev/null) | cat > "$work/err.txt"
    local rc=${PIPESTATUS[0]}
    set -e
    echo "$rc"
}

# Same datasets and values (attributes such as the write time may differ).
same_h5() {
    /usr/bin/python3 - "$1" "$2" <<'PY'
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
names = []
a.visit(names.append)
other = []
b.visit(other.append)
assert sorted(names) == sorted(other), (sorted(set(names) ^ set(other)))
for name in names:
    if isinstance(a[name], h5py.Dataset):
        x, y = a[name][()], b[name][()]
        if name.endswith("seconds") or name.endswith("written"):
            continue
        numeric = np.asarray(x).dtype.kind in "fc"
        assert np.array_equal(x, y, equal_nan=numeric), name
PY
}

# The SANE log without its timings, for exact comparison.
sane_losses() { /usr/bin/python3 -c "import json,sys; print([{k: v for k, v in e.items() if k != 'seconds'} for e in json.load(open(sys.argv[1]))])" "$1"; }

# A full-disk sweep: $1 is the output the command rewrites, $2 a command that validates a file of its kind,
# the rest the command. At every level the command either succeeds or fails with a message naming the
# output, leaving the previous file byte for byte; never a crash.
sweep_full_disk() {
    local output=$1 check=$2; shift 2
    cp "$output" "$work/before"
    local size=$(( $(stat -c %s "$output") / 1024 + 64 )) failures=0
    for step in 0 1 2 3 4 5 6 7 8 10 12 16; do
        cp "$work/before" "$output"
        local rc
        rc=$(limited $(( size * step / 8 )) "$@")
        case $rc in
            0) $check "$output" > /dev/null 2>&1 || fail "$* at $((size * step / 8)) KiB: the new output is not valid" ;;
            1) failures=$((failures + 1))
               grep -q "$output: write failed" "$work/err.txt" || fail "$*: message without the file: $(cat "$work/err.txt")"
               grep -q "left unchanged" "$work/err.txt" || fail "$*: message: $(cat "$work/err.txt")"
               cmp -s "$work/before" "$output" || fail "$* at $((size * step / 8)) KiB changed the previous file" ;;
            *) fail "$* at $((size * step / 8)) KiB ended with status $rc: $(tail -3 "$work/err.txt")" ;;
        esac
        ls "$(dirname "$output")" | grep -q '\.tmp-' && fail "$*: temporary files left beside $output"
    done
    ((failures > 0)) || fail "$*: no level of the sweep was small enough to fail"
    echo "full disk: $* — $failures of 12 levels refused, previous file intact"
}

# Sleeps a random time from 30 ms to $1 ms.
random_sleep() {
    local ms=$((RANDOM % ($1 - 30) + 30))
    sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
}

# Kills a command at random moments (up to $2 ms after its start) until a run finishes by itself or
# $kills_per_command kills were made, then finishes it: prints the kills.
kill_at_random() {
    local kills=0 seed=$1 longest=$2; shift 2
    RANDOM=$seed
    while ((kills < kills_per_command)); do
        "$@" > /dev/null 2>&1 &
        local pid=$!
        random_sleep "$longest"
        if kill -9 "$pid" 2> /dev/null; then
            wait "$pid" 2> /dev/null || true
            kills=$((kills + 1))
        else
            wait "$pid" || fail "$* failed on its own after $kills kills"
            break
        fi
    done
    "$@" > /dev/null 2> "$work/err.txt" || fail "$* did not finish after $kills kills: $(tail -3 "$work/err.txt")"
    echo "$kills"
}

zoo_train=("$wse" zoo train --init kaiming_uniform normal --activation relu gelu --seed 1 2 --epochs 3
           --train-limit 300 --test-limit 200 --device cpu)
"${zoo_train[@]}" -o "$work/zoo.h5" 2> /dev/null || fail "zoo train"
first_model=$(/usr/bin/python3 -c "import h5py,sys; print(h5py.File(sys.argv[1], 'r')['models/model_id'][0].decode())" "$work/zoo.h5")
"$wse" zoo export "$work/zoo.h5" --model "$first_model" --epoch 3 -o "$work/one.pt" 2> /dev/null || fail "zoo export"
sane_train=("$wse" sane train --zoo "$work/zoo.h5" --preset tiny --set epochs=40 --set token_size=64 --device cpu)
"${sane_train[@]}" -o "$work/sane-reference" 2> /dev/null || fail "sane train"
encoder="$work/sane-reference/encoder.pt"
"$wse" embed --sane "$encoder" --zoo "$work/zoo.h5" -o "$work/emb.h5" 2> /dev/null || fail "embed"
"$wse" project --embeddings "$work/emb.h5" --method pca -o "$work/ws.h5" > /dev/null 2>&1 || fail "project"
"$wse" sample --sane "$encoder" --zoo "$work/zoo.h5" --anchors 'activation == "relu"' -n 4 --keep 4 --device cpu -o "$work/samples.h5" > /dev/null 2>&1 || fail "sample"

# ---- a full disk never replaces a good file
zoo_ok() { "$wse" zoo info "$1"; }
ws_ok() { "$wse" workspace info "$1"; }
emb_ok() { "$wse" project --embeddings "$1" --method pca -o "$work/check.csv"; }
cp "$work/zoo.h5" "$work/grown.h5"
sweep_full_disk "$work/grown.h5" zoo_ok "$wse" zoo add "$work/grown.h5" "$work/one.pt" --meta origin=added
sweep_full_disk "$work/ws.h5" ws_ok "$wse" project --embeddings "$work/emb.h5" --method umap --set n_epochs=20 -o "$work/ws.h5"
sweep_full_disk "$work/samples.h5" zoo_ok "$wse" sample --sane "$encoder" --zoo "$work/zoo.h5" --anchors 'activation == "relu"' -n 8 --keep 8 --device cpu -o "$work/samples.h5"
sweep_full_disk "$work/emb.h5" emb_ok "$wse" embed --sane "$encoder" --zoo "$work/grown.h5" -o "$work/emb.h5"
# zoo train rewrites its output (with its training state) after every epoch: a full disk keeps the
# last good epoch, which resumes to the uninterrupted zoo.
resumed=0
for half in 1 2 3 4 5 6; do
    rm -f "$work/limited.h5"
    rc=$(limited $(( $(stat -c %s "$work/zoo.h5") * half / 2 / 1024 )) "${zoo_train[@]}" -o "$work/limited.h5")
    [[ $rc == 0 || $rc == 1 ]] || fail "zoo train on a full disk: status $rc: $(tail -2 "$work/err.txt")"
    [[ $rc == 0 || -f "$work/limited.h5" ]] || continue # the first epoch did not fit: nothing to keep
    [[ $rc == 0 ]] || grep -q "limited.h5: write failed" "$work/err.txt" || fail "zoo train full-disk message: $(cat "$work/err.txt")"
    "$wse" zoo info "$work/limited.h5" > /dev/null || fail "zoo train on a full disk left an invalid zoo"
    "${zoo_train[@]}" -o "$work/limited.h5" 2> /dev/null || fail "zoo train did not resume after a full disk"
    same_h5 "$work/zoo.h5" "$work/limited.h5" || fail "zoo train resumed after a full disk to another zoo"
    [[ $rc == 1 ]] && resumed=$((resumed + 1))
done
((resumed > 0)) || fail "zoo train: no level of the sweep stopped it part-way"
echo "full disk: zoo train stopped part-way at $resumed levels, kept its last epoch and resumed to the uninterrupted zoo"

# ---- kills right after each state save, then at random moments
for point in sane-state-saved sane-epoch-saved; do
    for n in 1 2 3; do
        rm -rf "$work/sane"
        if WSE_CRASH_AT=$point:$n "${sane_train[@]}" -o "$work/sane" > /dev/null 2>&1; then fail "$point:$n did not kill"; fi
        "${sane_train[@]}" -o "$work/sane" 2> /dev/null || fail "sane train did not resume after a kill at $point:$n"
        [[ $(sane_losses "$work/sane/log.json") == "$(sane_losses "$work/sane-reference/log.json")" ]] \
            || fail "sane train killed at $point:$n resumed to other losses: $(diff <(sane_losses "$work/sane/log.json" | tr '}' '\n') <(sane_losses "$work/sane-reference/log.json" | tr '}' '\n') | head -5)"
        cmp -s "$work/sane/encoder.pt" "$encoder" || fail "sane train killed at $point:$n resumed to another encoder"
        survived=$((survived + 1))
    done
done
rm -rf "$work/sane"
k=$(kill_at_random 11 900 "${sane_train[@]}" -o "$work/sane")
[[ $(sane_losses "$work/sane/log.json") == "$(sane_losses "$work/sane-reference/log.json")" ]] || fail "sane train: other losses after $k random kills"
cmp -s "$work/sane/encoder.pt" "$encoder" || fail "sane train: another encoder after $k random kills"
survived=$((survived + k))
echo "sane train: 6 kills after state saves and $k at random moments, each resumed to the uninterrupted run"

for n in 1 2 3; do
    rm -f "$work/again.h5"
    if WSE_CRASH_AT=zoo-epoch-saved:$n "${zoo_train[@]}" -o "$work/again.h5" > /dev/null 2>&1; then fail "zoo-epoch-saved:$n did not kill"; fi
    "$wse" zoo info "$work/again.h5" > /dev/null || fail "zoo train killed after saving epoch $n left no valid zoo"
    "${zoo_train[@]}" -o "$work/again.h5" 2> /dev/null || fail "zoo train did not resume after a kill at epoch $n"
    same_h5 "$work/zoo.h5" "$work/again.h5" || fail "zoo train killed after saving epoch $n resumed to another zoo"
    survived=$((survived + 1))
done
rm -f "$work/again.h5"
k=$(kill_at_random 12 1500 "${zoo_train[@]}" -o "$work/again.h5")
same_h5 "$work/zoo.h5" "$work/again.h5" || fail "zoo train: another zoo after $k random kills"
survived=$((survived + k))
echo "zoo train: 3 kills after saves and $k at random moments, each resumed to the uninterrupted zoo"

# A workspace being updated is, after any kill, either the previous one or the new one.
k=0
RANDOM=13
for ((i = 0; i < kills_per_command; ++i)); do
    cp "$work/ws.h5" "$work/ws-before.h5"
    "$wse" project --embeddings "$work/emb.h5" --method umap --set n_epochs=20 --name "map $i" -o "$work/ws.h5" > /dev/null 2>&1 &
    pid=$!
    random_sleep 600
    kill -9 "$pid" 2> /dev/null && k=$((k + 1))
    wait "$pid" 2> /dev/null || true
    "$wse" workspace info "$work/ws.h5" > /dev/null || fail "project killed: the workspace is not valid"
    cmp -s "$work/ws.h5" "$work/ws-before.h5" || "$wse" workspace info "$work/ws.h5" | grep -q "map $i" \
        || fail "project killed: the workspace is neither the previous nor the new one"
done
"$wse" project --embeddings "$work/emb.h5" --method pca --name final -o "$work/ws.h5" > /dev/null 2>&1 || fail "project after kills"
ls "$work" | grep -q 'ws\.h5\.tmp-' && fail "project: killed writers' temporary files were not removed"
survived=$((survived + k))
echo "project -o WS.h5: $k kills, the workspace always the previous or the new one"

echo "interruptions: $survived kills survived"
