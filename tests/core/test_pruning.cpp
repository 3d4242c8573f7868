// Pruned twins: the magnitude masks are torch.nn.utils.prune's (per layer and global), twins are
// evaluated, keep their masks through fine-tuning, name their dense source and are drawn linked
// to it; bad requests are refused with the reason.
#include "common/fixtures.h"

#include "analysis/weightmap.h"
#include "checkpoint/checkpointfile.h"
#include "common/error.h"
#include "training/pruning.h"
#include "training/zootrainer.h"
#include "zoo/zoostore.h"

#include <QTemporaryDir>
#include <QtTest>

#include <random>

using namespace wse;

class TestPruning : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir;

    std::string trainedZoo()
    {
        const std::string path = mDir.filePath("zoo.h5").toStdString();
        if (!QFile::exists(QString::fromStdString(path))) {
            ZooTrainOptions options;
            options.activations = {"tanh"};
            options.seeds = {1, 2, 3};
            options.epochs = 2;
            options.trainLimit = 1000;
            options.testLimit = 500;
            options.device = "cpu";
            trainZoo(options, path, {});
        }
        return path;
    }

private Q_SLOTS:
    void masksAreTorchPrunesMasks()
    {
        if (!test::pythonHas("torch"))
            QSKIP("python3-torch is not installed");
        const Architecture arch = cnnSmall(); // conv and linear weights, biases
        std::vector<float> row(size_t(arch.numel()));
        std::mt19937 random(3);
        std::normal_distribution<float> gaussian;
        for (float &v : row)
            v = gaussian(random);
        StateDict dense;
        const float *values = row.data();
        for (const TensorSpec &tensor : arch.tensors) {
            dense.entries.emplace_back(tensor.key, TensorBuffer::fromFloat(tensor.shape, values));
            values += tensor.numel();
        }
        const QString densePath = mDir.filePath("dense.pt");
        writeCheckpoint(densePath.toStdString(), dense);
        for (const bool global : {false, true})
            for (const double sparsity : {0.5, 0.83}) {
                std::vector<float> pruned = row;
                const double reached = magnitudePrune(arch, pruned.data(), sparsity, global);
                const QString expected = mDir.filePath("expected.pt");
                test::runPython(R"(
import sys, torch
import torch.nn.utils.prune as prune
sd = torch.load(sys.argv[1])
holders = {k: torch.nn.Module() for k in sd if k.endswith('.weight') and sd[k].dim() >= 2}
for k, m in holders.items():
    m.weight = torch.nn.Parameter(sd[k].clone())
amount = float(sys.argv[3])
if sys.argv[4] == 'global':
    prune.global_unstructured([(m, 'weight') for m in holders.values()], pruning_method=prune.L1Unstructured, amount=amount)
else:
    for m in holders.values():
        prune.l1_unstructured(m, 'weight', amount=amount)
out = {k: (holders[k].weight.detach() if k in holders else v) for k, v in sd.items()}
torch.save(out, sys.argv[2])
)",
                                {densePath, expected, QString::number(sparsity), global ? "global" : "layer"});
                const StateDict reference = readCheckpoint(expected.toStdString());
                const float *ours = pruned.data();
                int64_t zeros = 0, weights = 0;
                for (const TensorSpec &tensor : arch.tensors) {
                    const std::vector<float> theirs = reference.find(tensor.key)->toFloat();
                    for (int64_t i = 0; i < tensor.numel(); ++i)
                        QVERIFY2((ours[i] == 0.0f) == (theirs[size_t(i)] == 0.0f),
                                 qPrintable(QString::fromStdString(tensor.key) + " differs at " + QString::number(i)));
                    if (tensor.shape.size() >= 2) {
                        weights += tensor.numel();
                        zeros += std::count(ours, ours + tensor.numel(), 0.0f);
                    }
                    ours += tensor.numel();
                }
                QCOMPARE(reached, double(zeros) / double(weights));
            }
    }

    void twinsAreEvaluatedKeepTheirMaskAndLinkToTheirSource()
    {
        if (!test::haveFashionMnist())
            QSKIP("dataset-fashion-mnist is not installed");
        PruneOptions options;
        options.zooPath = trainedZoo();
        options.output = mDir.filePath("twins.h5").toStdString();
        options.sparsities = {0.5, 0.9};
        options.finetuneEpochs = 1;
        options.device = "cpu";
        const PruneReport report = pruneCheckpoints(options, nullptr);
        QCOMPARE(report.twins.size(), size_t(3 * 2)); // each model's last epoch, two sparsities
        for (const PrunedTwin &twin : report.twins) {
            QVERIFY(std::abs(twin.sparsity - twin.targetSparsity) < 0.01);
            QVERIFY(twin.source.find(":2") != std::string::npos);
            QCOMPARE(twin.finetunedTestAccuracy.size(), size_t(1));
        }
        // A 90% twin loses accuracy against its dense source; fine-tuning with the mask wins some back.
        double dense = 0, pruned = 0, tuned = 0;
        for (const PrunedTwin &twin : report.twins)
            if (twin.targetSparsity > 0.8) {
                dense += twin.denseTestAccuracy;
                pruned += twin.prunedTestAccuracy;
                tuned += twin.finetunedTestAccuracy.back();
            }
        QVERIFY2(pruned < dense && tuned > pruned, qPrintable(QStringLiteral("%1 %2 %3").arg(dense).arg(pruned).arg(tuned)));

        const Zoo twins = ZooStore::read(options.output);
        QCOMPARE(twins.modelCount(), int64_t(3 + 6));
        QCOMPARE(twins.checkpointCount(), int64_t(3 + 6 * 2));
        const Column &model = twins.checkpoints.get(zoocol::Model);
        const Column &rowOf = twins.checkpoints.get(zoocol::WeightRow);
        for (int64_t c = 0; c < twins.checkpointCount(); ++c) {
            const int64_t m = int64_t(model.number(c));
            if (twins.models.get("origin").text(m) != "pruned")
                continue;
            const float *w = twins.weights[0].row(int64_t(rowOf.number(c)));
            int64_t zeros = 0, offset = 0, weights = 0;
            for (const TensorSpec &tensor : twins.architectures[0].tensors) {
                if (tensor.shape.size() >= 2) {
                    zeros += std::count(w + offset, w + offset + tensor.numel(), 0.0f);
                    weights += tensor.numel();
                }
                offset += tensor.numel();
            }
            QVERIFY(std::abs(double(zeros) / double(weights) - twins.models.get("sparsity").number(m)) < 1e-9);
        }
        // On a map of the file, each twin's line starts at its dense source.
        WeightMap map;
        for (int64_t c = 0; c < twins.checkpointCount(); ++c)
            map.checkpoints.push_back(c);
        int linked = 0;
        for (const std::vector<int> &line : map.trajectories(twins)) {
            const int64_t first = map.checkpoints[size_t(line.front())], second = map.checkpoints[size_t(line[1])];
            const int64_t twinModel = int64_t(model.number(second));
            if (twins.models.get("origin").text(twinModel) == "pruned") {
                QCOMPARE(twins.checkpointName(first), twins.models.get("source_checkpoint").text(twinModel));
                QCOMPARE(line.size(), size_t(3)); // source, pruned, fine-tuned
                ++linked;
            }
        }
        QCOMPARE(linked, 6);
    }

    void badRequestsAreRefused()
    {
        if (!test::haveFashionMnist())
            QSKIP("dataset-fashion-mnist is not installed");
        PruneOptions options;
        options.zooPath = trainedZoo();
        options.output = mDir.filePath("bad.h5").toStdString();
        options.sparsities = {1.0};
        QVERIFY_THROWS_EXCEPTION(UsageError, pruneCheckpoints(options, nullptr));
        options.sparsities = {0.5};
        options.checkpoints = "epoch > 99";
        try {
            pruneCheckpoints(options, nullptr);
            QFAIL("an empty selection must be refused");
        } catch (const UsageError &error) {
            QVERIFY(QString(error.what()).contains("epoch > 99"));
        }
        QVERIFY(!QFile::exists(QString::fromStdString(options.output)));
    }
};

QTEST_GUILESS_MAIN(TestPruning)
#include "test_pruning.moc"
