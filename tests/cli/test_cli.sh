#!/usr/bin/env bash
# The wse CLI as a user scripts it: train a tiny zoo, inspect it as text and JSON, bad input.
set -euo pipefail
wse="$1"
data="$(cd "$(dirname "${BASH_SOURCE[0]}")/../data" && pwd)"
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

# wse info tells kinds apart by content, whatever the name; an export carries its provenance.
cp "$work/z.h5" "$work/renamed.bin"
"$wse" info "$work/renamed.bin" | head -1 | grep -q "renamed.bin: a zoo" || fail "wse info: a zoo by content"
if "$wse" info --kind workspace "$work/z.h5" 2> "$work/err.txt"; then fail "wse info --kind accepted a zoo as workspace"; fi
grep -q "z.h5: is a zoo, not a workspace" "$work/err.txt" || fail "wse info --kind message: $(cat "$work/err.txt")"
first=$(/usr/bin/python3 -c "import h5py,sys; v=h5py.File(sys.argv[1],'r')['models/model_id'][0]; print(v.decode() if isinstance(v, bytes) else v)" "$work/z.h5")
"$wse" zoo export "$work/z.h5" --model "$first" --epoch 1 --provenance -o "$work/one.pt" 2> /dev/null
"$wse" info "$work/one.pt" | head -1 | grep -q "a PyTorch checkpoint" || fail "wse info: an exported checkpoint"
/usr/bin/python3 - "$work/one.pt.json" "$first" <<'PY' || fail "zoo export --provenance sidecar"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["model_id"] == sys.argv[2] and j["epoch"] == 1, j
assert 0.0 <= j["values"]["test_acc"] <= 1.0 and j["values"]["init"] in ("kaiming_uniform", "normal"), j["values"]
assert j["zoo_provenance"]["epochs"] == 1, j["zoo_provenance"]
PY

