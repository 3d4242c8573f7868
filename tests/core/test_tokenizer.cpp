// SANE tokenisation against a Python implementation of the official algorithm (sane-spec §3),
// and the exact round trip tokens -> state_dict.
#include "common/fixtures.h"

#include "checkpoint/checkpointfile.h"
#include "common/error.h"
#include "sane/tokenizer.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace wse;

// The official tokenize_checkpoint, written from the spec: a reference independent of ours.
static const char *OfficialTokenizer = R"(
import math, sys, torch, torch.nn as nn
class Net(nn.Module):  # conv with bias, bias-free conv + named BN (as ResNets), linear
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(2, 3, 3)
        self.conv2 = nn.Conv2d(3, 4, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(4)
        self.fc = nn.Linear(20, 5)
torch.manual_seed(1)
net = Net()
net.bn1.running_mean.uniform_(); net.bn1.running_var.uniform_(1, 2)
sd = net.state_dict()
torch.save(sd, sys.argv[1])
def tokenize(sd, d_t, ignore_bn):
    toks, masks, pos, l = [], [], [], 0
    for k, w in sd.items():
        if ignore_bn and ("bn" in k or "downsample.1" in k or "batchnorm" in k): continue
        if not ("weight" in k or "running_mean" in k or "running_var" in k): continue
        t = w.view(w.shape[0], -1)
        if "weight" in k and k.replace("weight", "bias") in sd:
            t = torch.cat([t, sd[k.replace("weight", "bias")].view(-1, 1)], dim=1)
        rows, cols = t.shape
        f = math.ceil(cols / d_t)
        tp = torch.zeros(rows, f * d_t); mp = torch.zeros(rows, f * d_t, dtype=torch.bool)
        tp[:, :cols] = t; mp[:, :cols] = True
        toks.append(tp.view(rows * f, d_t)); masks.append(mp.view(rows * f, d_t))
        pos += [[l, r] for r in range(rows) for _ in range(f)]
        l += 1
    return torch.cat(toks), torch.cat(masks), torch.tensor([[n, l, r] for n, (l, r) in enumerate(pos)])
for d_t, ignore_bn, out in [(7, True, sys.argv[2]), (28, False, sys.argv[3]), (21, True, sys.argv[4])]:
    t, m, p = tokenize(sd, d_t, ignore_bn)
    torch.save({"tokens": t, "mask": m, "positions": p.to(torch.int16)}, out)
print("ok")
)";

class TestTokenizer : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir;

    void compare(const QString &expectedFile, const TokenSequence &ours)
    {
        const StateDict expected = readCheckpoint(expectedFile.toStdString());
        const TensorBuffer *tokens = expected.find("tokens"), *mask = expected.find("mask"), *positions = expected.find("positions");
        QVERIFY(tokens && mask && positions);
        QCOMPARE(tokens->shape, (std::vector<int64_t>{ours.count, ours.tokenSize}));
        QVERIFY(tokens->toFloat() == ours.tokens); // exactly the same values
        const std::vector<float> maskValues = mask->toFloat();
        for (size_t i = 0; i < ours.mask.size(); ++i)
            QCOMPARE(int(maskValues[i]), int(ours.mask[i]));
        const std::vector<float> positionValues = positions->toFloat();
        for (size_t i = 0; i < ours.positions.size(); ++i)
            QCOMPARE(int(positionValues[i]), ours.positions[i]);
    }

private Q_SLOTS:
    void matchesTheOfficialAlgorithm()
    {
        if (!test::pythonHas("torch"))
            QSKIP("python3-torch is not installed");
        const QStringList files = {mDir.filePath("net.pt"), mDir.filePath("t7.pt"), mDir.filePath("t28.pt"),
                                   mDir.filePath("t19.pt")};
        QCOMPARE(test::runPython(OfficialTokenizer, files).trimmed(), QString("ok"));
        const StateDict sd = readCheckpoint(files[0].toStdString());
        compare(files[1], tokenize(sd, {7, false}));
        compare(files[2], tokenize(sd, {28, true}));
        compare(files[3], tokenize(sd, {0, false})); // automatic: the fc row, 20 + bias = 21

        // Round trip: every tensor back exactly; untokenised ones (BN when ignored) from the reference.
        for (const TokenizeOptions options : {TokenizeOptions{7, false}, TokenizeOptions{5, true}}) {
            const StateDict back = detokenize(tokenize(sd, options), sd, options);
            QCOMPARE(back.entries.size(), sd.entries.size());
            for (size_t i = 0; i < sd.entries.size(); ++i) {
                QCOMPARE(back.entries[i].first, sd.entries[i].first);
                QVERIFY2(back.entries[i].second.toFloat() == sd.entries[i].second.toFloat(), sd.entries[i].first.c_str());
            }
        }
    }

    void cnnSmallTokensAndMismatches()
    {
        if (!test::pythonHas("torch"))
            QSKIP("python3-torch is not installed");
        StateDict sd;
        const Zoo zoo = test::makeSyntheticZoo(1, 1, 0);
        const float *row = zoo.weights[0].row(0);
        for (const TensorSpec &tensor : zoo.architectures[0].tensors) {
            sd.entries.emplace_back(tensor.key, TensorBuffer::fromFloat(tensor.shape, row));
            row += tensor.numel();
        }
        const TokenSequence tokens = tokenize(sd, {0, false});
        QCOMPARE(tokens.tokenSize, int64_t(201)); // CNN-s: conv2 rows 8*5*5 + bias
        QCOMPARE(tokens.count, int64_t(8 + 6 + 4 + 20 + 10));
        // Tokens of one architecture do not fit another (conv1 with 9 filters instead of 8).
        StateDict other = sd;
        other.entries[0].second.shape = {9, 1, 5, 5};
        other.entries[1].second.shape = {9};
        QVERIFY_THROWS_EXCEPTION(ShapeError, detokenize(tokens, other, {0, false}));
    }
};

QTEST_GUILESS_MAIN(TestTokenizer)
#include "test_tokenizer.moc"
