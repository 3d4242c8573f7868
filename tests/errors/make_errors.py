#!/usr/bin/python3
"""Writes the broken files of tests/errors/ (checked in; run again only to add cases).

Usage: make_errors.py VALID_ZOO.h5 VALID_WORKSPACE.h5 VALID_EMBEDDINGS.h5

Checkpoints are written as raw zip archives and pickle opcodes (no torch needed); HDF5 files are
valid files of ours (made by `wse`) with one thing broken by h5py. Each file's expected message is in
expected.tsv beside this script.
"""
import json
import os
import shutil
import struct
import sys
import zipfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def out(kind, name):
    folder = os.path.join(HERE, kind)
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, name)


# ---- pickles, opcode by opcode (protocol 2)
PROTO, STOP, MARK, EMPTY_DICT, SETITEMS, SETITEM = b"\x80\x02", b".", b"(", b"}", b"u", b"s"
TUPLE, TUPLE1, TUPLE2, EMPTY_TUPLE, REDUCE, NONE = b"t", b"\x85", b"\x86", b")", b"R", b"N"
EMPTY_LIST, APPEND, BINGET, BINPUT = b"]", b"a", b"h", b"q"


def text(s):
    data = s.encode() if isinstance(s, str) else s
    return b"X" + struct.pack("<I", len(data)) + data


