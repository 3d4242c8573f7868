// PyTorch checkpoint reading and writing, against python3-torch as the oracle.
#include "common/pythonoracle.h"

#include "checkpoint/checkpointfile.h"
#include "checkpoint/pickle.h"
#include "checkpoint/zipwriter.h"
#include "common/error.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace wse;

// PyTorch's own files (written by python3-torch) are the oracle of these checks (QSKIP returns from the slot).
#define REQUIRE_TORCH()                                                                               \
    do {                                                                                             \
        if (!mHaveTorch)                                                                             \
            QSKIP("python3-torch is not installed");                                                 \
    } while (false)

class TestCheckpoint : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir;
    QJsonObject mExpected;

    QString file(const QString &name) const { return mDir.filePath(name); }

    bool mHaveTorch = false;

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
        mHaveTorch = test::pythonHas("torch");
        if (!mHaveTorch)
            return; // the hostile pickles below are written by hand; the rest needs PyTorch's files
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
        REQUIRE_TORCH();
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
        REQUIRE_TORCH();
        const StateDict sd = readCheckpoint(file("training_state.pt").toStdString());
        QCOMPARE(sd.notes.size(), size_t(1));
        QVERIFY(QString::fromStdString(sd.notes[0]).contains("'model'"));
        QVERIFY(QString::fromStdString(sd.notes[0]).contains("optimizer, scheduler"));
    }

    // Hostile pickles written opcode by opcode (no Python needed): each names a global that would
    // run code, through each opcode that can load one, at the top or nested in a state dict.
    void refusesHandWrittenHostilePickles_data()
    {
        QTest::addColumn<QByteArray>("pickle");
        QTest::addColumn<QString>("global");
        const QByteArray proto("\x80\x02", 2);
        const QByteArray command = QByteArray("X\x0b\x00\x00\x00touch PWNED", 16) + "\x85";
        QTest::newRow("GLOBAL posix.system") << proto + "cposix\nsystem\n" + command + "R." << "posix.system";
        QTest::newRow("GLOBAL builtins.eval") << proto + "cbuiltins\neval\n" + command + "R." << "builtins.eval";
        QTest::newRow("GLOBAL os.system (mapped)") << proto + "cos\nsystem\n" + command + "R." << "system";
        QTest::newRow("STACK_GLOBAL subprocess.Popen")
            << QByteArray("\x80\x04\x8c\x0asubprocess\x8c\x05Popen\x93", 23) + command + "R." << "subprocess.Popen";
        QTest::newRow("NEWOBJ of builtins.exec")
            << proto + "cbuiltins\nexec\n" + command + "\x81." << "builtins.exec";
        QTest::newRow("nested in a state dict")
            << proto + "}(" + QByteArray("X\x06\x00\x00\x00weight", 11) + "cbuiltins\n__import__\n" + command + "Ru."
            << "builtins.__import__";
    }
    void refusesHandWrittenHostilePickles()
    {
        QFETCH(QByteArray, pickle);
        QFETCH(QString, global);
        ZipWriter zip; // as torch.save lays a checkpoint out
        zip.add("evil/data.pkl", std::vector<uint8_t>(pickle.begin(), pickle.end()));
        zip.add("evil/version", {'3', '\n'});
        const std::vector<uint8_t> bytes = zip.finish();
        QFile out(file("hand_written_evil.pt"));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(reinterpret_cast<const char *>(bytes.data()), qint64(bytes.size()));
        out.close();
        expectRefusal("hand_written_evil.pt", "refusing to load global");
        try {
            unpickle(std::vector<uint8_t>(pickle.begin(), pickle.end()), "data.pkl");
            QFAIL("accepted");
        } catch (const FormatError &error) {
            QVERIFY2(QString(error.what()).contains(global), error.what());
        }
        QVERIFY(!QFile::exists("PWNED") && !QFile::exists(file("PWNED")));
    }

    void refusesMaliciousPicklesWithoutRunningThem()
    {
        REQUIRE_TORCH();
        expectRefusal("evil_system.pt", "refusing to load global 'posix.system'");
        expectRefusal("evil_eval.pt", "refusing to load global 'builtins.eval'");
        QVERIFY(!QFile::exists(file("PWNED")));
    }

    void explainsLegacyAndDamagedFiles()
    {
        REQUIRE_TORCH();
        expectRefusal("legacy.pt", "unsupported legacy PyTorch format");
        expectRefusal("truncated.pt", "truncated");
        expectRefusal("bad_crc.pt", "CRC mismatch");
        expectRefusal("short_storage.pt", "needs storage elements");
        expectRefusal("not_a_checkpoint.pt", "not a PyTorch checkpoint");
        QVERIFY_THROWS_EXCEPTION(IoError, readCheckpoint(file("missing.pt").toStdString()));
    }

    void pyTorchLoadsWhatWeWrite()
    {
        REQUIRE_TORCH();
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
        REQUIRE_TORCH();
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

    void largeCheckpointsReadWholeAndNameTheFirstDamage()
    {
        // Over 64 MB: the storages are read on several threads.
        StateDict sd;
        const size_t count = 3u << 20; // 12 MB a tensor
        for (int k = 0; k < 8; ++k) {
            const std::vector<float> values(count, float(k + 1));
            sd.entries.emplace_back("layer" + std::to_string(k) + ".weight", TensorBuffer::fromFloat({int64_t(count)}, values.data()));
        }
        const std::string path = file("large.pt").toStdString();
        writeCheckpoint(path, sd);
        const StateDict back = readCheckpoint(path);
        QCOMPARE(back.entries.size(), sd.entries.size());
        for (size_t k = 0; k < sd.entries.size(); ++k) {
            QCOMPARE(back.entries[k].first, sd.entries[k].first);
            QVERIFY2(back.entries[k].second.bytes == sd.entries[k].second.bytes, sd.entries[k].first.c_str());
        }
        // Damage the data of storages 5 and 2: the message names 2, whichever thread finds which first.
        QFile damaged(QString::fromStdString(path));
        QVERIFY(damaged.open(QIODevice::ReadWrite));
        QByteArray bytes = damaged.readAll();
        for (const float value : {6.0f, 3.0f}) {
            const QByteArray pattern(reinterpret_cast<const char *>(std::vector<float>(16, value).data()), 64);
            const qsizetype at = bytes.indexOf(pattern);
            QVERIFY(at >= 0);
            bytes[at + 1000] = char(bytes[at + 1000] ^ 0x5a);
        }
        damaged.seek(0);
        damaged.write(bytes);
        damaged.close();
        try {
            readCheckpoint(path);
            QFAIL("a damaged large checkpoint was accepted");
        } catch (const FormatError &error) {
            QVERIFY2(QString(error.what()).contains("CRC mismatch in entry 'archive/data/2'"), error.what());
            QVERIFY2(QString(error.what()).contains("large.pt"), error.what());
        }
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
