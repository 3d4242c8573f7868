#!/usr/bin/env bash
# The wse CLI as a user scripts it: train a tiny zoo, inspect it as text and JSON, bad input.
set -euo pipefail
wse="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$wse" --help | grep -q "zoo" || fail "--help does not list the zoo command"

"$wse" zoo train -o "$work/z.h5" --init kaiming_uniform normal --activation relu --seed 1 2 3 \
    --epochs 1 --train-limit 200 --test-limit 200 --device cpu 2> "$work/progress.txt"
grep -q "epoch 1/1" "$work/progress.txt" || fail "no progress line for epoch 1"
grep -q "wrote $work/z.h5 (6 models, 12 checkpoints)" "$work/progress.txt" || fail "no summary line"

"$wse" zoo info "$work/z.h5" > "$work/info.txt"
grep -q "models: 6, checkpoints: 12" "$work/info.txt" || fail "zoo info counts"
grep -q "init: kaiming_uniform (3) normal (3)" "$work/info.txt" || fail "zoo info hyper-parameters"

"$wse" zoo info --json "$work/z.h5" > "$work/info.json"
/usr/bin/python3 - "$work/info.json" <<'PY' || fail "zoo info --json"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["models"] == 6 and j["checkpoints"] == 12, j
assert j["architectures"][0]["parameters"] == 2464
assert 0.0 <= j["metrics"]["test_acc"]["min"] <= j["metrics"]["test_acc"]["max"] <= 1.0
assert j["hyperparameters"]["seed"] == {"1": 2, "2": 2, "3": 2}
PY

if "$wse" zoo info "$work/none.h5" 2> "$work/err.txt"; then fail "missing file accepted"; fi
grep -q "wse: error: $work/none.h5: no such file" "$work/err.txt" || fail "missing-file message: $(cat "$work/err.txt")"
if "$wse" zoo train -o "$work/x.h5" --init he 2> "$work/err.txt"; then fail "unknown init accepted"; fi
grep -q "unknown init 'he'" "$work/err.txt" || fail "unknown-init message: $(cat "$work/err.txt")"
echo "cli: all checks passed"
