"""Writes a model zoo in the official Model Zoos (Ray Tune) layout with the official CNN-s class.
usage: make_official_zoo.py OUT_DIR [--models N] [--epochs E] [--sparse]
Without --models: a fixture with every case the importer must handle (see CASES)."""
import argparse, json, math, os
import torch, torch.nn as nn

def cnn_s(dropout, channels_in=1):
    """The official CNN-s (model-zoo-spec §2.1): a ModuleList, Dropout inserted only when p > 0."""
    layers = [nn.Conv2d(channels_in, 8, 5), nn.MaxPool2d(2, 2), nn.Tanh()]
    if dropout > 0: layers.append(nn.Dropout(dropout))
    layers += [nn.Conv2d(8, 6, 5), nn.MaxPool2d(2, 2), nn.Tanh()]
    if dropout > 0: layers.append(nn.Dropout(dropout))
    layers += [nn.Conv2d(6, 4, 2), nn.Tanh(), nn.Flatten(), nn.Linear(36, 20), nn.Tanh()]
    if dropout > 0: layers.append(nn.Dropout(dropout))
    layers += [nn.Linear(20, 10)]
    class CNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.module_list = nn.ModuleList(layers)
    return CNN()

def cnn_l(dropout, channels_in=3):
    """The official CNN-l ("CNN3", model-zoo-spec §2.2): Dropout modules always present."""
    layers = [nn.Conv2d(channels_in, 16, 3), nn.MaxPool2d(2, 2), nn.Tanh(), nn.Dropout(dropout),
              nn.Conv2d(16, 32, 3), nn.MaxPool2d(2, 2), nn.Tanh(), nn.Dropout(dropout),
              nn.Conv2d(32, 15, 3), nn.MaxPool2d(2, 2), nn.Tanh(), nn.Dropout(dropout),
              nn.Flatten(), nn.Linear(60, 20), nn.Tanh(), nn.Dropout(dropout), nn.Linear(20, 10)]
    class CNN3(nn.Module):
        def __init__(self):
            super().__init__()
            self.module_list = nn.ModuleList(layers)
    return CNN3()

class BasicBlock(nn.Module):
    """torchvision's BasicBlock (expansion 1)."""
    def __init__(self, inplanes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))
    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + (x if self.downsample is None else self.downsample(x)))

