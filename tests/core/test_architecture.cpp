// CNN-s, CNN-l and ResNet-18 key names and shapes equal those of the official Model Zoos classes,
// built by PyTorch.
#include "common/fixtures.h"

#include "zoo/architecture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace wse;

// The official CNN-s class, as defined by the zoo fixture script (make_official_zoo.py).
static const char *OfficialCnnSmall = R"(
import json, runpy, sys
make = runpy.run_path(sys.argv[3])[sys.argv[4]]
m = make(float(sys.argv[2]), int(sys.argv[1]))
print(json.dumps([[k, list(v.shape)] for k, v in m.state_dict().items() if v.is_floating_point()]))
)";

class TestArchitecture : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesOfficialStateDict_data()
    {
        QTest::addColumn<QString>("family");
        QTest::addColumn<int>("channels");
        QTest::addColumn<bool>("dropout");
        QTest::addColumn<int>("parameters");
        QTest::newRow("CNN-s, 1 channel") << "cnn-s" << 1 << false << 2464;
        QTest::newRow("CNN-s, 3 channels") << "cnn-s" << 3 << false << 2864;
        QTest::newRow("CNN-s, 1 channel, dropout (shifted indices)") << "cnn-s" << 1 << true << 2464;
        QTest::newRow("CNN-l, 3 channels") << "cnn-l" << 3 << false << 10853;
        QTest::newRow("CNN-l, 3 channels, dropout (same indices)") << "cnn-l" << 3 << true << 10853;
        // 11,173,962 parameters (model-zoo-spec §2.3) + 2 x 4,800 running statistics.
        QTest::newRow("ResNet-18, 3 channels") << "resnet-18" << 3 << false << 11173962 + 9600;
    }
    void matchesOfficialStateDict()
    {
        QFETCH(QString, family);
        QFETCH(int, channels);
        QFETCH(bool, dropout);
        QFETCH(int, parameters);
        if (!test::pythonHas("torch"))
            QSKIP("python3-torch is not installed");
        const NetworkSpec spec = family == "cnn-s" ? cnnSmallSpec(channels)
                                 : family == "cnn-l" ? cnnLargeSpec(channels)
                                                     : resnet18Spec(channels);
        const Architecture ours = spec.architecture(dropout);
        const QJsonArray official =
            QJsonDocument::fromJson(
                test::runPython(OfficialCnnSmall, {QString::number(channels), dropout ? "0.5" : "0",
                                                   QString(WSE_TEST_DATA) + "/make_official_zoo.py",
                                                   family == "cnn-s" ? "cnn_s" : family == "cnn-l" ? "cnn_l" : "resnet18"})
                    .toUtf8())
                .array();
        QCOMPARE(size_t(official.size()), ours.tensors.size());
        for (size_t i = 0; i < ours.tensors.size(); ++i) {
            const QJsonArray entry = official[int(i)].toArray();
            QCOMPARE(QString::fromStdString(ours.tensors[i].key), entry[0].toString());
            std::vector<int64_t> shape;
            for (const QJsonValue &dim : entry[1].toArray())
                shape.push_back(dim.toInt());
            QVERIFY2(ours.tensors[i].shape == shape, qPrintable(QString::fromStdString(ours.tensors[i].key)));
        }
        QCOMPARE(ours.numel(), int64_t(parameters));
        if (family == "resnet-18")
            QVERIFY(QString::fromStdString(ours.description).contains("11,173,962 parameters"));
    }

    void offsetsFollowStateDictOrder()
    {
        const Architecture arch = cnnSmall(1);
        QCOMPARE(arch.offsetOf("module_list.0.weight"), int64_t(0));
        QCOMPARE(arch.offsetOf("module_list.0.bias"), int64_t(200));
        QCOMPARE(arch.offsetOf("module_list.3.weight"), int64_t(208)); // official index_dict idx_start
        QCOMPARE(arch.offsetOf("module_list.9.weight"), int64_t(1514));
        QCOMPARE(arch.offsetOf("module_list.11.weight"), int64_t(2254));
    }
};

QTEST_GUILESS_MAIN(TestArchitecture)
#include "test_architecture.moc"
