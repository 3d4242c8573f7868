// The SANE pipeline on a small zoo: token layouts against the reference tokenizer, halo windows,
// training with an interruption and resume, embeddings of a zoo, probes and the filter language.
#include "common/fixtures.h"

#include "analysis/filterexpression.h"
#include "analysis/probe.h"
#include "analysis/selection.h"
#include "checkpoint/checkpointfile.h"
#include "common/error.h"
#include "jobs/progress.h"
#include "sane/halo.h"
#include "sane/permutation.h"
#include "sane/sanedata.h"
#include "sane/saneembedder.h"
#include "sane/sanemodel.h"
#include "sane/sanetrainer.h"
#include "sane/tokenlayout.h"
#include "sane/zooembedding.h"
#include "sane/zooprobe.h"
#include "zoo/zoostore.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <map>
#include <random>
#include <set>

using namespace wse;

class TestSanePipeline : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir;
    std::string mZoo;

    static StateDict stateDictOf(const Architecture &arch, const float *row)
    {
        StateDict sd;
        for (const TensorSpec &tensor : arch.tensors) {
            sd.entries.emplace_back(tensor.key, TensorBuffer::fromFloat(tensor.shape, row));
            row += tensor.numel();
        }
        return sd;
    }

    SaneTrainOptions tinyRun(const std::string &folder) const
    {
        SaneTrainOptions options;
        options.zooPath = mZoo;
        options.runDir = mDir.filePath(QString::fromStdString(folder)).toStdString();
        options.device = "cpu";
        options.config = SaneConfig::preset("tiny");
        options.config.tokenSize = 64;
        options.config.epochs = 3;
        return options;
    }

