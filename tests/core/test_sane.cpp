// The SANE network against a PyTorch implementation of the official module (sane-spec §4):
// parameter names and counts, import of an official training checkpoint, identical encoder and
// decoder outputs; the encoder file; per-layer standardisation (§2.3) with its quirk.
#include "common/fixtures.h"

#include "checkpoint/checkpointfile.h"
#include "common/error.h"
#include "sane/encoderfile.h"
#include "sane/normalization.h"
#include "sane/saneimport.h"
#include "sane/sanemodel.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <optional>

using namespace wse;

// Builds a random official-layout SANE, takes one AdamW + OneCycle step (so state.pt carries the
// optimizer and scheduler entries as the official trainer writes them), and records outputs.
static const char *OfficialSane = R"(
import json, sys, torch
sys.path.insert(0, sys.argv[1])
from sane_reference import from_params
out = sys.argv[2]
params = {"ae:i_dim": 23, "ae:d_model": 64, "ae:nhead": 4, "ae:num_layers": 2, "ae:lat_dim": 16,
          "ae:max_positions": [50, 8, 30], "training::windowsize": 8, "ae:transformer_type": "gpt2",
          "model::compile": True, "training::gamma": 0.05}
torch.manual_seed(3)
model = from_params(params)
opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1e-4, total_steps=10)
x = torch.randn(3, 40, 23)
p = torch.stack([torch.arange(40), torch.randint(0, 8, (40,)), torch.randint(0, 30, (40,))], dim=1)
p = p.unsqueeze(0).repeat(3, 1, 1).to(torch.int16)
loss = ((model.forward_decoder(model.forward_encoder(x, p), p) - x) ** 2).mean()
loss.backward(); opt.step(); sched.step()
torch.save({"model": {"_orig_mod." + k: v for k, v in model.state_dict().items()},
            "optimizer": opt.state_dict(), "scheduler": sched.state_dict()}, out + "/state.pt")
json.dump(params, open(out + "/params.json", "w"))
with torch.no_grad():
    z = model.forward_encoder(x, p)
    y = model.forward_decoder(z, p)
    e = model.forward_embeddings(x, p)
torch.save({"x": x, "p": p.to(torch.int32), "z": z, "y": y, "e": e}, out + "/io.pt")
print(len(model.state_dict()), sum(t.numel() for t in model.state_dict().values()))
)";

// Our encoder file: torch.load(f)["model"] loads strictly into the official module and agrees.
static const char *LoadOurs = R"(
import json, sys, torch
sys.path.insert(0, sys.argv[1])
from sane_reference import from_params
f = torch.load(sys.argv[2])
cfg = json.loads(f["config"])
model = from_params({"ae:i_dim": cfg["token_size"], "ae:d_model": cfg["d_model"], "ae:nhead": cfg["heads"],
                     "ae:num_layers": cfg["layers"], "ae:lat_dim": cfg["latent"],
                     "ae:max_positions": cfg["max_positions"], "training::windowsize": cfg["window_size"]})
model.load_state_dict(f["model"], strict=True)
io = torch.load(sys.argv[3])
with torch.no_grad():
    print(float((model.forward_encoder(io["x"], io["p"]) - io["z"]).abs().max()))
)";

static double maxRelativeError(const std::vector<float> &ours, const std::vector<float> &expected)
{
    double largest = 0.0, error = 0.0;
    for (size_t i = 0; i < expected.size(); ++i) {
        largest = std::max(largest, std::abs(double(expected[i])));
        error = std::max(error, std::abs(double(ours[i]) - double(expected[i])));
    }
    return error / std::max(largest, 1e-30);
}

class TestSane : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir;

