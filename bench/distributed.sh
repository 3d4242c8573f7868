#!/usr/bin/env bash
# Throughput of wse at 1 and 2 processes under torchrun (Gloo), on this machine: zoo training
# (populations per process), SANE training (data-parallel) and embedding (a block per process).
# Each is run REPEAT times (default 3) per process count; prints the median seconds and the ratio
# 1 process / 2 processes (above 1: two are faster). On a machine with as many cores as processes
# the two processes share the cores one process used: expect about 1x there; the gain comes with
# more cores than one process keeps busy, and with one GPU per process.
# Usage: bench/distributed.sh WSE [REPEAT]
set -euo pipefail
wse="$1"
repeat="${2:-3}"
python=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
port() { $python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
run() { # PROCESSES OUTPUT COMMAND...: seconds of one run
    local n=$1 out=$2; shift 2
    rm -rf "$out"
    local start end
    start=$(date +%s.%N)
    if [ "$n" = 1 ]; then
        "$wse" "$@" -o "$out" > /dev/null 2>&1
    else
        $python -m torch.distributed.run --nproc_per_node "$n" --master_addr 127.0.0.1 --master_port "$(port)" \
            --monitor_interval 0.1 --redirects 1 --tee 1 --log_dir "$work/logs" --no_python "$wse" "$@" -o "$out" > /dev/null 2>&1
    fi
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
bench() { # NAME COMMAND...
    local name=$1; shift
    local one two
    one=$(for _ in $(seq "$repeat"); do run 1 "$work/out1" "$@"; done | median)
    two=$(for _ in $(seq "$repeat"); do run 2 "$work/out2" "$@"; done | median)
    printf '%-10s 1 process %7.2f s   2 processes %7.2f s   ratio %.2fx\n' "$name" "$one" "$two" "$(echo "$one / $two" | bc -l)"
}
"$wse" zoo train --dataset fashion-mnist --train-limit 5000 --test-limit 1000 --init uniform kaiming_uniform \
    --activation tanh relu --seed 1 2 3 4 --epochs 3 --population 4 --device cpu -o "$work/zoo.h5" > /dev/null 2>&1
echo "$(nproc) cores, $repeat runs each (median)"
bench zoo zoo train --dataset fashion-mnist --train-limit 5000 --test-limit 1000 --init uniform kaiming_uniform \
    --activation tanh relu --seed 1 2 3 4 --epochs 3 --population 4 --device cpu
bench sane sane train --zoo "$work/zoo.h5" --preset tiny --set epochs=30 --set token_size=64 --set window_size=8 --device cpu
"$wse" sane train --zoo "$work/zoo.h5" --preset tiny --set epochs=1 --set token_size=64 --set window_size=8 --device cpu \
    -o "$work/encoder" > /dev/null 2>&1
bench embed embed --sane "$work/encoder/encoder.pt" --zoo "$work/zoo.h5" --device cpu