private Q_SLOTS:
    void initTestCase()
    {
        mZoo = mDir.filePath("zoo.h5").toStdString();
        ZooStore::write(test::makeSyntheticZoo(3, 4, 3), mZoo); // 12 CNN-s models, 48 checkpoints
    }

    void tokenLayoutIsTheTokenizerOnStandardisedWeights()
    {
        const Zoo zoo = ZooStore::read(mZoo);
        const Architecture &arch = zoo.architectures[0];
        const WeightMatrix &w = zoo.weights[0];
        const LayerStandardization stats =
            LayerStandardization::compute(arch, w.rows, [&](int64_t i) { return w.row(i); }, false);
        for (const TokenizeOptions options : {TokenizeOptions{0, false}, TokenizeOptions{7, false}}) {
            const TokenLayout layout(arch, options, stats);
            std::vector<float> standardised(w.row(5), w.row(5) + w.cols);
            stats.apply(arch, standardised.data());
            const TokenSequence expected = tokenize(stateDictOf(arch, standardised.data()), options);
            QCOMPARE(layout.length(), expected.count);
            QCOMPARE(layout.positions(), expected.positions);
            std::vector<float> tokens(expected.tokens.size());
            layout.tokens(w.row(5), tokens.data());
            for (size_t i = 0; i < tokens.size(); ++i)
                QVERIFY(std::abs(tokens[i] - expected.tokens[i]) < 1e-5f);
            std::vector<float> back(size_t(w.cols), 0.0f);
            layout.untokens(tokens.data(), back.data());
            for (int64_t i = 0; i < w.cols; ++i)
                QVERIFY(std::abs(back[size_t(i)] - w.row(5)[i]) <= 1e-5f * std::max(1.0f, std::abs(w.row(5)[i])));
        }
    }

    void permutedNetworksComputeTheSameFunction()
    {
        if (!test::pythonHas("torch"))
            QSKIP("python3-torch is not installed");
        const Zoo zoo = ZooStore::read(mZoo);
        const Architecture &arch = zoo.architectures[0];
        std::vector<float> row(zoo.weights[0].row(7), zoo.weights[0].row(7) + zoo.weights[0].cols);
        std::vector<float> permuted = row;
        std::mt19937_64 random(3);
        NeuronPermuter(arch).permute(permuted.data(), random);
        QVERIFY(permuted != row);
        std::vector<float> a = row, b = permuted;
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
        QCOMPARE(a, b); // the same values, moved
        const QString original = mDir.filePath("original.pt"), shuffled = mDir.filePath("permuted.pt");
        writeCheckpoint(original.toStdString(), stateDictOf(arch, row.data()));
        writeCheckpoint(shuffled.toStdString(), stateDictOf(arch, permuted.data()));
        const QString difference = test::runPython(R"(
import runpy, sys, torch
cnn_s = runpy.run_path(sys.argv[1])["cnn_s"]
a, b = cnn_s(0.0), cnn_s(0.0)
a.load_state_dict(torch.load(sys.argv[2])); b.load_state_dict(torch.load(sys.argv[3]))
def run(net, x):
    for layer in net.module_list: x = layer(x)
    return x
x = torch.randn(16, 1, 28, 28)
with torch.no_grad():
    print(float((run(a, x) - run(b, x)).abs().max() / run(a, x).abs().max()))
)", {QString(WSE_TEST_DATA) + "/make_official_zoo.py", original, shuffled});
        QVERIFY2(difference.toDouble() < 1e-5, qPrintable(difference));
        Architecture odd = arch;
        odd.tensors[2].shape = {6, 7, 5, 5}; // inputs that do not follow from the 8 outputs before
        QVERIFY_THROWS_EXCEPTION(UsageError, NeuronPermuter{odd});
    }

    void weightMatchingUndoesPermutationsAndAlignsModels()
    {
        // Networks with Gaussian weights, as after initialisation (generic: no two units alike).
        const Architecture arch = cnnSmall();
        const NeuronPermuter permuter(arch);
        std::mt19937 gaussianSource(11);
        std::normal_distribution<float> gaussian(0.0f, 0.3f);
        auto randomRow = [&] {
            std::vector<float> values(static_cast<size_t>(arch.numel()));
            for (float &v : values)
                v = gaussian(gaussianSource);
            return values;
        };
        const std::vector<float> row = randomRow(), otherRow = randomRow();
        // A permuted copy matched to its original gets its original order back exactly.
        std::vector<float> permuted = row;
        std::mt19937_64 random(5);
        permuter.permute(permuted.data(), random);
        QVERIFY(permuted != row);
        const NeuronPermuter::Orders orders = permuter.match(permuted.data(), row.data(), random);
        std::vector<float> aligned = permuted;
        permuter.apply(aligned.data(), orders);
        QCOMPARE(aligned, row);
        // Another model moves closer to the reference (higher inner product) and keeps its values.
        const float *other = otherRow.data();
        std::vector<float> moved = otherRow;
        permuter.apply(moved.data(), permuter.match(other, row.data(), random));
        auto dot = [&](const float *a) {
            double sum = 0;
            for (size_t i = 0; i < row.size(); ++i)
                sum += double(a[i]) * row[i];
            return sum;
        };
        QVERIFY2(dot(moved.data()) >= dot(other), qPrintable(QString("%1 < %2").arg(dot(moved.data())).arg(dot(other))));
        std::vector<float> a = otherRow, b = moved;
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
        QCOMPARE(a, b);

        // The embedder aligns checkpoints to the encoder's reference before tokenising: a permuted
        // copy of a network then gets exactly the original's per-token latents, unaligned it does not.
        SaneEncoder encoder;
        encoder.config = SaneConfig::preset("tiny");
        encoder.config.tokenSize = 64;
        encoder.config.maxPositions = {128, 8, 32};
        encoder.architecture = arch;
        for (const TensorSpec &tensor : arch.tensors)
            if (tensor.key.find("weight") != std::string::npos)
                encoder.normalization.layers.push_back({tensor.key, 0.0, 0.3});
        encoder.weights = SaneModel(encoder.config, "cpu").stateDict();
        encoder.reference = row;
        std::vector<float> copy = otherRow;
        permuter.permute(copy.data(), random);
        auto latentGap = [&](const std::string &align) {
            EmbedOptions options;
            options.device = "cpu";
            options.align = align;
            SaneEmbedder embedder(encoder, arch, options);
            const std::vector<float> original = embedder.latents(otherRow.data(), 1), permutedCopy = embedder.latents(copy.data(), 1);
            double gap = 0;
            for (size_t i = 0; i < original.size(); ++i)
                gap = std::max(gap, double(std::fabs(original[i] - permutedCopy[i])));
            return gap;
        };
        const double alignedGap = latentGap("reference"), unalignedGap = latentGap("none");
        QVERIFY2(alignedGap == 0.0 && unalignedGap > 1e-3, qPrintable(QString("aligned %1, unaligned %2").arg(alignedGap).arg(unalignedGap)));
        QCOMPARE(latentGap("auto"), alignedGap); // the encoder has a reference: auto aligns
        encoder.reference.clear();
        QVERIFY_THROWS_EXCEPTION(UsageError, latentGap("reference"));
    }

    void haloWindowsCoverEveryTokenOnce()
    {
        // sane-spec §13.5: ResNet-18 with BN, c 128, h 64: 420 chunks of 256.
        const std::vector<HaloChunk> chunks = haloChunks(53704, 128, 64);
        QCOMPARE(int(chunks.size()), 420);
        QCOMPARE(chunks[1].start, int64_t(64));
        QCOMPARE(chunks.back().start, int64_t(53704 - 256));
        for (const int64_t n : {int64_t(53704), int64_t(39304), int64_t(300), int64_t(257), int64_t(100)}) {
            std::vector<int> covered(static_cast<size_t>(n), 0);
            for (const HaloChunk &chunk : haloChunks(n, 128, 64)) {
                QVERIFY(chunk.start >= 0 && chunk.start + chunk.length <= n);
                for (int64_t t = 0; t < chunk.keepCount; ++t)
                    ++covered[size_t(chunk.start + chunk.keepFrom + t)];
            }
            QVERIFY2(std::all_of(covered.begin(), covered.end(), [](int c) { return c == 1; }), QByteArray::number(qlonglong(n)));
        }
    }

    void splitsByModel()
    {
        std::vector<std::string> ids;
        for (int i = 0; i < 100; ++i)
            ids.push_back("m" + std::to_string(i));
        const auto split = splitModels(ids, 42, {0.7, 0.15, 0.15});
        int counts[3] = {0, 0, 0};
        for (const auto &[id, name] : split)
            ++counts[name == "train" ? 0 : name == "val" ? 1 : 2];
        QCOMPARE(counts[0], 70);
        QCOMPARE(counts[1], 15);
        QCOMPARE(counts[2], 15);
        QCOMPARE(splitModels(ids, 42, {0.7, 0.15, 0.15}), split); // deterministic
        QVERIFY(splitModels(ids, 43, {0.7, 0.15, 0.15}) != split);
        const auto three = splitModels({"a", "b", "c"}, 1, {0.7, 0.15, 0.15});
        std::set<std::string> names;
        for (const auto &entry : three)
            names.insert(entry.second);
        QCOMPARE(int(names.size()), 3); // every split keeps a model
    }

    void trainingResumesWhereItStopped()
    {
        SaneTrainOptions permuted = tinyRun("permuted"); // views of two neuron orders
        permuted.config.permuteView = true;
        permuted.config.epochs = 1;
        QVERIFY(std::isfinite(trainSane(permuted, nullptr).front().loss));
        const std::vector<SaneEpochLog> straight = trainSane(tinyRun("straight"), nullptr);
        QCOMPARE(int(straight.size()), 3);
        QVERIFY(straight.back().loss < straight.front().loss);
        QVERIFY(std::isfinite(straight.back().valLoss) && straight.back().valLoss > 0);

        // Stop during epoch 2, then run again: same result as the uninterrupted run.
        const SaneTrainOptions options = tinyRun("interrupted");
        ProgressReporter stopper([](const ProgressInfo &info) { return info.stage.rfind("epoch 2", 0) != 0; });
        QVERIFY_THROWS_EXCEPTION(Cancelled, trainSane(options, &stopper));
        QCOMPARE(int(readSaneLog(options.runDir).size()), 1);
        const std::vector<SaneEpochLog> resumed = trainSane(options, nullptr);
        QCOMPARE(int(resumed.size()), 3);
        for (int e = 0; e < 3; ++e)
            QVERIFY2(std::abs(resumed[size_t(e)].loss - straight[size_t(e)].loss) < 1e-6, QByteArray::number(e));
        const SaneEncoder a = SaneEncoder::read(tinyRun("straight").runDir + "/encoder.pt");
        const SaneEncoder b = SaneEncoder::read(options.runDir + "/encoder.pt");
        QCOMPARE(a.weights.entries.size(), b.weights.entries.size());
        for (size_t i = 0; i < a.weights.entries.size(); ++i) {
            const std::vector<float> x = a.weights.entries[i].second.toFloat(), y = b.weights.entries[i].second.toFloat();
            for (size_t j = 0; j < x.size(); ++j)
                QVERIFY(std::abs(x[j] - y[j]) < 1e-5f);
        }
        // A different configuration in the same folder is refused.
        SaneTrainOptions other = options;
        other.config.latent = 4;
        QVERIFY_THROWS_EXCEPTION(UsageError, trainSane(other, nullptr));
        // A window longer than the sequence says so.
        SaneTrainOptions tooLong = tinyRun("long");
        tooLong.config.windowSize = 500;
        try {
            trainSane(tooLong, nullptr);
            QFAIL("a window of 500 tokens was accepted");
        } catch (const UsageError &error) {
            QVERIFY2(QString(error.what()).contains("longer than the token sequence"), error.what());
        }
    }

    void embeddingsAndProbes()
    {
        const std::string encoder = tinyRun("straight").runDir + "/encoder.pt";
        QVERIFY(QFile::exists(QString::fromStdString(encoder)));
        Embeddings full = embedZoo(encoder, mZoo, EmbedOptions::defaults(), nullptr);
        QCOMPARE(full.count(), int64_t(48));
        QCOMPARE(full.dims, int64_t(8));
        QCOMPARE(full.encoderId, SaneEncoder::read(encoder).id());
        // Every checkpoint carries the split its model had when the encoder was trained.
        std::set<std::string> splits;
        for (int64_t r = 0; r < full.count(); ++r)
            splits.insert(full.rows.get("split").text(r));
        QCOMPARE(splits, (std::set<std::string>{"test", "train", "val"}));
        // Windowed embedding with one window covering the sequence equals the full pass.
        EmbedOptions wide;
        wide.mode = "windowed";
        wide.content = 200;
        wide.halo = 0;
        const Embeddings windowed = embedZoo(encoder, mZoo, wide, nullptr);
        for (size_t i = 0; i < full.values.size(); ++i)
            QVERIFY(std::abs(full.values[i] - windowed.values[i]) < 1e-5f);
        // Checkpoints embedded one per pass get what they get in a batch shared among the CPU's
        // workers (two or more passes side by side on this machine).
        EmbedOptions onePerPass;
        onePerPass.batchTokens = 1;
        const Embeddings single = embedZoo(encoder, mZoo, onePerPass, nullptr);
        for (size_t i = 0; i < full.values.size(); ++i)
            QVERIFY(std::abs(full.values[i] - single.values[i]) < 1e-5f);
        const std::string path = mDir.filePath("emb.h5").toStdString();
        full.write(path);
        const Embeddings back = Embeddings::read(path);
        QCOMPARE(back.values, full.values);
        QCOMPARE(back.rows.get("model_id").texts(), full.rows.get("model_id").texts());

        ZooProbeOptions probe;
        probe.zooPath = mZoo;
        probe.embeddingsPath = path;
        const ZooProbeReport report = probeZoo(probe);
        QVERIFY(report.splitSource.find("encoder") != std::string::npos);
        QVERIFY(!report.sane.empty());
        QCOMPARE(report.sane.front().target, std::string("test_acc"));
        // The synthetic clusters differ in weight scale: the LQ statistics see them perfectly.
        bool sawInit = false;
        for (size_t i = 0; i < report.baseline.size(); ++i)
            if (report.baseline[i].target == "init") {
                sawInit = true;
                QCOMPARE(report.baseline[i].test, 1.0);
            }
        QVERIFY(sawInit);
        QVERIFY(report.toJson().find("\"baseline_lq\"") != std::string::npos);
        // The spectral baseline rides along: one result per target, its features the layers' metrics.
        QCOMPARE(report.spectral.size(), report.sane.size());
        QVERIFY(report.spectralDims > 0 && report.spectralDims % 6 == 0);
        QVERIFY(report.toJson().find("\"baseline_spectral\"") != std::string::npos);
    }

    void ridgeProbeFindsALinearTarget()
    {
        std::mt19937 random(1);
        std::normal_distribution<double> gaussian;
        const int64_t n = 1000, d = 5;
        std::vector<double> x(size_t(n * d)), y(static_cast<size_t>(n));
        std::vector<ProbeSplit> split(static_cast<size_t>(n));
        std::vector<std::string> labels(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i) {
            for (int64_t j = 0; j < d; ++j)
                x[size_t(i * d + j)] = gaussian(random);
            y[size_t(i)] = 2 * x[size_t(i * d)] - x[size_t(i * d + 3)] + 0.01 * gaussian(random) + 5;
            labels[size_t(i)] = x[size_t(i * d + 1)] > 0 ? "pos" : "neg";
            split[size_t(i)] = i < 700 ? ProbeSplit::Train : i < 850 ? ProbeSplit::Val : ProbeSplit::Test;
        }
        y[7] = NAN; // dropped, not fatal
        const ProbeResult r = ridgeProbe("y", x, d, y, split);
        QVERIFY2(r.test > 0.999, QByteArray::number(r.test));
        QVERIFY(r.lambda <= 1.0);
        QCOMPARE(r.trainCount, int64_t(699));
        const ProbeResult c = classificationProbe("sign", x, d, labels, split);
        QVERIFY2(c.test > 0.9, qPrintable(QString("%1 %2 %3 %4").arg(c.train).arg(c.val).arg(c.test).arg(c.lambda)));
        QVERIFY(c.chance < 0.7);
        // Noise features: R^2 near zero or below, never a fake fit.
        std::vector<double> noise(size_t(n * d));
        for (double &v : noise)
            v = gaussian(random);
        QVERIFY(ridgeProbe("y", noise, d, y, split).test < 0.1);
    }

    void mapSelectionAsExpression()
    {
        // A selection picked on the map becomes an expression that matches exactly those
        // checkpoints (sampling anchors, `wse sample --anchors`), whatever the selection.
        const Zoo zoo = test::makeSyntheticZoo(3, 4, 3);
        std::map<std::string, Column> columns;
        auto column = [&](const std::string &name) -> const Column * {
            if (!columns.count(name))
                columns.emplace(name, zoo.checkpointColumn(name));
            return &columns.at(name);
        };
        std::mt19937 random(5);
        for (int trial = 0; trial < 20; ++trial) {
            std::vector<int64_t> picked;
            std::vector<bool> wanted(size_t(zoo.checkpointCount()), false);
            for (int64_t c = 0; c < zoo.checkpointCount(); ++c)
                if (random() % (trial + 2) == 0) {
                    picked.push_back(c);
                    wanted[size_t(c)] = true;
                }
            const std::string expression = selectionExpression(zoo, picked);
            if (picked.empty()) {
                QVERIFY(expression.empty());
                continue;
            }
            QCOMPARE(FilterExpression::parse(expression).evaluate(column, zoo.checkpointCount()), wanted);
        }
        // Whole trajectories (every epoch of some models) read as one clause.
        std::vector<int64_t> trajectories;
        for (int64_t c = 0; c < zoo.checkpointCount(); ++c)
            if (zoo.checkpointValue(c, "model_id") == zoo.checkpointValue(0, "model_id") ||
                zoo.checkpointValue(c, "model_id") == zoo.checkpointValue(zoo.checkpointCount() - 1, "model_id"))
                trajectories.push_back(c);
        const QString whole = QString::fromStdString(selectionExpression(zoo, trajectories));
        QVERIFY2(whole.startsWith("(epoch in [0, 1, 2, 3] && model_id in [") && !whole.contains("||"), qPrintable(whole));

        // Anchors must share what a generated network has one of; the problem names the values.
        std::string problem;
        QCOMPARE(sharedValue(zoo, {0, 1}, "init", &problem), zoo.checkpointValue(0, "init"));
        QVERIFY(problem.empty());
        const int64_t last = zoo.checkpointCount() - 1;
        QVERIFY(sharedValue(zoo, {0, last}, "init", &problem).empty());
        QVERIFY2(QString::fromStdString(problem).contains("mix init values (init_0, init_2)"), problem.c_str());
    }

    void filterExpressions()
    {
        Table table;
        table.addColumn(Column::texts("activation", {"tanh", "relu", "tanh", "gelu"}));
        table.addColumn(Column::numbers("test_acc", {0.8, 0.9, 0.6, 0.75}));
        table.addColumn(Column::numbers("epoch", {5, 10, 10, 3}));
        auto column = [&](const std::string &name) { return table.find(name); };
        auto run = [&](const std::string &text) { return FilterExpression::parse(text).evaluate(column, 4); };
        QCOMPARE(run(R"(activation == "tanh" && test_acc > 0.7 && epoch in [5, 10])"), (std::vector<bool>{true, false, false, false}));
        QCOMPARE(run("activation != 'tanh' or not (epoch >= 5)"), (std::vector<bool>{false, true, false, true}));
        QCOMPARE(run("(test_acc < 0.7 || epoch == 3) && !(activation == \"relu\")"), (std::vector<bool>{false, false, true, true}));
        QCOMPARE(run("activation in [\"gelu\", \"relu\"]"), (std::vector<bool>{false, true, false, true}));
        auto error = [&](const std::string &text) -> QString {
            try {
                run(text);
            } catch (const UsageError &e) {
                return e.what();
            }
            return "no error";
        };
        QVERIFY2(error("tst_acc > 0.5").contains("unknown column 'tst_acc' at column 1"), qPrintable(error("tst_acc > 0.5")));
        QVERIFY(error("test_acc > ").contains("at column 12"));
        QVERIFY(error("activation = \"tanh\"").contains("use == to compare"));
        QVERIFY(error("activation > 3").contains("cannot compare text with a number"));
        QVERIFY(error("test_acc > 0.5 && (epoch == 3").contains("expected ')'"));
        QVERIFY(error("epoch in 5").contains("expected '[' after 'in'"));
        QVERIFY(error("\"tanh").contains("unterminated"));
    }
};

QTEST_GUILESS_MAIN(TestSanePipeline)
#include "test_sanepipeline.moc"