private Q_SLOTS:
    void parameterCountsOfTheShippedConfigurations()
    {
        // sane-spec §4.4, counted with the official module.
        QCOMPARE(SaneConfig::preset("official-cnn").parameterCount(), int64_t(202539421));
        QCOMPARE(SaneConfig::preset("official-resnet").parameterCount(), int64_t(865050012));
    }

    void stateDictNamesAndOrder()
    {
        SaneConfig config = SaneConfig::preset("tiny");
        config.tokenSize = 12;
        config.layers = 8;
        config.maxPositions = {40, 6, 20};
        SaneModel model(config, "cpu");
        const StateDict sd = model.stateDict();
        QCOMPARE(int(sd.entries.size()), 113); // §4.3 for L = 8
        QCOMPARE(sd.entries.front().first, std::string("tokenizer.weight"));
        QCOMPARE(sd.entries[2].first, std::string("transformer_encoder.transformer.0.ln_1.weight"));
        QCOMPARE(sd.entries[3].first, std::string("transformer_encoder.transformer.0.attn.c_attn.weight"));
        QCOMPARE(sd.entries.back().first, std::string("projection_head.head.4.bias"));
        QVERIFY(sd.find("pe.pe3.weight") && sd.find("decoder_comp.bias") && sd.find("projection_head.head.3.weight"));
        QCOMPARE(sd.numel(), config.parameterCount());
        // The official initialisation: output projections drawn with std 0.02 / sqrt(2 L).
        const std::vector<float> proj = sd.find("transformer_decoder.transformer.3.mlp.c_proj.weight")->toFloat();
        double squares = 0;
        for (float v : proj)
            squares += double(v) * v;
        const double std = std::sqrt(squares / double(proj.size()));
        QVERIFY2(std::abs(std - 0.02 / 4.0) < 0.001, QByteArray::number(std));
    }

    void officialCheckpointImportsAndAgrees()
    {
        if (!test::pythonHas("torch"))
            QSKIP("python3-torch is not installed");
        const QString out = mDir.path();
        const QStringList counts = test::runPython(OfficialSane, {WSE_TEST_DATA, out}).trimmed().split(' ');
        SaneImportOptions options;
        options.state = (out + "/state.pt").toStdString();
        options.params = (out + "/params.json").toStdString();
        const SaneEncoder encoder = importOfficialSane(options);
        QCOMPARE(int(encoder.weights.entries.size()), counts[0].toInt());
        QCOMPARE(encoder.weights.numel(), counts[1].toLongLong());
        QCOMPARE(encoder.weights.entries.front().first, std::string("tokenizer.weight")); // prefix stripped

        const StateDict io = readCheckpoint((out + "/io.pt").toStdString());
        const std::vector<float> x = io.find("x")->toFloat(), pf = io.find("p")->toFloat();
        const std::vector<int32_t> p(pf.begin(), pf.end());
        SaneModel model(encoder, "cpu");
        const std::vector<float> z = model.encode(x, p, 3, 40);
        QVERIFY2(maxRelativeError(z, io.find("z")->toFloat()) <= 1e-5, "encoder output differs");
        const std::vector<float> y = model.decode(io.find("z")->toFloat(), p, 3, 40);
        QVERIFY2(maxRelativeError(y, io.find("y")->toFloat()) <= 1e-5, "decoder output differs");
        std::vector<float> mean(3 * 16, 0.0f);
        for (int b = 0; b < 3; ++b)
            for (int t = 0; t < 40; ++t)
                for (int c = 0; c < 16; ++c)
                    mean[size_t(b * 16 + c)] += z[size_t((b * 40 + t) * 16 + c)] / 40.0f;
        QVERIFY2(maxRelativeError(mean, io.find("e")->toFloat()) <= 1e-5, "embedding differs");

        // Our encoder file round-trips and loads back into the official module.
        const std::string path = (out + "/encoder.pt").toStdString();
        encoder.write(path);
        const SaneEncoder back = SaneEncoder::read(path);
        QCOMPARE(back.id(), encoder.id());
        QCOMPARE(back.config.toJson(), encoder.config.toJson());
        const double error = test::runPython(LoadOurs, {WSE_TEST_DATA, QString::fromStdString(path), out + "/io.pt"}).toDouble();
        QVERIFY2(error < 1e-5, QByteArray::number(error));
    }

    void officialRunIsFoundAroundItsCheckpoint()
    {
        if (!test::pythonHas("torch"))
            QSKIP("python3-torch is not installed");
        const QString out = mDir.path();
        if (!QFile::exists(out + "/state.pt"))
            test::runPython(OfficialSane, {WSE_TEST_DATA, out});
        // The official layout: <trial>/params.json, <trial>/checkpoint_000100/state.pt.
        QVERIFY(QDir(out).mkpath("run/checkpoint_000100"));
        QVERIFY(QFile::copy(out + "/params.json", out + "/run/params.json"));
        QVERIFY(QFile::copy(out + "/state.pt", out + "/run/checkpoint_000100/state.pt"));
        const std::string state = (out + "/run/checkpoint_000100/state.pt").toStdString();
        const std::optional<SaneImportOptions> found = locateOfficialSane(state);
        QVERIFY(found.has_value());
        QCOMPARE(QFileInfo(QString::fromStdString(found->params)).absoluteFilePath(), QFileInfo(out + "/run/params.json").absoluteFilePath());
        QVERIFY(found->normalization.empty());
        // Embedding commands read it as they read an encoder of ours: the same network.
        SaneImportOptions given;
        given.state = (out + "/state.pt").toStdString();
        given.params = (out + "/params.json").toStdString();
        QCOMPARE(openEncoder(state).id(), importOfficialSane(given).id());

        // A zoo's params.json (no ae:* keys) is not a SANE run's: a network checkpoint stays refused.
        QVERIFY(QDir(out).mkpath("zoo/checkpoint_000005"));
        QFile zooParams(out + "/zoo/params.json");
        QVERIFY(zooParams.open(QIODevice::WriteOnly));
        zooParams.write(R"({"model::type": "CNN", "optim::lr": 0.0003})");
        zooParams.close();
        QVERIFY(QFile::copy(out + "/state.pt", out + "/zoo/checkpoint_000005/checkpoints.pt"));
        const std::string network = (out + "/zoo/checkpoint_000005/checkpoints.pt").toStdString();
        QVERIFY(!locateOfficialSane(network).has_value());
        try {
            openEncoder(network);
            QFAIL("a checkpoint without a SANE run around it was read as an encoder");
        } catch (const FormatError &error) {
            QVERIFY2(QString(error.what()).contains("params.json") && QString(error.what()).contains("checkpoints.pt"), error.what());
        }
    }

    void importErrorsNameTheProblem()
    {
        if (!test::pythonHas("torch"))
            QSKIP("python3-torch is not installed");
        const QString out = mDir.path();
        if (!QFile::exists(out + "/state.pt"))
            test::runPython(OfficialSane, {WSE_TEST_DATA, out});
        QFile params(out + "/wrong.json");
        QVERIFY(params.open(QIODevice::WriteOnly));
        params.write(R"({"ae:i_dim": 23, "ae:d_model": 64, "ae:nhead": 4, "ae:num_layers": 3, "ae:lat_dim": 16,
                         "ae:max_positions": [50, 8, 30], "training::windowsize": 8})");
        params.close();
        SaneImportOptions options;
        options.state = (out + "/state.pt").toStdString();
        options.params = (out + "/wrong.json").toStdString();
        try {
            importOfficialSane(options);
            QFAIL("a checkpoint with 2 layers imported with a 3-layer configuration");
        } catch (const FormatError &error) {
            QVERIFY2(QString(error.what()).contains("missing transformer_encoder.transformer.2"), error.what());
        }
        QVERIFY_THROWS_EXCEPTION(FormatError, SaneEncoder::read(options.state)); // not ours: says to import
    }

    void standardisationAsTheOfficialCode()
    {
        Architecture arch;
        arch.name = "bn-net";
        arch.tensors = {{"conv.weight", {2, 3}}, {"conv.bias", {2}}, {"bn.running_mean", {2}}};
        std::vector<std::vector<float>> rows = {{1, 2, 3, 4, 5, 6, 7, 8, 0.5f, 1.5f}, {2, 2, 2, 4, 4, 4, 0, 0, 1, 3}};
        const LayerStandardization plain = LayerStandardization::compute(
            arch, 2, [&](int64_t i) { return rows[size_t(i)].data(); }, false);
        QCOMPARE(int(plain.layers.size()), 1); // BN ignored by default
        const LayerStandardization stats = LayerStandardization::compute(
            arch, 2, [&](int64_t i) { return rows[size_t(i)].data(); }, true);
        QCOMPARE(int(stats.layers.size()), 2);
        // conv: the bias is a column of the matrix; mean of per-checkpoint means, root of mean variance.
        const double m0 = 36.0 / 8, m1 = 18.0 / 8;
        double v0 = 0, v1 = 0;
        for (int i = 0; i < 8; ++i) {
            v0 += std::pow(rows[0][size_t(i)] - m0, 2) / 7;
            v1 += std::pow(rows[1][size_t(i)] - m1, 2) / 7;
        }
        QVERIFY(std::abs(stats.layers[0].mean - (m0 + m1) / 2) < 1e-9);
        QVERIFY(std::abs(stats.layers[0].std - std::sqrt((v0 + v1) / 2)) < 1e-9);
        // running_mean is its own "bias" partner: duplicated for the statistics, applied twice.
        const double mean = stats.layers[1].mean, std = stats.layers[1].std;
        QVERIFY(std::abs(mean - 1.5) < 1e-9);
        std::vector<float> row = rows[0];
        stats.apply(arch, row.data());
        QVERIFY(std::abs(row[8] - ((0.5 - mean) / std - mean) / std) < 1e-6);
        stats.invert(arch, row.data());
        for (size_t i = 0; i < row.size(); ++i)
            QVERIFY(std::abs(row[i] - rows[0][i]) < 1e-5);
        // The official json and back.
        const LayerStandardization back = LayerStandardization::fromOfficialJson(stats.toOfficialJson(), "test");
        QCOMPARE(back.layers[1].key, std::string("bn.running_mean"));
        QCOMPARE(back.layers[1].std, stats.layers[1].std);
        QVERIFY_THROWS_EXCEPTION(FormatError, LayerStandardization::fromOfficialJson(R"({"mode": "minmax"})", "x"));
    }
};

QTEST_GUILESS_MAIN(TestSane)
#include "test_sane.moc"