def integer(i):
    if -(1 << 31) <= i < (1 << 31):
        return b"J" + struct.pack("<i", i)
    data = i.to_bytes((i.bit_length() + 8) // 8, "little", signed=True)
    return b"\x8a" + bytes([len(data)]) + data  # LONG1


def glob(module, name):
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def tensor(key, shape, numel, offset=0, stride=None):
    """torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)."""
    if stride is None:
        stride = []
        step = 1
        for size in reversed(shape):
            stride.insert(0, step)
            step *= max(size, 1)
    storage = (b"(" + text("storage") + glob("torch", "FloatStorage") + text(key) + text("cpu") +
               integer(numel) + TUPLE + b"Q")  # BINPERSID
    return (glob("torch._utils", "_rebuild_tensor_v2") + MARK + storage + integer(offset) +
            MARK + b"".join(integer(s) for s in shape) + TUPLE + MARK + b"".join(integer(s) for s in stride) + TUPLE +
            b"\x89" + glob("collections", "OrderedDict") + EMPTY_TUPLE + REDUCE + TUPLE + REDUCE)


def state_dict(entries):
    return PROTO + glob("collections", "OrderedDict") + EMPTY_TUPLE + REDUCE + MARK + b"".join(
        text(k) + v for k, v in entries) + SETITEMS + STOP


def checkpoint(path, pickle, storages=None, extra=None):
    storages = storages or {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", pickle)
        z.writestr("archive/version", "3\n")
        for key, data in storages.items():
            z.writestr("archive/data/" + key, data)
        for name, data in (extra or []):
            z.writestr(name, data)


def weights(n):
    return struct.pack("<%df" % n, *([0.5] * n))


def make_checkpoints():
    good = state_dict([("w", tensor("0", [2, 3], 6))])
    # Two data.pkl entries: PyTorch loads the last, which runs os.system.
    path = out("checkpoint", "duplicate-data-pkl.pt")
    evil = PROTO + glob("posix", "system") + text("echo owned") + TUPLE1 + REDUCE + STOP
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        checkpoint(path, good, {"0": weights(6)}, extra=[("archive/data.pkl", evil)])
    # Only allowed globals, chained through getattr to a function's __globals__ (under "optimizer").
    reach = (glob("builtins", "getattr") + glob("builtins", "getattr") + glob("torch.optim.adamw", "AdamW") +
             text("__init__") + TUPLE2 + REDUCE + text("__globals__") + TUPLE2 + REDUCE)
    pickle = PROTO + EMPTY_DICT + MARK + text("model") + state_dict([("w", tensor("0", [2, 3], 6))])[2:-1] + \
        text("optimizer") + reach + SETITEMS + STOP
    checkpoint(out("checkpoint", "getattr-globals.pt"), pickle, {"0": weights(6)})
    # Calling what getattr fetched.
    call = (glob("builtins", "getattr") + glob("torch.optim.adamw", "AdamW") + text("step") + TUPLE2 + REDUCE +
            EMPTY_TUPLE + REDUCE)
    pickle = PROTO + EMPTY_DICT + MARK + text("model") + state_dict([])[2:-1] + text("optimizer") + call + \
        SETITEMS + STOP
    checkpoint(out("checkpoint", "getattr-call.pt"), pickle)
    # A plain code-running global.
    checkpoint(out("checkpoint", "system-global.pt"), evil)
    # Truncated archive.
    full = out("checkpoint", "truncated.pt")
    checkpoint(full, good, {"0": weights(6)})
    data = open(full, "rb").read()
    open(full, "wb").write(data[: len(data) // 2])
    # A tensor larger than its storage, one whose element count overflows, a negative offset.
    checkpoint(out("checkpoint", "shape-beyond-storage.pt"),
               state_dict([("w", tensor("0", [1 << 20, 1 << 20], 6))]), {"0": weights(6)})
    checkpoint(out("checkpoint", "shape-overflow.pt"),
               state_dict([("w", tensor("0", [1 << 32, 1 << 32, 16], 0))]), {"0": b""})
    checkpoint(out("checkpoint", "negative-offset.pt"),
               state_dict([("w", tensor("0", [2, 3], 6, offset=-4))]), {"0": weights(6)})
    # A storage that declares far more elements than its entry holds (a small file asking for 4 GB).
    checkpoint(out("checkpoint", "storage-declares-4gb.pt"),
               state_dict([("w", tensor("0", [1 << 30], 1 << 30))]), {"0": weights(6)})
    # A view that repeats one stored element 2^30 times (stride 0): 521 bytes asking for 4.3 GB.
    checkpoint(out("checkpoint", "stride-zero-4gb.pt"),
               state_dict([("w", tensor("0", [1 << 30], 1, stride=[0]))]), {"0": weights(1)})
    # A key that is not UTF-8.
    checkpoint(out("checkpoint", "key-not-utf8.pt"),
               state_dict([(b"w\xff\xfe", tensor("0", [2, 3], 6))]), {"0": weights(6)})
    # A memo index that was never stored.
    checkpoint(out("checkpoint", "bad-memo-index.pt"), PROTO + BINGET + b"\x07" + STOP)
    # Lists nested 100,000 deep.
    checkpoint(out("checkpoint", "deep-nesting.pt"), PROTO + EMPTY_LIST * 100000 + APPEND * 99999 + STOP)
    # The storage entry is missing.
    checkpoint(out("checkpoint", "missing-storage.pt"), good)
    # Not a checkpoint at all.
    open(out("checkpoint", "text-file.pt"), "w").write("this is a text file\n")
    open(out("checkpoint", "empty.pt"), "wb").close()


def mutate(source, kind, name, change):
    path = out(kind, name)
    shutil.copy(source, path)
    with h5py.File(path, "r+") as f:
        change(f)


def replace(f, name, data):
    del f[name]
    f[name] = data


def resize_weights(f, rows):
    """A chunked weight matrix that declares `rows` rows: a few KB on disk asking for terabytes."""
    data = f["architectures/cnn-s/weights"]
    data.resize(rows, axis=0)


def make_zoos(zoo):
    open(out("zoo", "not-hdf5.h5"), "w").write("not an HDF5 file\n")
    with h5py.File(out("zoo", "no-format.h5"), "w") as f:
        f["x"] = np.zeros(3)
    mutate(zoo, "zoo", "newer-version.h5", lambda f: f.attrs.modify("format_version", 99))
    mutate(zoo, "zoo", "architecture-order-empty.h5", lambda f: f["architectures"].attrs.modify("order", "[]"))
    mutate(zoo, "zoo", "architecture-order-not-json.h5",
           lambda f: f["architectures"].attrs.modify("order", "cnn-s"))
    mutate(zoo, "zoo", "architecture-missing.h5",
           lambda f: f["architectures"].attrs.modify("order", json.dumps(["cnn-s", "mlp"])))
    rows = lambda f: f["checkpoints/weight_row"][()]
    mutate(zoo, "zoo", "weight-row-beyond.h5",
           lambda f: replace(f, "checkpoints/weight_row", np.where(np.arange(len(rows(f))) == len(rows(f)) - 1, 9999.0, rows(f))))
    mutate(zoo, "zoo", "weight-row-negative.h5",
           lambda f: replace(f, "checkpoints/weight_row", np.where(np.arange(len(rows(f))) == 0, -1.0, rows(f))))
    mutate(zoo, "zoo", "weight-row-fraction.h5",
           lambda f: replace(f, "checkpoints/weight_row", rows(f) + 0.5))
    mutate(zoo, "zoo", "model-index-beyond.h5",
           lambda f: replace(f, "checkpoints/model", np.where(np.arange(len(rows(f))) == 1, 1e9, f["checkpoints/model"][()])))
    mutate(zoo, "zoo", "weights-wrong-width.h5",
           lambda f: replace(f, "architectures/cnn-s/weights", np.zeros((len(rows(f)), 7), np.float32)))
    mutate(zoo, "zoo", "weights-one-dimensional.h5",
           lambda f: replace(f, "architectures/cnn-s/weights", np.zeros(10, np.float32)))
    mutate(zoo, "zoo", "checkpoints-missing.h5", lambda f: f.__delitem__("checkpoints"))
    mutate(zoo, "zoo", "column-length-mismatch.h5",
           lambda f: replace(f, "checkpoints/epoch", np.zeros(3)))
    mutate(zoo, "zoo", "column-order-wrong.h5",
           lambda f: f["checkpoints"].attrs.modify("column_order", json.dumps(["epoch", "no_such_column"])))
    mutate(zoo, "zoo", "tensors-not-json.h5",
           lambda f: f["architectures/cnn-s"].attrs.modify("tensors", "{not json"))
    mutate(zoo, "zoo", "tensors-huge-shape.h5",
           lambda f: f["architectures/cnn-s"].attrs.modify("tensors", json.dumps(
               [{"key": "w", "shape": [1 << 31, 1 << 31]}])))
    mutate(zoo, "zoo", "weights-declares-terabytes.h5", lambda f: resize_weights(f, 1 << 30))


def make_workspaces(workspace):
    open(out("workspace", "not-hdf5.h5"), "w").write("plain text\n")
    # One flipped byte in the metadata (offset 2167 of the workspace this corpus was made from) that
    # makes HDF5 1.10 itself crash: the readers try files in a child process first.
    data = bytearray(open(workspace, "rb").read())
    data[2167] ^= 0xFF
    open(out("workspace", "flipped-byte-crashes-hdf5.h5"), "wb").write(data)
    mutate(workspace, "workspace", "newer-version.h5", lambda f: f.attrs.modify("format_version", 99))
    mutate(workspace, "workspace", "maps-count-huge.h5", lambda f: f["maps"].attrs.modify("count", 1 << 40))
    mutate(workspace, "workspace", "map-missing.h5", lambda f: f["maps"].attrs.modify("count", 5))
    mutate(workspace, "workspace", "coordinates-wrong-rows.h5",
           lambda f: replace(f, "maps/0/coordinates", np.zeros((3, 3), np.float32)))
    mutate(workspace, "workspace", "coordinates-not-matrix.h5",
           lambda f: replace(f, "maps/0/coordinates", np.zeros(9, np.float32)))


def make_embeddings(embeddings):
    mutate(embeddings, "embeddings", "rows-mismatch.h5",
           lambda f: replace(f, "embeddings", np.zeros((3, 8), np.float32)))
    mutate(embeddings, "embeddings", "not-matrix.h5", lambda f: replace(f, "embeddings", np.zeros(8, np.float32)))
    mutate(embeddings, "embeddings", "missing-dataset.h5", lambda f: f.__delitem__("embeddings"))
    mutate(embeddings, "embeddings", "wrong-format.h5", lambda f: f.attrs.modify("format", "something else"))


def make_second_pass(zoo, workspace):
    """Cases the HDF5 fuzzers (tests/fuzz/fuzz_hdf5.cpp) found: a list where one value belongs (read
    into one value, it overran the reader's stack), a column of the wrong kind, millions of declared
    chunks (a stall), a workspace given as a zoo."""
    mutate(zoo, "zoo", "format-version-list.h5",
           lambda f: f.attrs.__setitem__("format_version", np.array([1, 1, 1], np.int64)))
    mutate(zoo, "zoo", "name-list.h5", lambda f: f.attrs.__setitem__("name", np.array(["a", "b"], dtype=h5py.string_dtype())))
    mutate(zoo, "zoo", "architecture-column-numbers.h5",
           lambda f: replace(f, "models/architecture", np.zeros(len(f["models/architecture"]))))

    def tiny_chunks(f):
        del f["architectures/cnn-s/weights"]
        f.create_dataset("architectures/cnn-s/weights", shape=(4096, 2464), maxshape=(None, 2464),
                         chunks=(1, 1), dtype=np.float32)
    mutate(zoo, "zoo", "weights-million-chunks.h5", tiny_chunks)
    shutil.copy(workspace, out("zoo", "workspace-given.h5"))
    mutate(workspace, "workspace", "map-settings-not-json.h5", lambda f: f["maps/0"].attrs.modify("settings", "{\"dims\":"))
    mutate(workspace, "workspace", "map-seed-huge.h5",
           lambda f: f["maps/0"].attrs.modify("settings", json.dumps({"method": "pca", "dims": 3, "seed": 1e300})))


def make_configurations():
    files = {
        "sane-list.json": "[1, 2]", "sane-null.json": "null", "sane-wrong-type.json": '{"epochs": "ten"}',
        "sane-fraction.json": '{"batch_size": 2.5}', "sane-unknown-key.json": '{"epoch": 3}',
        "sane-syntax.json": '{"epochs": 3,', "sane-deep.json": "{\"a\": " + "[" * 5000 + "]" * 5000 + "}",
        "zoo-models-huge.json": '{"search": "random", "models": 2000000000}',
        "zoo-grid-huge.json": json.dumps({"seeds_per_config": 100000, "learning_rates": [0.1] * 100,
                                          "inits": ["uniform"] * 200}),
        "zoo-list-of-wrong-type.json": '{"learning_rates": [0.1, "fast"]}',
        "zoo-not-object.json": '"zoo"',
        "sample-count-text.json": '{"count": "many"}', "sample-count-huge.json": '{"count": 100000000000}',
    }
    for name, content in files.items():
        open(out("config", name), "w").write(content)
    open(out("config", "sane-not-utf8.json"), "wb").write(b'{"split": "\xff\xfe"}')


def make_filters():
    files = {
        "deep-parentheses.txt": "(" * 1000 + "epoch > 1" + ")" * 1000,
        "not-chain.txt": "!" * 1000 + "epoch > 1",
        "unterminated.txt": 'activation == "relu',
        "single-equals.txt": "epoch = 3",
    }
    for name, content in files.items():
        open(out("filter", name), "w").write(content)


if __name__ == "__main__":
    zoo, workspace, embeddings = sys.argv[1:4]
    make_checkpoints()
    make_zoos(zoo)
    make_workspaces(workspace)
    make_embeddings(embeddings)
    make_second_pass(zoo, workspace)
    make_configurations()
    make_filters()
