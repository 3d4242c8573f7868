#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, with AddressSanitizer and UBSan) for the checkpoint reader and
# the filter language, and runs each for a bounded time on a seed corpus of real files made by
# python3-torch, the broken files of tests/errors/ and example filters.
# Any crash, leak or sanitizer report fails the script. usage: scripts/fuzz.sh [SECONDS_PER_TARGET]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"
out="${WSE_FUZZ_DIR:-$root/build-fuzz}"
mkdir -p "$out"
command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ is missing (apt-get install clang)" >&2; exit 1; }

sources=("$root"/core/checkpoint/*.cpp)
for name in error atomicfile filekind numbertext utf8; do
    sources+=("$root/core/common/$name.cpp")
done
filter_sources=("$root/core/analysis/filterexpression.cpp" "$root/core/zoo/table.cpp" "$root/core/common/error.cpp")
flags=(-std=c++17 -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
       -fno-sanitize-recover=undefined -I "$root/core")
targets=(checkpoint pickle zip filter)
for target in "${targets[@]}"; do
    target_sources=("${sources[@]}")
    [[ $target == filter ]] && target_sources=("${filter_sources[@]}")
    if [[ ! -x "$out/fuzz_$target" || -n $(find "${target_sources[@]}" "$root/tests/fuzz/fuzz_$target.cpp" -newer "$out/fuzz_$target") ]]; then
        echo "fuzz.sh: building fuzz_$target"
        clang++ "${flags[@]}" "$root/tests/fuzz/fuzz_$target.cpp" "${target_sources[@]}" -lz -o "$out/fuzz_$target"
    fi
done

# Seed corpus: real checkpoints (good, malicious, damaged), their data.pkl streams, and small zips.
corpus="$out/seeds"
if [[ ! -d "$corpus/filter" ]]; then
    rm -rf "$corpus"
    mkdir -p "$corpus"/{checkpoint,pickle,zip,files,filter}
    cp "$root"/tests/errors/checkpoint/*.pt "$corpus/files/"
    cp "$root"/tests/errors/filter/*.txt "$corpus/filter/"
    printf '%s' 'activation == "tanh" && test_acc > 0.7 && epoch in [1, 2]' > "$corpus/filter/typical.txt"
    printf '%s' '!(epoch < 2 || activation != "relu") and not test_acc >= 0.5' > "$corpus/filter/words.txt"
    /usr/bin/python3 "$root/tests/data/make_checkpoints.py" "$corpus/files" > /dev/null
    /usr/bin/python3 - "$corpus" <<'PY'
import os, sys, zipfile, shutil
corpus = sys.argv[1]
for name in sorted(os.listdir(os.path.join(corpus, "files"))):
    path = os.path.join(corpus, "files", name)
    if not name.endswith(".pt"):
        continue
    shutil.copy(path, os.path.join(corpus, "checkpoint", name))
    shutil.copy(path, os.path.join(corpus, "zip", name))
    try:
        with zipfile.ZipFile(path) as z:
            for entry in z.namelist():
                if entry.endswith("data.pkl"):
                    open(os.path.join(corpus, "pickle", name + ".pkl"), "wb").write(z.read(entry))
    except zipfile.BadZipFile:
        pass
PY
fi

status=0
for target in "${targets[@]}"; do
    mkdir -p "$out/corpus/$target"
    echo "fuzz.sh: running fuzz_$target for ${seconds}s"
    if ! (cd "$out" && ASAN_OPTIONS=detect_leaks=1 "./fuzz_$target" -max_total_time="$seconds" -rss_limit_mb=2048 \
            -max_len=65536 -print_final_stats=1 "corpus/$target" "seeds/$target" > "fuzz_$target.log" 2>&1); then
        echo "fuzz.sh: fuzz_$target FAILED; the crashing input is in $out (crash-*), log: $out/fuzz_$target.log" >&2
        tail -40 "$out/fuzz_$target.log" >&2
        status=1
    else
        grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$out/fuzz_$target.log" | tr '\n' ' '
        echo
    fi
done
exit $status