"$wse" zoo layers --json "$work/z.h5" "$first:1" > "$work/layers.json" || fail "zoo layers"
"$wse" zoo layers --json "$work/z.h5" "$first:0" "$first:1" > "$work/compare.json" || fail "zoo layers (two)"
/usr/bin/python3 - "$work/layers.json" "$work/compare.json" <<'PY' || fail "zoo layers values"
import json, sys
layers, compare = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert len(layers) == 10 and layers[0]["shape"] == "[8, 1, 5, 5]", layers[0]
assert all(c["distance"] > 0 and -1 <= c["cosine"] <= 1 for c in compare[:1]), compare[0]
assert abs(compare[0]["norm_b"] - layers[0]["norm"]) < 1e-6 * max(1.0, layers[0]["norm"])
PY

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
# Official layout: import (broken models reported), export a checkpoint, inspect it, add it back.
/usr/bin/python3 "$data/make_official_zoo.py" "$work/tune_zoo_f_mnist_uniform" > /dev/null
"$wse" zoo import "$work/tune_zoo_f_mnist_uniform" -o "$work/imported.h5" 2> "$work/import.txt"
grep -q "imported 2 of 5 models (6 checkpoints)" "$work/import.txt" || fail "import summary: $(cat "$work/import.txt")"
grep -q "skipped 3 models" "$work/import.txt" || fail "import skip report"
grep -q "seed=4.*NaN in weights" "$work/import.txt" || fail "NaN model not reported"
id=$("$wse" zoo info --json "$work/imported.h5" | /usr/bin/python3 -c "import json,sys; print(sorted(json.load(sys.stdin)['hyperparameters']['model_type']))" )
[[ $id == "['CNN']" ]] || fail "imported hyper-parameters: $id"
model=NN_tune_trainable_ab12c_00001_1_seed=2_2021-07-12_12-44-44
"$wse" zoo export "$work/imported.h5" --model "$model" --epoch 2 -o "$work/exported.pt" 2> /dev/null
"$wse" checkpoint info "$work/exported.pt" > "$work/ckpt.txt"
grep -q "10 tensors, 2464 values" "$work/ckpt.txt" || fail "checkpoint info summary"
grep -q "module_list.14.weight .*float32 .*\[10, 20\]" "$work/ckpt.txt" || fail "dropout key names not kept on export"
"$wse" checkpoint info --json "$work/exported.pt" | /usr/bin/python3 -c "import json,sys; j=json.load(sys.stdin); assert j['numel']==2464 and j['tensors'][0]['shape']==[8,1,5,5]" || fail "checkpoint info --json"
"$wse" zoo add "$work/imported.h5" "$work/exported.pt" --meta epoch=9 origin=exported 2> "$work/add.txt"
grep -q "added 1 models" "$work/add.txt" || fail "zoo add"
"$wse" zoo info "$work/imported.h5" | grep -q "models: 3, checkpoints: 7" || fail "zoo add counts"
if "$wse" checkpoint info "$data/make_official_zoo.py" 2> "$work/err.txt"; then fail "text file accepted as checkpoint"; fi
# safetensors: the same checkpoint exported as .safetensors holds the .pt's tensors (numpy reads the
# file as the format says; torch reads the .pt), lists the same, and adds back to a zoo.
"$wse" zoo export "$work/imported.h5" --model "$model" --epoch 2 -o "$work/exported.safetensors" 2> /dev/null
"$wse" checkpoint info "$work/exported.safetensors" > "$work/st.txt"
grep -q "10 tensors, 2464 values" "$work/st.txt" || fail "checkpoint info of a .safetensors export"
grep -q "metadata: format = pt" "$work/st.txt" || fail "safetensors export without format metadata"
"$wse" info "$work/exported.safetensors" | head -1 | grep -q "a PyTorch checkpoint" || fail "wse info: a safetensors file"
/usr/bin/python3 - "$work/exported.pt" "$work/exported.safetensors" <<'PY' || fail "safetensors export differs from the .pt export"
import json, struct, sys
import numpy as np, torch
pt = torch.load(sys.argv[1])["model"] if "model" in torch.load(sys.argv[1]) else torch.load(sys.argv[1])
raw = open(sys.argv[2], "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
header = json.loads(raw[8:8 + n])
for key, tensor in pt.items():
    b, e = header[key]["data_offsets"]
    values = np.frombuffer(raw[8 + n + b:8 + n + e], dtype=np.float32).reshape(header[key]["shape"])
    assert header[key]["dtype"] == "F32" and np.array_equal(values, tensor.numpy()), key
assert sorted(pt) == sorted(k for k in header if k != "__metadata__")
PY
"$wse" zoo add "$work/imported.h5" "$work/exported.safetensors" --meta epoch=9 origin=safetensors 2> "$work/add.txt"
grep -q "added 1 models" "$work/add.txt" || fail "zoo add of a .safetensors checkpoint"
"$wse" zoo info "$work/imported.h5" | grep -q "models: 4, checkpoints: 8" || fail "zoo add counts after the safetensors one"
grep -q "not a PyTorch checkpoint" "$work/err.txt" || fail "non-checkpoint message: $(cat "$work/err.txt")"

# Training across axes, interrupted by Ctrl-C after the first epochs are on disk, then resumed.
train=("$wse" zoo train -o "$work/axes.h5" --search random --models 12 --search-seed 3 --epochs 3
       --init uniform kaiming_normal orthogonal truncated_normal --activation relu gelu
       --optimizer adam adamw sgd --lr 1e-3 3e-3 --dropout 0 0.5 --seed 1 2 3
       --train-limit 400 --test-limit 200 --device cpu)
"${train[@]}" 2> "$work/first.txt" &
pid=$!
for _ in $(seq 600); do [[ -f "$work/axes.h5" ]] && break; sleep 0.1; done
kill -INT $pid
status=0; wait $pid || status=$?
[[ $status -eq 130 ]] || fail "Ctrl-C exit status $status: $(tail -3 "$work/first.txt")"
grep -q "Run the same command again to resume" "$work/first.txt" || fail "no resume hint"
"${train[@]}" 2> "$work/second.txt" || fail "resume failed: $(tail -3 "$work/second.txt")"
grep -q "wrote $work/axes.h5 (12 models, 48 checkpoints)" "$work/second.txt" || fail "resumed zoo counts: $(tail -2 "$work/second.txt")"
# Every trained model loads into the official PyTorch class (dropout models with shifted keys).
/usr/bin/python3 - "$wse" "$work/axes.h5" "$data/make_official_zoo.py" "$work" <<'PY' || fail "trained checkpoints do not load in PyTorch"
import h5py, json, runpy, subprocess, sys, torch
wse, zoo, maker, work = sys.argv[1:]
cnn_s = runpy.run_path(maker)["cnn_s"]
f = h5py.File(zoo, "r")
ids = [x.decode() for x in f["models/model_id"][:]]
dropouts = f["models/dropout"][:]
for model_id, dropout in zip(ids, dropouts):
    out = f"{work}/{model_id}.pt"
    subprocess.run([wse, "zoo", "export", zoo, "--model", model_id, "--epoch", "3", "-o", out], check=True, capture_output=True)
    cnn_s(float(dropout)).load_state_dict(torch.load(out))  # strict
print("loaded", len(ids))
PY

# Pruned twins: each model's last epoch at two sparsities (one global threshold), with their dense
# sources; a twin loads in PyTorch and has the zeros it says.
"$wse" zoo prune "$work/axes.h5" --sparsity 0.5 0.9 --global -o "$work/twins.h5" > "$work/prune.txt" 2> /dev/null || fail "zoo prune"
[[ $(grep -c ":3 " "$work/prune.txt") -eq 24 ]] || fail "zoo prune report: $(cat "$work/prune.txt")"
/usr/bin/python3 - "$wse" "$work/twins.h5" "$data/make_official_zoo.py" "$work" <<'PY' || fail "pruned twins"
import h5py, runpy, subprocess, sys, torch
wse, zoo, maker, work = sys.argv[1:]
f = h5py.File(zoo, "r")["models"]
ids = [x.decode() for x in f["model_id"][:]]
origin = [x.decode() for x in f["origin"][:]]
source = [x.decode() for x in f["source_checkpoint"][:]]
assert origin.count("dense") == 12 and origin.count("pruned") == 24, origin
dense = {f"{i}:3" for i, o in zip(ids, origin) if o == "dense"}
assert all(s in dense for s, o in zip(source, origin) if o == "pruned"), source
i = origin.index("pruned") + 1  # the 90% twin of the first model
subprocess.run([wse, "zoo", "export", zoo, "--model", ids[i], "--epoch", "0", "-o", f"{work}/twin.pt"], check=True, capture_output=True)
net = runpy.run_path(maker)["cnn_s"](float(f["dropout"][i]))
net.load_state_dict(torch.load(f"{work}/twin.pt"))  # strict
weights = [p for n, p in net.named_parameters() if n.endswith(".weight") and p.dim() >= 2]
zeros = sum(int((p == 0).sum()) for p in weights) / sum(p.numel() for p in weights)
assert abs(zeros - 0.9) < 0.005 and abs(zeros - f["sparsity"][i]) < 1e-9, (zeros, f["sparsity"][i])
PY
if "$wse" zoo prune "$work/axes.h5" --sparsity 1.5 -o "$work/x.h5" 2> "$work/err.txt"; then fail "sparsity 1.5 accepted"; fi
grep -q "in (0, 1)" "$work/err.txt" || fail "sparsity error: $(cat "$work/err.txt")"

# Spectral metrics as checkpoint columns, into another file (as the explorer's job on a host does).
"$wse" zoo metrics --spectral "$work/axes.h5" -o "$work/spectral.h5" > "$work/spectral.txt" 2> /dev/null || fail "zoo metrics"
grep -q "not evaluable" "$work/spectral.txt" || fail "zoo metrics layer table: $(cat "$work/spectral.txt")"
/usr/bin/python3 -c "
import h5py, math, sys
assert 'ww_alpha' not in h5py.File(sys.argv[1], 'r')['checkpoints']  # the source is left as it was
alpha = h5py.File(sys.argv[2], 'r')['checkpoints/ww_alpha'][:]
assert len(alpha) == 48 and all(math.isfinite(a) and a > 1 for a in alpha), alpha
" "$work/axes.h5" "$work/spectral.h5" || fail "zoo metrics columns"

# SANE tokens of an exported checkpoint, in the official file layout.
"$wse" sane tokenize "$work/exported.pt" -o "$work/tokens.pt" 2> "$work/tok.txt"
grep -q "48 tokens of size 201" "$work/tok.txt" || fail "sane tokenize: $(cat "$work/tok.txt")"
/usr/bin/python3 -c "
import sys, torch
d = torch.load(sys.argv[1])
assert d['tokens'].shape == (48, 201) and d['tokens'].dtype == torch.float32
assert d['mask'].dtype == torch.bool and int(d['mask'].sum()) == 2464
assert d['positions'].dtype == torch.int16 and d['positions'][-1].tolist() == [47, 4, 9]
" "$work/tokens.pt" || fail "tokens file layout"

# SANE: train a tiny encoder on the trained zoo, embed, probe, sample and export a sample to PyTorch.
"$wse" sane train --zoo "$work/axes.h5" --preset tiny --set epochs=2 --set token_size=64 --device cpu \
    -o "$work/sane" 2> "$work/sane.txt" || fail "sane train: $(tail -3 "$work/sane.txt")"
grep -q "epoch 2/2" "$work/sane.txt" || fail "sane train progress"
[[ -f "$work/sane/encoder.pt" && -f "$work/sane/log.json" && -f "$work/sane/dataset_normalization_train.json" ]] || fail "run folder"
# A run's config.json starts the same run again (as the explorer's Train SANE jobs do): same weights.
"$wse" sane train --zoo "$work/axes.h5" --config "$work/sane/config.json" --device cpu -o "$work/sane-again" 2> /dev/null \
    || fail "sane train --config"
/usr/bin/python3 - "$work/sane/encoder.pt" "$work/sane-again/encoder.pt" <<'PY' || fail "sane train --config: another encoder"
import sys, torch
a, b = (torch.load(path)["model"] for path in sys.argv[1:])
assert a.keys() == b.keys() and len(a) > 0
assert all(torch.equal(a[k], b[k]) for k in a), "weights differ"
PY
# Alignment (official map_to_canonical): training on an aligned zoo stores the reference, and
# embedding aligns to it (the effect itself is tested in test_sanepipeline).
"$wse" sane train --zoo "$work/axes.h5" --preset tiny --set epochs=1 --set token_size=64 --set align=true \
    --device cpu -o "$work/sane-aligned" 2> /dev/null || fail "sane train --set align=true"
"$wse" embed --sane "$work/sane-aligned/encoder.pt" --align reference --zoo "$work/axes.h5" -o "$work/aligned.csv" 2> /dev/null \
    || fail "embed --align reference"
[[ $(wc -l < "$work/aligned.csv") -eq 49 ]] || fail "aligned embeddings"
"$wse" embed --sane "$work/sane/encoder.pt" --align reference --zoo "$work/axes.h5" -o "$work/x.csv" 2> "$work/noref.txt" \
    && fail "--align reference without a reference must be refused"
grep -q "no reference checkpoint" "$work/noref.txt" || fail "alignment error: $(cat "$work/noref.txt")"
"$wse" embed --sane "$work/sane/encoder.pt" --zoo "$work/axes.h5" -o "$work/emb.h5" 2> "$work/embed.txt"
grep -q "(48 checkpoints x 8 dimensions)" "$work/embed.txt" || fail "embed: $(cat "$work/embed.txt")"
"$wse" embed --sane "$work/sane/encoder.pt" --zoo "$work/axes.h5" --mode windowed -o "$work/emb.csv" 2> /dev/null
[[ $(head -1 "$work/emb.csv") == checkpoint,model_id,epoch,split,z0,* ]] || fail "embeddings CSV header: $(head -1 "$work/emb.csv")"
[[ $(wc -l < "$work/emb.csv") -eq 49 ]] || fail "embeddings CSV rows"
"$wse" probe --zoo "$work/axes.h5" --embeddings "$work/emb.h5" --json > "$work/probe.json"
/usr/bin/python3 - "$work/probe.json" <<'PY' || fail "probe --json"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["rows"] == 48 and "encoder" in j["split"], j
for target in ("test_acc", "epoch", "ggap", "init", "activation", "optimizer"):
    assert set(j["targets"][target]) == {"sane", "baseline_lq", "baseline_spectral"}, target
assert j["targets"]["activation"]["sane"]["metric"] == "accuracy"
PY
# Maps: seeded projections (CSV and workspace), new points placed into a map, neighbours, workspace info.
"$wse" project --embeddings "$work/emb.h5" --method umap --dims 2 --seed 3 --set n_epochs=60 -o "$work/map.csv" > "$work/project.txt" 2> /dev/null \
    || fail "project umap"
grep -q "trustworthiness 0\.[0-9]*, continuity 0\.[0-9]* (k = 10, all 48 points)" "$work/project.txt" || fail "project quality: $(cat "$work/project.txt")"
[[ $(head -1 "$work/map.csv") == checkpoint,label,model_id,epoch,*,umap_x,umap_y && $(wc -l < "$work/map.csv") -eq 49 ]] \
    || fail "map CSV: $(head -2 "$work/map.csv")"
/usr/bin/python3 - "$work/map.csv" <<'PY' || fail "map CSV columns"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 48 and all(r["label"] == r["model_id"] + ":" + r["epoch"] for r in rows), rows[0]
assert all(0.0 <= float(r["test_acc"]) <= 1.0 for r in rows), rows[0]
PY
"$wse" project --embeddings "$work/emb.h5" --method umap --dims 2 --seed 3 --set n_epochs=60 -o "$work/map2.csv" > /dev/null 2>&1
cmp -s "$work/map.csv" "$work/map2.csv" || fail "the same seed gave a different map"
"$wse" project --embeddings "$work/emb.h5" --method tsne --set perplexity=5 --set n_iter=300 --add "$work/emb.h5" \
    -o "$work/tsne.csv" > "$work/project.txt" 2> /dev/null || fail "project tsne --add"
grep -q "placed 48 new points" "$work/project.txt" || fail "project --add: $(cat "$work/project.txt")"
[[ $(grep -c ",1,[-0-9.e]*,[-0-9.e]*,[-0-9.e]*$" "$work/tsne.csv") -eq 48 ]] || fail "added rows in the map CSV"
"$wse" project --embeddings "$work/emb.h5" --method pca -o "$work/ws.h5" > /dev/null 2>&1 || fail "project into a new workspace"
"$wse" project --embeddings "$work/emb.h5" --method umap --set n_epochs=30 --name "first umap" -o "$work/ws.h5" > /dev/null 2>&1 \
    || fail "project into an existing workspace"
"$wse" workspace info "$work/ws.h5" > "$work/info.txt" || fail "workspace info"
grep -q "^maps: 2" "$work/info.txt" && grep -q "first umap: UMAP 3D" "$work/info.txt" && grep -q "axes.h5 (fnv1a64:[0-9a-f]*, found)" "$work/info.txt" \
    || fail "workspace info: $(cat "$work/info.txt")"
/usr/bin/python3 - "$work/ws.h5" <<'PY' || fail "workspace read by h5py"
import h5py, json, sys
f = h5py.File(sys.argv[1])
assert f.attrs["format"] == "weight-space-explorer workspace" and f.attrs["format_version"] == 1
m = f["maps/1"]
assert m.attrs["name"] == "first umap" and json.loads(m.attrs["settings"])["method"] == "umap"
assert m["coordinates"].shape == (48, 3) and m["checkpoints"].shape == (48,)
assert 0.5 < m.attrs["trustworthiness"] <= 1 and f["embeddings/0/embeddings"].shape == (48, 8)
PY
# A workspace whose zoo moved finds it again by its content; another zoo is refused.
mkdir -p "$work/moved/zoos" && cp "$work/ws.h5" "$work/moved/ws.h5" && mv "$work/axes.h5" "$work/moved/zoos/renamed.h5"
cp "$work/z.h5" "$work/moved/zoos/another.h5"
"$wse" workspace relink "$work/moved/ws.h5" 2> "$work/relink.txt" || fail "workspace relink: $(cat "$work/relink.txt")"
grep -q "zoo now $work/moved/zoos/renamed.h5" "$work/relink.txt" || fail "relink message: $(cat "$work/relink.txt")"
"$wse" workspace info "$work/moved/ws.h5" | grep -q "renamed.h5 (fnv1a64:[0-9a-f]*, found)" || fail "relinked workspace info"
if "$wse" workspace relink "$work/moved/ws.h5" --zoo "$work/moved/zoos/another.h5" 2> "$work/err.txt"; then
    fail "relink accepted another zoo"; fi
grep -q "another.h5 is not the zoo this workspace was made from" "$work/err.txt" || fail "relink --zoo message: $(cat "$work/err.txt")"
mv "$work/moved/zoos/renamed.h5" "$work/axes.h5"
"$wse" neighbors --embeddings "$work/emb.h5" --of "$(sed -n 2p "$work/map.csv" | cut -d, -f2)" -k 3 > "$work/nn.csv" || fail "neighbors --of"
[[ $(wc -l < "$work/nn.csv") -eq 4 && $(head -1 "$work/nn.csv") == "checkpoint,rank,neighbor,neighbor_checkpoint,distance" ]] || fail "neighbors: $(cat "$work/nn.csv")"
"$wse" neighbors --zoo "$work/axes.h5" -k 2 --metric cosine -o "$work/nn-weights.csv" 2> /dev/null || fail "neighbors in weight space"
[[ $(wc -l < "$work/nn-weights.csv") -eq 97 ]] || fail "weight-space neighbours rows"
if "$wse" project --embeddings "$work/emb.h5" --method umap --set n_neighbours=5 -o "$work/x.csv" 2> "$work/err.txt"; then
    fail "a misspelt setting was accepted"; fi
grep -q "unknown projection setting 'n_neighbours'" "$work/err.txt" || fail "setting error: $(cat "$work/err.txt")"
"$wse" sample --sane "$work/sane/encoder.pt" --zoo "$work/axes.h5" --anchors 'activation == "relu" && epoch >= 2' \
    -n 6 --keep 2 --device cpu -o "$work/samples.h5" > "$work/sample.txt" 2> /dev/null || fail "sample"
grep -q "freshly initialised" "$work/sample.txt" || fail "sample report: $(cat "$work/sample.txt")"
grep -q "latent noise: bandwidth 0.2 = .*x the anchors' spread" "$work/sample.txt" || fail "sample report's latent spread: $(cat "$work/sample.txt")"
# Provenance: a table of the kept samples with both baselines, and the figures as model columns.
grep -q "provenance: nearest zoo checkpoint in weight space" "$work/sample.txt" || fail "sample provenance: $(cat "$work/sample.txt")"
grep -q "baseline: anchor + noise, same change" "$work/sample.txt" || fail "sample noise baseline: $(cat "$work/sample.txt")"
grep -q "baseline: aligned average of 2 anchors" "$work/sample.txt" || fail "sample average baseline: $(cat "$work/sample.txt")"
/usr/bin/python3 -c "
import h5py, sys, math
f = h5py.File(sys.argv[1], 'r')['models']
ratio, agreement, copy = f['nearest_ratio'][:], f['agreement'][:], f['near_copy'][:]
assert len(ratio) == 6 and all(r >= 0 for r in ratio), ratio
assert all(0 <= a <= 1 for a in agreement), agreement
assert all(c == (1 if r < 1 and a >= 0.95 else 0) for r, a, c in zip(ratio, agreement, copy)), (ratio, agreement, copy)
assert all(':' in x.decode() for x in f['nearest_checkpoint'][:])
" "$work/samples.h5" || fail "sample provenance columns"
# A control sampler that copies its anchors (units reordered) is flagged as copying, every sample.
"$wse" sample --sane "$work/sane/encoder.pt" --zoo "$work/axes.h5" --anchors 'activation == "relu" && epoch >= 2' \
    -n 4 --keep 2 --control copy --device cpu -o "$work/copies.h5" > "$work/copies.txt" 2> /dev/null || fail "sample --control copy"
grep -q "generated (4 networks) .* 4 of 4$" "$work/copies.txt" || fail "copies not flagged: $(cat "$work/copies.txt")"
"$wse" zoo info "$work/samples.h5" | grep -q "models: 6, checkpoints: 6" || fail "samples zoo counts"
"$wse" zoo export "$work/samples.h5" --model sample-0000 --epoch 0 -o "$work/sample.pt" 2> /dev/null
/usr/bin/python3 -c "
import runpy, sys, torch
runpy.run_path(sys.argv[1])['cnn_s'](0.0).load_state_dict(torch.load(sys.argv[2]))
" "$data/make_official_zoo.py" "$work/sample.pt" || fail "sampled checkpoint does not load in PyTorch"
first=$(/usr/bin/python3 -c "import h5py,sys; f=h5py.File(sys.argv[1]); print(f['models/model_id'][0].decode())" "$work/axes.h5")
last=$(/usr/bin/python3 -c "import h5py,sys; f=h5py.File(sys.argv[1]); a=[x.decode() for x in f['models/activation'][:]]; print([m.decode() for m, x in zip(f['models/model_id'][:], a) if x == a[0]][-1])" "$work/axes.h5")
"$wse" decode --sane "$work/sane/encoder.pt" --zoo "$work/axes.h5" --from "$first:3" --to "$last:3" --steps 3 --device cpu \
    -o "$work/path.h5" > "$work/path.txt" 2> /dev/null || fail "decode path"
[[ $(grep -c "^ *[01]\.[0-9]* " "$work/path.txt") -eq 3 ]] || fail "decode report: $(cat "$work/path.txt")"
grep -q "^  decoded-002 " "$work/path.txt" || fail "decode provenance: $(cat "$work/path.txt")"
"$wse" zoo info "$work/path.h5" | grep -q "models: 3, checkpoints: 3" || fail "decoded zoo counts"
# An equal blend of the two endpoints is the path's midpoint: the same network, the same accuracy.
"$wse" decode --sane "$work/sane/encoder.pt" --zoo "$work/axes.h5" --blend "$first:3=1" "$last:3=1" --device cpu \
    -o "$work/blend.h5" > "$work/blend.txt" 2> /dev/null || fail "decode blend"
midpoint=$(awk '$1 == "0.500" { print $2 }' "$work/path.txt")
blended=$(awk '$1 == "0.000" { print $2 }' "$work/blend.txt")
[[ -n "$midpoint" && "$midpoint" == "$blended" ]] || fail "blend ($blended) is not the path's midpoint ($midpoint)"
if "$wse" decode --sane "$work/sane/encoder.pt" --zoo "$work/axes.h5" --blend "$first:3" -o "$work/x.h5" 2> "$work/err.txt"; then
    fail "a blend without weights was accepted"; fi
grep -q "MODEL:EPOCH=WEIGHT" "$work/err.txt" || fail "blend message: $(cat "$work/err.txt")"
if "$wse" sample --sane "$work/sane/encoder.pt" --zoo "$work/axes.h5" --anchors 'test_acc >> 1' -o "$work/x.h5" 2> "$work/err.txt"; then
    fail "bad filter accepted"; fi
grep -q "filter: .* at column 11" "$work/err.txt" || fail "filter error message: $(cat "$work/err.txt")"
if "$wse" sample --sane "$work/sane/encoder.pt" --zoo "$work/axes.h5" -o "$work/x.h5" 2> "$work/err.txt"; then
    fail "mixed activations accepted"; fi
grep -q "the anchors mix activation values (gelu, relu)" "$work/err.txt" || fail "mixed anchors message: $(cat "$work/err.txt")"
if "$wse" embed --sane "$work/exported.pt" --zoo "$work/axes.h5" -o "$work/x.h5" 2> "$work/err.txt"; then
    fail "a network checkpoint was accepted as an encoder"; fi
grep -q "wse sane import" "$work/err.txt" || fail "not-an-encoder message: $(cat "$work/err.txt")"

# wse devices: what this build computes on (the explorer asks each runner's wse the same).
"$wse" devices | head -1 | grep -q "^wse .*LibTorch" || fail "wse devices: first line"
"$wse" devices --json | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["cpu"]["threads"] >= 1 and d["cpu"]["device"] == "cpu", d
assert isinstance(d["cuda"], list) and (d["cuda"] or d["cuda_note"]), d
assert all(g["device"].startswith("cuda:") for g in d["cuda"]), d
' || fail "wse devices --json"

# --progress json, as the explorer reads a job: every line of stderr is one JSON object; progress
# never goes back; the last event is the result with the paths written, an error, or (after
# SIGTERM, the explorer's Cancel) a clean stop that the same command resumes.
/usr/bin/python3 - "$wse" "$work" <<'PY' || fail "--progress json"
import json, signal, subprocess, sys
wse, work = sys.argv[1], sys.argv[2]
def events(text):
    lines = [line for line in text.splitlines() if line.strip()]
    parsed = [json.loads(line) for line in lines]  # raises on any line that is not JSON
    assert all("event" in e for e in parsed), parsed
    return parsed
train = [wse, "zoo", "train", "-o", work + "/j.h5", "--init", "kaiming_uniform", "--activation", "relu",
         "--seed", "1", "2", "--epochs", "4", "--train-limit", "3000", "--test-limit", "200", "--device", "cpu",
         "--progress", "json"]
run = subprocess.run([wse, "--progress", "json"] + train[1:-2], capture_output=True, text=True)  # the option before the command too
assert run.returncode == 0, run.stderr
got = events(run.stderr)
fractions = [e["fraction"] for e in got if e["event"] == "progress"]
assert fractions and fractions == sorted(fractions) and fractions[-1] == 1.0, fractions
assert all({"stage", "detail", "elapsed_s", "eta_s"} <= set(e) for e in got if e["event"] == "progress")
assert got[-1] == {"event": "result", "paths": [work + "/j.h5"], "exit_status": 0}, got[-1]
assert any(e["event"] == "message" and "wrote" in e["message"] for e in got)

bad = subprocess.run([wse, "zoo", "info", work + "/missing.h5", "--progress", "json"], capture_output=True, text=True)
last = events(bad.stderr)[-1]
assert bad.returncode == 1 and last["event"] == "error" and "missing.h5" in last["message"], bad.stderr

train[4] = work + "/stopped.h5"
child = subprocess.Popen(train, stderr=subprocess.PIPE, text=True)
seen = []
for line in child.stderr:
    seen.append(json.loads(line))
    if seen[-1]["event"] == "progress" and seen[-1]["stage"].startswith("epoch 2/4"):
        child.send_signal(signal.SIGTERM)
        break
seen += events(child.stderr.read())
assert child.wait() == 130 and seen[-1]["event"] == "cancelled", seen[-3:]
resumed = subprocess.run(train, capture_output=True, text=True)
assert resumed.returncode == 0 and events(resumed.stderr)[-1]["event"] == "result", resumed.stderr
assert any(e["event"] == "message" and "resum" in e["message"].lower() for e in events(resumed.stderr)), resumed.stderr
PY

echo "cli: all checks passed"
