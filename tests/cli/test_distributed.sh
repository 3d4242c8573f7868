#!/usr/bin/env bash
# wse under torchrun: two processes on 127.0.0.1 with PyTorch's Gloo. A zoo trained by two is
# bit-identical to one trained by one (and a rerun trains nothing); embeddings made and samples
# evaluated by two equal one's; SANE trained data-parallel by two follows one process's losses and weights; zoos grown
# apart merge, overlapping ones are refused; a process that cannot reach the store says where and
# how long it waited. Skips (77) without python3-torch or a wse built without Gloo.
set -euo pipefail
wse="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
python=/usr/bin/python3
$python -c 'import torch.distributed.run, h5py' 2>/dev/null || { echo "SKIP: python3-torch and python3-h5py are needed"; exit 77; }
"$wse" devices --json | $python -c 'import json, sys; sys.exit(0 if json.load(sys.stdin)["distributed"] else 1)' ||
    { echo "SKIP: this wse is built without Gloo (libgloo-dev)"; exit 77; }
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || { echo "SKIP: dataset-fashion-mnist is missing"; exit 77; }

free_port() { $python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# Two processes. --redirects 1 --tee 1: Debian's torchrun 1.13 fails on Python 3.11 with its
# default (0) (an enum change, fixed in PyTorch 2.0); stdout is teed, stderr goes through.
two() {
    OMP_NUM_THREADS=1 $python -m torch.distributed.run --nproc_per_node 2 --master_addr 127.0.0.1 \
        --master_port "$(free_port)" --monitor_interval 0.1 --redirects 1 --tee 1 --log_dir "$work/logs" --no_python "$wse" "$@"
}
one() { OMP_NUM_THREADS=1 "$wse" "$@"; }

# Every dataset of two HDF5 files holds the same values (NaN equal to NaN).
same_h5() {
    $python - "$1" "$2" "${3:-0}" <<'PY'
import sys, h5py, numpy as np
a, b, tolerance = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r"), float(sys.argv[3])
names, other = [], []
a.visit(names.append)
b.visit(other.append)
assert sorted(names) == sorted(other), sorted(set(names) ^ set(other))
for name in names:
    if isinstance(a[name], h5py.Dataset):
        x, y = a[name][()], b[name][()]
        assert x.shape == y.shape, (name, x.shape, y.shape)
        if x.dtype.kind == "f" and tolerance > 0:
            assert np.allclose(x, y, rtol=0, atol=tolerance, equal_nan=True), (name, np.nanmax(np.abs(x - y)))
        else:
            assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), name
PY
}

zoo_args=(--dataset fashion-mnist --train-limit 300 --test-limit 100 --init uniform kaiming_uniform
          --activation tanh relu --seed 1 2 3 --epochs 2 --population 3 --device cpu)
one zoo train "${zoo_args[@]}" -o "$work/one.h5" 2> "$work/err.txt" || { cat "$work/err.txt"; fail "one process"; }
two zoo train "${zoo_args[@]}" -o "$work/two.h5" > "$work/out.txt" 2>&1 || { cat "$work/out.txt"; fail "two processes"; }
grep -q "rank 1 of 2 (torchrun" "$work/out.txt" || fail "the second process did not say its rank"
same_h5 "$work/one.h5" "$work/two.h5" || fail "the zoo trained by two processes differs from one process's"
ls "$work"/two.h5.part-* 2> /dev/null && fail "the parts were left behind"
two zoo train "${zoo_args[@]}" -o "$work/two.h5" > "$work/out.txt" 2>&1 || fail "rerunning a finished sharded zoo"
same_h5 "$work/one.h5" "$work/two.h5" || fail "rerunning changed the zoo"
echo "zoo: two processes bit-identical to one"

# Zoos grown apart (job arrays): prefixes keep the ids apart; the same ids are refused.
# (--seed adds to the list: seeds 1-4, 16 models beside one.h5's 12.)
one zoo train "${zoo_args[@]}" --seed 4 --id-prefix b- -o "$work/b.h5" 2> /dev/null
one zoo merge "$work/one.h5" "$work/b.h5" -o "$work/merged.h5" 2> "$work/err.txt" || { cat "$work/err.txt"; fail "merge"; }
grep -q "28 models, 84 checkpoints from 2 zoos" "$work/err.txt" || { cat "$work/err.txt"; fail "merged counts"; }
if one zoo merge "$work/one.h5" "$work/two.h5" -o "$work/bad.h5" 2> "$work/err.txt"; then fail "overlapping zoos merged"; fi
grep -q "both hold model 'm00000'" "$work/err.txt" || { cat "$work/err.txt"; fail "the refusal does not name the model"; }
[ ! -e "$work/bad.h5" ] || fail "a refused merge wrote a file"
echo "merge: joined 2 zoos, refused an overlap"

# SANE data-parallel: the same global batch split over two processes (few steps: float
# differences grow with every Adam step, as between thread counts of one process).
sane_args=(--zoo "$work/merged.h5" --preset tiny --set epochs=2 --set dropout=0 --set batch_size=6 --set window_size=8
           --set token_size=64 --device cpu)
