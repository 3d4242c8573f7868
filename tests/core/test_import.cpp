// Importing a zoo in the official Model Zoos layout, made by python3-torch with the official CNN-s
// class; exporting its checkpoints back to PyTorch; adding single checkpoints.
#include "common/fixtures.h"

#include "checkpoint/checkpointfile.h"
#include "common/error.h"
#include "zoo/officialimport.h"
#include "zoo/sparsified.h"
#include "zoo/zoocheckpoints.h"
#include "zoo/zoostore.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace wse;

class TestImport : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir;
    QString mZooFolder;

private Q_SLOTS:
    void initTestCase()
    {
        if (!test::pythonHas("torch"))
            QSKIP("python3-torch is not installed");
        mZooFolder = mDir.filePath("tune_zoo_f_mnist_uniform");
        test::runPython(QString("import runpy, sys; sys.argv = ['', '%1']; runpy.run_path('%2', run_name='__main__')")
                            .arg(mZooFolder, QString(WSE_TEST_DATA) + "/make_official_zoo.py"));
    }

    void importsGoodModelsAndReportsBrokenOnes()
    {
        ImportReport report;
        const Zoo zoo = importOfficialZoo(mZooFolder.toStdString(), report);
        QCOMPARE(report.modelsFound, int64_t(5));
        QCOMPARE(report.modelsImported, int64_t(2));
        QCOMPARE(report.checkpointsImported, int64_t(6));
        QCOMPARE(report.skipped.size(), size_t(3));
        QVERIFY(QString::fromStdString(report.skipped[0].first).contains("seed=3"));
        QVERIFY(QString::fromStdString(report.skipped[0].second).contains("checkpoint_000001/checkpoints"));
        QVERIFY(QString::fromStdString(report.skipped[1].second).contains("NaN in weights"));
        QVERIFY(QString::fromStdString(report.skipped[2].second).contains("no result.json"));

        // One architecture for both models: the dropout model's shifted keys map by order.
        QCOMPARE(zoo.architectures.size(), size_t(1));
        QCOMPARE(zoo.architectures[0].name, std::string("cnn-s"));
        QCOMPARE(zoo.checkpointValue(0, "dataset"), std::string("fashion-mnist"));
        QCOMPARE(zoo.checkpointValue(0, "activation"), std::string("tanh"));
        QCOMPARE(zoo.checkpointValue(3, "dropout"), std::string("0.5"));
        QVERIFY(QString::fromStdString(zoo.checkpointValue(3, "state_dict_keys")).contains("module_list.14.weight"));
        QVERIFY(zoo.checkpointValue(0, "state_dict_keys").empty());

        // Metrics keyed by training_iteration; NaN from the bare token; ggap computed.
        const Column &accuracy = zoo.checkpoints.get("test_acc");
        QVERIFY(std::fabs(accuracy.number(2) - (0.1 + 0.4 + 0.001)) < 1e-12);
        QVERIFY(std::isnan(zoo.checkpoints.get("val_loss").number(0)));
        QVERIFY(std::fabs(zoo.checkpoints.get("ggap").number(2) - 0.01) < 1e-9);
        QCOMPARE(zoo.curves.rowCount(), int64_t(6));

        const std::string path = mDir.filePath("imported.h5").toStdString();
        ZooStore::write(zoo, path);
        QCOMPARE(ZooStore::read(path).checkpointCount(), int64_t(6));
    }

    void exportedCheckpointsLoadIntoTheOfficialClassUnchanged()
    {
        ImportReport report;
        const std::string path = mDir.filePath("exported-from.h5").toStdString();
        ZooStore::write(importOfficialZoo(mZooFolder.toStdString(), report), path);
        const Zoo zoo = ZooStore::read(path, false);
        for (int model = 0; model < 2; ++model) {
            const std::string id = zoo.models.get("model_id").text(model);
            const QString out = mDir.filePath(QString("export%1.pt").arg(model));
            writeCheckpoint(out.toStdString(), exportCheckpoint(path, id, 2));
            const QString original = QString::fromStdString(zoo.models.get("source").text(model)) +
                                     (model == 0 ? "/checkpoint_000002/checkpoints" : "/checkpoint_2/checkpoints");
            const QString script = QString(R"(
import sys, runpy, torch
zoo = runpy.run_path('%1')
model = zoo['cnn_s'](%2)
model.load_state_dict(torch.load(sys.argv[1]))  # strict
reference = torch.load(sys.argv[2])
assert all(torch.equal(model.state_dict()[k], reference[k]) for k in reference)
print('ok')
)").arg(QString(WSE_TEST_DATA) + "/make_official_zoo.py", model == 0 ? "0.0" : "0.5");
            QCOMPARE(test::runPython(script, {out, original}).trimmed(), QString("ok"));
        }
    }

    void sparsifiedZoosImportWithTheOfficialMasks()
    {
        const QString folder = mDir.filePath("sparse_zoo_mnist_ard");
        const QString maker = QString(WSE_TEST_DATA) + "/make_official_zoo.py";
        test::runPython(QString("import runpy, sys; sys.argv = ['', '%1', '--sparse', '--models', '2']; "
                                "runpy.run_path('%2', run_name='__main__')").arg(folder, maker));
        ImportReport report;
        const Zoo zoo = importOfficialZoo(folder.toStdString(), report);
        QCOMPARE(report.modelsImported, int64_t(2));
        QCOMPARE(zoo.architectures.size(), size_t(1));
        QCOMPARE(zoo.architectures[0].name, std::string("cnn-s")); // the dense layout, log_sigma2 gone
        // The weights are what the official ARD layers compute with (python3-torch applies the
        // official formula); the checkpoint records the share of weights masked.
        const std::string exported = mDir.filePath("sparse-export.pt").toStdString();
        const std::string path = mDir.filePath("sparse.h5").toStdString();
        ZooStore::write(zoo, path);
        writeCheckpoint(exported, exportCheckpoint(path, zoo.models.get("model_id").text(1), 2));
        const QString original = QString::fromStdString(zoo.models.get("source").text(1)) + "/checkpoint_000002/checkpoints";
        const QString script = QString(R"(
import sys, runpy, torch
zoo = runpy.run_path('%1')
expected = zoo['official_masked'](torch.load(sys.argv[2]))
ours = torch.load(sys.argv[1])
assert list(ours) == list(expected), (list(ours), list(expected))
assert all(torch.equal(ours[k], expected[k]) for k in expected)
weights = [v for k, v in expected.items() if k.endswith('.weight')]
print(sum(int((w == 0).sum()) for w in weights) / sum(w.numel() for w in weights))
)").arg(maker);
        const double sparsity = test::runPython(script, {QString::fromStdString(exported), original}).trimmed().toDouble();
        QVERIFY(sparsity > 0.2 && sparsity < 0.5); // log_alpha uniform in [-6, 8]: about 5/14 pruned
        int64_t last = -1;
        for (int64_t c = 0; c < zoo.checkpointCount(); ++c)
            if (zoo.checkpointValue(c, zoocol::ModelId) == zoo.models.get("model_id").text(1) && zoo.checkpointValue(c, "epoch") == "2")
                last = c;
        QVERIFY(std::abs(zoo.checkpoints.get("sparsity").number(last) - sparsity) < 1e-12);
        QVERIFY(std::abs(zoo.checkpoints.get("sparsity_ratio").number(last) - 0.2) < 1e-12);

        // A log_sigma2 without its weight is refused, naming the file.
        StateDict orphan;
        const float value = 1.0f;
        orphan.entries.emplace_back("module_list.0.log_sigma2", TensorBuffer::fromFloat({1}, &value));
        try {
            applyVariationalDropoutMasks(orphan, "orphan.pt");
            QFAIL("a log_sigma2 without a weight must be refused");
        } catch (const FormatError &error) {
            QVERIFY(QString(error.what()).contains("orphan.pt"));
        }
    }

    void addsCheckpointsWithMetadata()
    {
        const std::string path = mDir.filePath("added.h5").toStdString();
        ImportReport report;
        ZooStore::write(importOfficialZoo(mZooFolder.toStdString(), report), path);
        const std::string source = mDir.filePath("single.pt").toStdString();
        writeCheckpoint(source, exportCheckpoint(path, ZooStore::read(path, false).models.get("model_id").text(0), 1));
        const std::vector<std::string> ids =
            addCheckpoints(path, {source, source}, {{"epoch", "7"}, {"test_acc", "0.5"}, {"note", "hand-made"}});
        QCOMPARE(ids, (std::vector<std::string>{"single", "single-2"}));
        const Zoo zoo = ZooStore::read(path);
        QCOMPARE(zoo.modelCount(), int64_t(4));
        QCOMPARE(zoo.architectures.size(), size_t(1)); // matched by shapes
        const int64_t last = zoo.checkpointCount() - 1;
        QCOMPARE(zoo.checkpointValue(last, "epoch"), std::string("7"));
        QCOMPARE(zoo.checkpointValue(last, "test_acc"), std::string("0.5"));
        QCOMPARE(zoo.checkpointValue(last, "note"), std::string("hand-made"));
        QVERIFY_THROWS_EXCEPTION(UsageError, addCheckpoints(path, {source}, {{"epoch", "late"}}));
    }

    void emptyOrForeignFoldersAreRefused()
    {
        ImportReport report;
        QVERIFY_THROWS_EXCEPTION(IoError, importOfficialZoo(mDir.filePath("nothing-here").toStdString(), report));
        QDir(mDir.path()).mkdir("empty");
        try {
            importOfficialZoo(mDir.filePath("empty").toStdString(), report);
            QFAIL("an empty folder must be refused");
        } catch (const IoError &error) {
            QVERIFY(QString(error.what()).contains("params.json"));
        }
    }

    void pythonJsonTokensOutsideStringsOnly()
    {
        QCOMPARE(QString::fromStdString(pythonJsonToStrictJson(R"({"a": NaN, "b": -Infinity, "c": "NaN Infinity"})")),
                 QString(R"({"a": null, "b": "-Infinity", "c": "NaN Infinity"})"));
    }
};

QTEST_GUILESS_MAIN(TestImport)
#include "test_import.moc"