def resnet18(dropout=0.0, channels_in=3, classes=10):
    """The official "Resnet18" (model-zoo-spec §2.3): torchvision's ResNet(BasicBlock, [2, 2, 2, 2])
    with conv1 3x3 / stride 1 / padding 1 and maxpool = Identity; dropout is ignored."""
    class ResNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(channels_in, 64, 3, 1, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(64)
            self.relu = nn.ReLU(inplace=True)
            self.maxpool = nn.Identity()
            inplanes = 64
            for stage, planes in enumerate([64, 128, 256, 512], 1):
                stride = 1 if stage == 1 else 2
                blocks = [BasicBlock(inplanes, planes, stride), BasicBlock(planes, planes)]
                setattr(self, "layer%d" % stage, nn.Sequential(*blocks))
                inplanes = planes
            self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
            self.fc = nn.Linear(512, classes)
        def forward(self, x):
            x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
            x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
            return self.fc(torch.flatten(self.avgpool(x), 1))
    return ResNet()

def write_trial(root, index, seed, dropout=0.0, epochs=2, padded=True, case="ok"):
    name = "NN_tune_trainable_ab12c_%05d_%d_seed=%d_2021-07-12_12-44-44" % (index, index, seed)
    d = os.path.join(root, name)
    os.makedirs(d)
    params = {"model::type": "CNN", "model::channels_in": 1, "model::o_dim": 4, "model::nlin": "tanh",
              "model::dropout": dropout, "model::init_type": "kaiming_uniform", "model::use_bias": False,
              "optim::optimizer": "adam", "optim::lr": 0.0003, "optim::wd": 0.0, "seed": seed,
              "training::batchsize": 10, "training::epochs_train": epochs, "cuda": False,
              "dataset::dump": "/abs/path/zoos/F_MNIST/tune_zoo_f_mnist_uniform/dataset.pt"}
    with open(os.path.join(d, "params.json"), "w") as f:
        json.dump(params, f, sort_keys=True, indent=2)
    torch.manual_seed(seed)
    model = cnn_s(dropout)
    lines = []
    for epoch in range(epochs + 1):
        with torch.no_grad():
            for p in model.parameters():
                p.add_(0.01 * torch.randn_like(p))
        folder = os.path.join(d, ("checkpoint_%06d" if padded else "checkpoint_%d") % epoch)
        os.makedirs(folder)
        sd = model.state_dict()
        if case == "nan" and epoch == 1:
            sd = {k: v.clone() for k, v in sd.items()}
            sd["module_list.0.weight"][0, 0, 0, 0] = float("nan")
        torch.save(sd, os.path.join(folder, "checkpoints"))
        if case == "broken" and epoch == 1:
            path = os.path.join(folder, "checkpoints")
            data = open(path, "rb").read()
            open(path, "wb").write(data[: len(data) // 3])
        acc = 0.1 + 0.2 * epoch + 0.001 * seed
        lines.append({"train_loss": 2.3 - 0.5 * epoch, "train_acc": acc + 0.01, "test_loss": 2.31 - 0.5 * epoch,
                      "test_acc": acc, "val_loss": float("nan") if epoch == 0 else 1.0,
                      "done": False, "training_iteration": epoch, "config": params,
                      "time_this_iter_s": float("inf") if epoch == 0 else 1.5})
    if case != "no_results":
        with open(os.path.join(d, "result.json"), "w") as f:
            for line in lines:
                f.write(json.dumps(line) + "\n")  # Python writes bare NaN / Infinity
    return name

def write_sparse_trial(root, index, seed, epochs=2):
    """A trial of an official sparsified (variational dropout, ARD) zoo: every layer also stores
    log_sigma2 (and log_sigma2_bias); log_alpha = log_sigma2 - 2 log|w| spreads over [-6, 8]."""
    name = write_trial(root, index, seed, 0.0, epochs)
    d = os.path.join(root, name)
    gen = torch.Generator().manual_seed(seed)
    for epoch in range(epochs + 1):
        path = os.path.join(d, "checkpoint_%06d" % epoch, "checkpoints")
        sd = torch.load(path)
        out = {}
        for key in [k for k in sd if k.endswith(".weight")]:
            prefix = key[: -len(".weight")]
            w, b = sd[key], sd[prefix + ".bias"]
            out[key], out[prefix + ".bias"] = w, b
            out[prefix + ".log_sigma2"] = 2 * torch.log(w.abs() + 1e-15) + torch.empty(w.shape).uniform_(-6, 8, generator=gen)
            out[prefix + ".log_sigma2_bias"] = 2 * torch.log(b.abs() + 1e-15) + torch.empty(b.shape).uniform_(-6, 8, generator=gen)
        torch.save(out, path)
    with open(os.path.join(d, "result.json")) as f:
        lines = [json.loads(line) for line in f]
    with open(os.path.join(d, "result.json"), "w") as f:
        for line in lines:
            line["sparsity_ratio"] = 0.1 * line["training_iteration"]
            f.write(json.dumps(line) + "\n")
    return name

def official_masked(sd):
    """What the official ARD layers compute with: weights (and conv biases) where log_alpha < 3."""
    out = {}
    for key, value in sd.items():
        if "log_sigma2" in key:
            continue
        prefix, kind = key.rsplit(".", 1)
        weight = sd[prefix + ".weight"]
        if prefix + ".log_sigma2" in sd and (kind == "weight" or weight.dim() == 4):
            log_sigma2 = sd[prefix + (".log_sigma2" if kind == "weight" else ".log_sigma2_bias")]
            log_alpha = torch.clamp(log_sigma2 - 2.0 * torch.log(1e-15 + value.abs()), -10, 10)
            value = value * (log_alpha < 3).float()
        out[key] = value
    return out

CASES = [  # (seed, dropout, padded folder names, case)
    (1, 0.0, True, "ok"), (2, 0.5, False, "ok"), (3, 0.0, True, "broken"), (4, 0.0, True, "nan"),
    (5, 0.0, True, "no_results")]

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--models", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--sparse", action="store_true", help="a sparsified (ARD) zoo of --models trials")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    open(os.path.join(args.out, "readme.md"), "w").close()
    if args.sparse:
        for i in range(max(1, args.models)):
            write_sparse_trial(args.out, i, i + 1, args.epochs)
    elif args.models:
        for i in range(args.models):
            write_trial(args.out, i, i + 1, epochs=args.epochs)
    else:
        for i, (seed, dropout, padded, case) in enumerate(CASES):
            write_trial(args.out, i, seed, dropout, 2, padded, case)
    print("ok")