one sane train "${sane_args[@]}" -o "$work/sane-one" 2> "$work/err.txt" || { cat "$work/err.txt"; fail "SANE, one process"; }
two sane train "${sane_args[@]}" -o "$work/sane-two" > "$work/out.txt" 2>&1 || { cat "$work/out.txt"; fail "SANE, two processes"; }
$python - "$work/sane-one" "$work/sane-two" <<'PY' || fail "SANE trained by two processes is not one process's"
import json, sys, torch
one, two = (json.load(open(run + "/log.json")) for run in sys.argv[1:3])
assert len(one) == len(two) == 2, (len(one), len(two))
for a, b in zip(one, two):
    for key in ("loss", "loss_recon", "loss_contrast", "val_loss"):
        assert abs(a[key] - b[key]) <= 1e-5 * abs(a[key]), (a["epoch"], key, a[key], b[key])
wa, wb = (torch.load(run + "/encoder.pt")["model"] for run in sys.argv[1:3])
num = sum(float((wa[k].float() - wb[k].float()).pow(2).sum()) for k in wa)
den = sum(float(wa[k].float().pow(2).sum()) for k in wa)
assert (num / den) ** 0.5 < 1e-5, (num / den) ** 0.5
print("sane: losses within 1e-5, weights within %.1e (relative L2)" % ((num / den) ** 0.5))
PY

# Embeddings: each process a block, added up.
one embed --sane "$work/sane-one/encoder.pt" --zoo "$work/merged.h5" -o "$work/e1.h5" 2> /dev/null
two embed --sane "$work/sane-one/encoder.pt" --zoo "$work/merged.h5" -o "$work/e2.h5" > "$work/out.txt" 2>&1 ||
    { cat "$work/out.txt"; fail "embedding with two processes"; }
same_h5 "$work/e1.h5" "$work/e2.h5" 1e-6 || fail "embeddings of two processes differ from one's"
echo "embed: two processes equal one"

# As srun starts them: two processes with Slurm's variables (the first serves the store).
port=$(free_port)
for rank in 0 1; do
    SLURM_PROCID=$rank SLURM_NTASKS=2 SLURM_LOCALID=$rank SLURM_NTASKS_PER_NODE=2 SLURM_JOB_NODELIST=localhost \
        MASTER_PORT=$port OMP_NUM_THREADS=1 timeout 120 \
        "$wse" embed --sane "$work/sane-one/encoder.pt" --zoo "$work/merged.h5" -o "$work/e3.h5" 2> "$work/slurm-$rank.txt" &
done
wait || { cat "$work"/slurm-*.txt; fail "two processes as srun starts them"; }
grep -q "rank 1 of 2 (slurm, store localhost:$port)" "$work/slurm-1.txt" || { cat "$work/slurm-1.txt"; fail "the Slurm rank"; }
same_h5 "$work/e1.h5" "$work/e3.h5" 1e-6 || fail "embeddings of two Slurm processes differ from one's"
echo "srun: two processes with Slurm's variables equal one"

# Sampling: every process draws the same samples, each evaluates a block; the first writes the zoo.
sample_args=(--sane "$work/sane-one/encoder.pt" --zoo "$work/one.h5" --anchors 'activation == "tanh" && epoch == 2'
             -n 12 --keep 3 --seed 5 --device cpu)
one sample "${sample_args[@]}" -o "$work/s1.h5" > /dev/null 2> "$work/err.txt" || { cat "$work/err.txt"; fail "sampling, one process"; }
two sample "${sample_args[@]}" -o "$work/s2.h5" > "$work/out.txt" 2>&1 || { cat "$work/out.txt"; fail "sampling, two processes"; }
$python - "$work/s1.h5" "$work/s2.h5" <<'PY' || fail "the samples evaluated by two processes differ from one's"
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
assert np.array_equal(a["architectures/cnn-s/weights"][()], b["architectures/cnn-s/weights"][()])
for name in ("test_acc", "train_acc", "val_acc"):
    assert np.array_equal(a["checkpoints/" + name][()], b["checkpoints/" + name][()]), name
for name in ("test_loss", "train_loss"):
    assert np.allclose(a["checkpoints/" + name][()], b["checkpoints/" + name][()], rtol=1e-5), name
PY
echo "sample: two processes evaluate as one"

# A process that cannot reach the store says where and how long it waited, and stops.
port=$(free_port)
set +e
RANK=1 WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=$port WSE_RENDEZVOUS_TIMEOUT=2 timeout 60 \
    "$wse" zoo train "${zoo_args[@]}" -o "$work/never.h5" 2> "$work/err.txt"
rc=$?
set -e
[ "$rc" = 1 ] || { cat "$work/err.txt"; fail "an unreachable store: exit status $rc"; }
grep -q "rank 1 of 2 could not meet the others at the store 127.0.0.1:$port (MASTER_ADDR:MASTER_PORT) within 2 s" "$work/err.txt" ||
    { cat "$work/err.txt"; fail "the message does not name the store and the timeout"; }
echo "store: an unreachable store is named"
echo "PASS"
