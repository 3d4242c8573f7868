#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, with AddressSanitizer and UBSan) for the checkpoint reader,
# the filter language and the three HDF5 readers (zoo, workspace, embeddings), and runs each for a
# bounded time: the checkpoint targets on a seed corpus of real files made by python3-torch and the
# broken files of tests/errors/, the filter on example filters, the HDF5 readers on edits of valid
# files written by our own writers (tests/fuzz/hdf5mutator.h).
# Any crash, leak, sanitizer report, escaping raw exception or input slower than 20 s fails the script. usage: scripts/fuzz.sh [SECONDS_PER_TARGET]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"
out="${WSE_FUZZ_DIR:-$root/build-fuzz}"
mkdir -p "$out"
command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ is missing (apt-get install clang)" >&2; exit 1; }

# Each source is compiled once into $out/obj (again only when it, or any header, is newer), then
# each target links the objects it needs.
common=(error atomicfile filekind numbertext utf8 text jsonread log isolatedread crashpoint textfile parallel)
checkpoint_sources=("$root"/core/checkpoint/*.cpp)
hdf5_sources=("$root"/core/zoo/{hdf5io,hdf5output,table,architecture,zoo,zoostore}.cpp
              "$root"/core/workspace/workspace.cpp "$root"/core/sane/embeddings.cpp
              "$root"/core/analysis/maprecord.cpp "$root"/core/formats/fileformat.cpp "$root"/core/checkpoint/safetensors.cpp "$root"/core/checkpoint/statedict.cpp "$root"/core/jobs/progress.cpp "$root"/tests/fuzz/hdf5mutator.cpp)
for name in "${common[@]}"; do
    checkpoint_sources+=("$root/core/common/$name.cpp")
    hdf5_sources+=("$root/core/common/$name.cpp")
done
filter_sources=("$root/core/analysis/filterexpression.cpp" "$root/core/zoo/table.cpp" "$root/core/common/error.cpp")
flags=(-std=c++17 -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined
       -fno-sanitize-recover=undefined -I "$root/core" -I /usr/include/hdf5/serial)
link=(-fsanitize=fuzzer,address,undefined -L/usr/lib/x86_64-linux-gnu/hdf5/serial)
newest_header=$(find "$root/core" "$root/tests/fuzz" -name '*.h' -printf '%T@ %p\n' | sort -n | tail -1 | cut -d' ' -f2)
mkdir -p "$out/obj"
object() { # source [defines...] -> prints the object's path, compiling it when stale
    local source=$1; shift
    local name; name=$(echo "${source#"$root"/}$*" | tr '/ =' '___')
    local target="$out/obj/${name%.cpp}.o"
    if [[ ! -f $target || $source -nt $target || $newest_header -nt $target ]]; then
        clang++ "${flags[@]}" "$@" -c "$source" -o "$target" >&2
    fi
    echo "$target"
}
build_target() { # name main-source defines -- sources... -- libraries...
    local name=$1 main=$2 defines=$3; shift 3
    local objects=() libraries=() part=sources
    for arg in "$@"; do
        if [[ $arg == -- ]]; then part=libraries; continue; fi
        if [[ $part == sources ]]; then objects+=("$(object "$arg")"); else libraries+=("$arg"); fi
    done
    objects+=("$(object "$main" $defines)")
    local binary="$out/fuzz_$name"
    if [[ ! -x $binary || -n $(find "${objects[@]}" -newer "$binary") ]]; then
        echo "fuzz.sh: linking fuzz_$name"
        clang++ "${link[@]}" "${objects[@]}" "${libraries[@]}" -o "$binary"
    fi
}
echo "fuzz.sh: compiling (first time: a few minutes)"
for target in checkpoint pickle zip; do
    build_target "$target" "$root/tests/fuzz/fuzz_$target.cpp" "" "${checkpoint_sources[@]}" -- -lz
done
build_target filter "$root/tests/fuzz/fuzz_filter.cpp" "" "${filter_sources[@]}" --
formats=(zoo workspace embeddings)
for index in 0 1 2; do
    build_target "${formats[$index]}" "$root/tests/fuzz/fuzz_hdf5.cpp" "-DWSE_FUZZ_FORMAT=$index" \
        "${hdf5_sources[@]}" -- -lhdf5_cpp -lhdf5 -lz -lpthread
done
targets=(checkpoint pickle zip filter zoo workspace embeddings)

# Seed corpus: real checkpoints (good, malicious, damaged), their data.pkl streams, small zips and
# safetensors files.
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
# safetensors files, which the checkpoint reader tells apart by content: one as our writer lays it
# out, one with metadata and the reference writer's name order.
import json, struct
for name, metadata, order in (("ours", None, ["b.weight", "a.bias"]), ("sorted", {"format": "pt"}, ["a.bias", "b.weight"])):
    header, blob = ({"__metadata__": metadata} if metadata else {}), b""
    for key in order:
        data = struct.pack("<4f", 1.0, -2.0, 0.5, 3.0) if key == "b.weight" else struct.pack("<2q", 7, -1)
        header[key] = {"dtype": "F32" if key == "b.weight" else "I64", "shape": [2, 2] if key == "b.weight" else [2],
                       "data_offsets": [len(blob), len(blob) + len(data)]}
        blob += data
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    open(os.path.join(corpus, "checkpoint", name + ".safetensors"), "wb").write(struct.pack("<Q", len(text)) + text + blob)
PY
fi

status=0
for target in "${targets[@]}"; do
    mkdir -p "$out/corpus/$target" "$out/seeds/$target"
    # Inputs that once failed (tests/fuzz/regressions/TARGET) are run first, every time.
    regressions=()
    [[ -d $root/tests/fuzz/regressions/$target ]] && regressions=("$root/tests/fuzz/regressions/$target")
    echo "fuzz.sh: running fuzz_$target for ${seconds}s"
    if ! (cd "$out" && ASAN_OPTIONS=detect_leaks=1 "./fuzz_$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 \
            -max_len=65536 -print_final_stats=1 "corpus/$target" "seeds/$target" "${regressions[@]}" > "fuzz_$target.log" 2>&1); then
        echo "fuzz.sh: fuzz_$target FAILED; the crashing input is in $out (crash-*), log: $out/fuzz_$target.log" >&2
        tail -40 "$out/fuzz_$target.log" >&2
        status=1
    else
        grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$out/fuzz_$target.log" | tr '\n' ' '
        echo
    fi
done
exit $status
