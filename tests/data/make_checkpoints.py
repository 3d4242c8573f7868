"""Writes real PyTorch checkpoints of every kind the reader must handle, plus broken and
malicious ones, into a folder, with expected.json describing what a correct reader returns.
Run with Debian's /usr/bin/python3 (python3-torch)."""
import collections, io, json, os, pickle, sys, zipfile
import torch, torch.nn as nn

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
expected = {}

def describe(sd):
    return [[k, str(v.dtype).replace("torch.", ""), list(v.shape),
             [float(x) for x in v.detach().flatten().to(torch.float64).tolist()]] for k, v in sd.items()]

def save(name, obj, sd, **kw):
    torch.save(obj, os.path.join(out, name), **kw)
    expected[name] = describe(sd)

torch.manual_seed(0)
# 1. A plain model.state_dict(): OrderedDict with _metadata, BatchNorm buffers incl. int64.
model = nn.Sequential(nn.Conv2d(1, 3, 3), nn.BatchNorm2d(3), nn.Flatten(), nn.Linear(12, 4))
model(torch.randn(2, 1, 4, 4))  # updates running stats
save("state_dict.pt", model.state_dict(), model.state_dict())

# 2. Every dtype, a plain dict.
dtypes = collections.OrderedDict([
    ("f32", torch.randn(2, 3)), ("f64", torch.randn(3).double()), ("f16", torch.randn(4).half()),
    ("bf16", torch.randn(5).bfloat16()), ("i64", torch.arange(-3, 3)), ("i32", torch.arange(4, dtype=torch.int32)),
    ("b", torch.tensor([True, False, True])), ("scalar", torch.tensor(2.5))])
save("dtypes.pt", dict(dtypes), dtypes)

# 3. Views: storage offsets, non-contiguous strides, shared storages.
base = torch.arange(24, dtype=torch.float32)
views = collections.OrderedDict([
    ("offset", base[5:11]), ("transposed", base[:12].view(3, 4).t()),
    ("strided", base.view(4, 6)[:, ::2]), ("shared", base.view(2, 12))])
save("views.pt", views, views)

# 4. A training checkpoint as the official SANE state.pt: model + AdamW + OneCycleLR state.
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1e-3, total_steps=10)
model(torch.randn(2, 1, 4, 4)).sum().backward(); opt.step(); sched.step()
save("training_state.pt", {"model": model.state_dict(), "optimizer": opt.state_dict(),
                           "scheduler": sched.state_dict()}, model.state_dict())

# 5. Legacy (pre-zip) serialisation.
torch.save(model.state_dict(), os.path.join(out, "legacy.pt"), _use_new_zipfile_serialization=False)

# 6. Malicious pickles inside an otherwise valid archive.
class Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned > " + os.path.join(out, "PWNED"),))
class EvalEvil:
    def __reduce__(self):
        return (eval, ("1+1",))
torch.save({"weight": torch.zeros(2), "x": Evil()}, os.path.join(out, "evil_system.pt"))
torch.save({"weight": torch.zeros(2), "x": EvalEvil()}, os.path.join(out, "evil_eval.pt"))

# 7. Damaged copies of state_dict.pt.
good = open(os.path.join(out, "state_dict.pt"), "rb").read()
open(os.path.join(out, "truncated.pt"), "wb").write(good[: len(good) // 2])
with zipfile.ZipFile(os.path.join(out, "state_dict.pt")) as z:
    names = z.namelist()
    storage = [n for n in names if "/data/" in n][0]
    info = z.getinfo(storage)
# Flip a byte inside a tensor's data: the CRC no longer matches.
bad = bytearray(good)
with zipfile.ZipFile(io.BytesIO(good)) as z:
    local = z.getinfo(storage).header_offset
extra = int.from_bytes(bad[local + 28: local + 30], "little")
name_len = int.from_bytes(bad[local + 26: local + 28], "little")
bad[local + 30 + name_len + extra] ^= 0xFF
open(os.path.join(out, "bad_crc.pt"), "wb").write(bytes(bad))
# A storage shorter than its tensors: rewrite the archive with a cut data entry (valid CRCs).
with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(os.path.join(out, "short_storage.pt"), "w") as dst:
    for n in src.namelist():
        data = src.read(n)
        dst.writestr(n, data[: len(data) // 2] if n == storage else data)
open(os.path.join(out, "not_a_checkpoint.pt"), "wb").write(b"hello, I am text\n" * 10)

json.dump(expected, open(os.path.join(out, "expected.json"), "w"))
print("ok")
