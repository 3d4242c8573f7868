// PyTorch checkpoint reading and writing, against python3-torch as the oracle.
#include "common/pythonoracle.h"

#include "checkpoint/checkpointfile.h"
#include "checkpoint/pickle.h"
#include "common/error.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace wse;

class TestCheckpoint : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir;
    QJsonObject mExpected;

    QString file(const QString &name) const { return mDir.filePath(name); }

    void expectRefusal(const QString &name, const QString &fragment)
    {
        try {
            readCheckpoint(file(name).toStdString());
            QFAIL(qPrintable(name + " was accepted"));
        } catch (const FormatError &error) {
            QVERIFY2(QString(error.what()).contains(fragment), error.what());
            QVERIFY2(QString(error.what()).contains(name), "the message must name the file");
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!test::pythonHas("torch"))
            QSKIP("python3-torch is not installed");
        test::runPython(QString("import runpy, sys; sys.argv = ['', '%1']; runpy.run_path('%2')")
                            .arg(mDir.path(), QString(WSE_TEST_DATA) + "/make_checkpoints.py"));
        QFile expected(file("expected.json"));
        QVERIFY(expected.open(QIODevice::ReadOnly));
        mExpected = QJsonDocument::fromJson(expected.readAll()).object();
    }

    void readsWhatPyTorchWrote_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *name : {"state_dict.pt", "dtypes.pt", "views.pt", "training_state.pt"})
            QTest::newRow(name) << QString(name);
    }
    void readsWhatPyTorchWrote()
    {
        QFETCH(QString, name);
        const StateDict sd = readCheckpoint(file(name).toStdString());
        const QJsonArray expected = mExpected[name].toArray();
        QCOMPARE(int(sd.entries.size()), expected.size());
        for (int i = 0; i < expected.size(); ++i) {
            const QJsonArray entry = expected[i].toArray();
            const auto &[key, tensor] = sd.entries[size_t(i)];
            QCOMPARE(QString::fromStdString(key), entry[0].toString()); // order preserved
            QCOMPARE(QString(dtypeName(tensor.dtype)), entry[1].toString() == "bool" ? "bool" : entry[1].toString());
            QJsonArray shape;
            for (int64_t d : tensor.shape)
                shape.append(qint64(d));
            QCOMPARE(shape, entry[2].toArray());
            const std::vector<float> values = tensor.toFloat();
            const QJsonArray want = entry[3].toArray();
            QCOMPARE(int(values.size()), want.size());
            for (int j = 0; j < want.size(); ++j)
                QVERIFY2(float(want[j].toDouble()) == values[size_t(j)],
                         qPrintable(QString("%1[%2]: %3 vs %4").arg(entry[0].toString()).arg(j).arg(values[size_t(j)]).arg(want[j].toDouble())));
        }
    }

    void trainingCheckpointNotesWhatWasSkipped()
    {
        const StateDict sd = readCheckpoint(file("training_state.pt").toStdString());
        QCOMPARE(sd.notes.size(), size_t(1));
        QVERIFY(QString::fromStdString(sd.notes[0]).contains("'model'"));
        QVERIFY(QString::fromStdString(sd.notes[0]).contains("optimizer, scheduler"));
    }

    void refusesMaliciousPicklesWithoutRunningThem()
    {
        expectRefusal("evil_system.pt", "refusing to load global 'posix.system'");
        expectRefusal("evil_eval.pt", "refusing to load global 'builtins.eval'");
        QVERIFY(!QFile::exists(file("PWNED")));
    }

    void explainsLegacyAndDamagedFiles()
    {
        expectRefusal("legacy.pt", "unsupported legacy PyTorch format");
        expectRefusal("truncated.pt", "truncated");
        expectRefusal("bad_crc.pt", "CRC mismatch");
        expectRefusal("short_storage.pt", "needs storage elements");
        expectRefusal("not_a_checkpoint.pt", "not a PyTorch checkpoint");
        QVERIFY_THROWS_EXCEPTION(IoError, readCheckpoint(file("missing.pt").toStdString()));
    }

    void pyTorchLoadsWhatWeWrite()
    {
        // Read PyTorch's files and write them back: torch.load must see identical tensors.
        for (const char *name : {"state_dict.pt", "dtypes.pt", "views.pt"}) {
            const StateDict sd = readCheckpoint(file(name).toStdString());
            writeCheckpoint(file(QString("ours_") + name).toStdString(), sd);
        }
        const QString script = R"(
import sys, torch, torch.nn as nn
d = sys.argv[1]
for name in ["state_dict.pt", "dtypes.pt", "views.pt"]:
    a = torch.load(d + "/" + name)
    b = torch.load(d + "/ours_" + name)
    assert list(a.keys()) == list(b.keys()), name
    for k in a:
        assert a[k].dtype == b[k].dtype and a[k].shape == b[k].shape, (name, k)
        assert torch.equal(a[k], b[k]), (name, k)
m = nn.Sequential(nn.Conv2d(1, 3, 3), nn.BatchNorm2d(3), nn.Flatten(), nn.Linear(12, 4))
m.load_state_dict(torch.load(d + "/ours_state_dict.pt"))  # strict: every key and shape
print("ok")
)";
        QCOMPARE(test::runPython(script, {mDir.path()}).trimmed(), QString("ok"));
    }

    void writerRoundTripsBigIntegersAndEmptyTensors()
    {
        StateDict sd;
        TensorBuffer big;
        big.dtype = DType::Int64;
        big.shape = {3};
        const int64_t values[3] = {int64_t(1) << 40, -5, 70000};
        big.bytes.assign(reinterpret_cast<const uint8_t *>(values), reinterpret_cast<const uint8_t *>(values) + 24);
        sd.entries.emplace_back("big", big);
        sd.entries.emplace_back("empty", TensorBuffer::fromFloat({0, 4}, nullptr));
        const float w[2] = {1.5f, -2.0f};
        sd.entries.emplace_back("w", TensorBuffer::fromFloat({2}, w));
        const std::string path = file("ints.pt").toStdString();
        writeCheckpoint(path, sd);
        const StateDict back = readCheckpoint(path);
        QCOMPARE(back.entries.size(), size_t(3));
        QVERIFY(back.entries[0].second.bytes == big.bytes);
        QCOMPARE(back.entries[1].second.shape, (std::vector<int64_t>{0, 4}));
        const QString out = test::runPython(
            "import sys, torch\nd = torch.load(sys.argv[1])\nprint(d['big'].tolist(), list(d['empty'].shape), d['w'].tolist())",
            {QString::fromStdString(path)});
        QCOMPARE(out.trimmed(), QString("[1099511627776, -5, 70000] [0, 4] [1.5, -2.0]"));
    }

    void onlyTheDocumentedGlobalsAreAllowed()
    {
        const std::vector<std::string> allowed = allowedPickleGlobals();
        for (const char *dangerous : {"builtins.eval", "builtins.exec", "os.system", "posix.system",
                                      "subprocess.Popen", "builtins.__import__", "builtins.open"})
            QVERIFY(std::find(allowed.begin(), allowed.end(), dangerous) == allowed.end());
    }
};

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "test_checkpoint.moc"
