#!/usr/bin/env bash
# Every broken input gets exactly one line, "wse: error: <file>: <problem>", and exit status 1: no crash,
# no hang, no raw library text. The files of this folder are listed in expected.tsv with a text their
# message must contain; the command that reads each depends on its folder. Special files (a directory,
# a FIFO, a device as output) and outputs that are inputs are made here. Files: make_errors.py.
set -euo pipefail
wse=$(realpath "$1")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$here"
failures=0 checked=0

# The command that reads the file $1 as its folder says.
reader_of() {
    case $1 in
        checkpoint/*) echo "$wse checkpoint info $1" ;;
        zoo/*) echo "$wse zoo info $1" ;;
        workspace/*) echo "$wse workspace info $1" ;;
        embeddings/*) echo "$wse project --embeddings $1 --method pca -o $work/map.csv" ;;
        config/sane-*) echo "$wse sane train --zoo $work/none.h5 --config $1 -o $work/run" ;;
        config/zoo-*) echo "$wse zoo train --config $1 -o $work/zoo.h5" ;;
        config/sample-*) echo "$wse sample --config $1 -o $work/samples.h5" ;;
        filter/*) echo "$wse sample --sane $work/none.pt --zoo $work/none.h5 --anchors @$1 -o $work/samples.h5" ;;
        *) echo "no reader for $1" >&2; exit 2 ;;
    esac
}

# Runs a command (words; "@FILE" stands for FILE's content) and checks its message against $1.
expect_error() {
    local expected=$1 shown=$2; shift 2
    local words=() word
    for word in "$@"; do
        [[ $word == @* ]] && word=$(cat "${word#@}")
        words+=("$word")
    done
    local rc=0
    timeout -k 5 60 "${words[@]}" > /dev/null 2> "$work/err.txt" < /dev/null || rc=$?
    checked=$((checked + 1))
    local message lines problem=""
    message=$(cat "$work/err.txt")
    lines=$(grep -c . "$work/err.txt" || true)
    if [[ $rc == 124 ]]; then problem="hung (killed after 60 s)"
    elif [[ $rc != 1 ]]; then problem="exit status $rc"
    elif [[ $message != "wse: error: "* ]]; then problem="no 'wse: error:' line"
    elif [[ $message != *"$expected"* ]]; then problem="message lacks '$expected'"
    elif ((lines != 1)) && [[ $shown != filter/* ]]; then problem="$lines lines"
    elif grep -qE 'std::|bad_alloc|json\.exception|_M_range_check|H5[A-Z][a-z]+[0-9]? failed|what\(\)' "$work/err.txt"; then
        problem="raw library text"
    fi
    if [[ -n $problem ]]; then
        echo "FAIL $shown: $problem: $(head -c 400 "$work/err.txt")" >&2
        failures=$((failures + 1))
    fi
}

while IFS=$'\t' read -r file expected; do
    [[ -z $file || $file == \#* ]] && continue
    [[ -f $file ]] || { echo "FAIL $file: listed in expected.tsv but missing" >&2; failures=$((failures + 1)); continue; }
    read -ra command <<< "$(reader_of "$file")"
    expect_error "$expected" "$file" "${command[@]}"
done < expected.tsv

# Every file of the corpus is listed.
for file in */*; do
    [[ $file == *.py || $file == *.sh || $file == *.tsv ]] && continue
    grep -q "^$file	" expected.tsv || { echo "FAIL $file: not listed in expected.tsv" >&2; failures=$((failures + 1)); }
done

# Special files and outputs that are inputs, made here.
mkdir "$work/folder.pt"
mkfifo "$work/pipe.h5"
expect_error "it is a directory, not a file" "a directory as checkpoint" "$wse" checkpoint info "$work/folder.pt"
expect_error "it is a FIFO (named pipe), not a file" "a FIFO as zoo" "$wse" zoo info "$work/pipe.h5"
expect_error "it is a FIFO (named pipe), not a file" "a FIFO as configuration" "$wse" zoo train --config "$work/pipe.h5" -o "$work/z.h5"
expect_error "it is a directory, not a file" "a directory as workspace" "$wse" workspace info "$work/folder.pt"
cp checkpoint/text-file.pt "$work/zoo.h5"
expect_error "cannot write here: it is a device" "/dev/null as output" "$wse" zoo export "$work/zoo.h5" --model m --epoch 0 -o /dev/null
[[ -c /dev/null ]] || { echo "FAIL /dev/null was replaced" >&2; failures=$((failures + 1)); }
ln -s zoo.h5 "$work/link.h5"
expect_error "is the input" "output through a link to the input" "$wse" zoo export "$work/zoo.h5" --model m --epoch 0 -o "$work/link.h5"
expect_error "is the input" "sample over its zoo" "$wse" sample --sane "$work/none.pt" --zoo "$work/zoo.h5" -o "$work/zoo.h5"
expect_error "is the input" "embed over its zoo" "$wse" embed --sane "$work/none.pt" --zoo "$work/zoo.h5" -o "$work/zoo.h5"
expect_error "is the input" "project over its embeddings" "$wse" project --embeddings "$work/zoo.h5" --method pca -o "$work/zoo.h5"
expect_error "is the input" "tokenize over its checkpoint" "$wse" sane tokenize "$work/zoo.h5" -o "$work/link.h5"
expect_error "is the input" "decode over its zoo" "$wse" decode --sane "$work/none.pt" --zoo "$work/zoo.h5" --from m:0 -o "$work/zoo.h5"

echo "errors corpus: $checked inputs checked, $((checked - failures)) passed, $failures failed"
((failures == 0))
