// Fashion-MNIST from Debian's gzipped IDX files, the official seed-42 split, and clear errors.
#include "common/fixtures.h"

#include "common/error.h"
#include "data/datasets.h"
#include "data/idxreader.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace wse;

static const char *FashionRoot = "/usr/share/datasets/fashion-mnist";

class TestDatasets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsDebianFashionMnist()
    {
        if (!QFile::exists(QString(FashionRoot) + "/t10k-images-idx3-ubyte.gz"))
            QSKIP("dataset-fashion-mnist is not installed");
        DatasetOptions options;
        options.trainLimit = 1000;
        const TrainTestData data = loadDataset(options);
        QCOMPARE(data.test.count, int64_t(10000));
        QCOMPARE(data.train.count, int64_t(1000));
        QCOMPARE(data.validation.count, int64_t(10000));
        QCOMPARE(data.train.height, int64_t(28));
        // Normalised with (x - 0.5) / 0.5: every value in [-1, 1], both ends reached.
        const auto [low, high] = std::minmax_element(data.test.images.begin(), data.test.images.end());
        QCOMPARE(*low, -1.0f);
        QCOMPARE(*high, 1.0f);
        // 1000 test images per class.
        std::vector<int> perClass(10);
        for (int64_t label : data.test.labels)
            ++perClass[size_t(label)];
        for (int count : perClass)
            QCOMPARE(count, 1000);
    }

    void splitMatchesPyTorchRandomSplitSeed42()
    {
        if (!test::pythonHas("torch"))
            QSKIP("python3-torch is not installed");
        const std::vector<int64_t> ours = officialSplitPermutation(60000);
        const QString theirs = test::runPython(
            "import torch\n"
            "p = torch.randperm(60000, generator=torch.Generator().manual_seed(42))\n"
            "print(' '.join(str(int(i)) for i in p[:8]), int(p[-1]))");
        QString mine;
        for (int i = 0; i < 8; ++i)
            mine += QString::number(ours[size_t(i)]) + " ";
        mine += QString::number(ours.back());
        QCOMPARE(mine, theirs.trimmed());
    }

    void missingFilesSayWhatWasExpectedWhere()
    {
        QTemporaryDir dir;
        DatasetOptions options;
        options.root = dir.path().toStdString();
        try {
            loadDataset(options);
            QFAIL("an empty folder must be refused");
        } catch (const IoError &error) {
            const QString message = error.what();
            QVERIFY(message.contains(dir.path()));
            QVERIFY(message.contains("train-images-idx3-ubyte"));
            QVERIFY(message.contains("dataset-fashion-mnist"));
        }
    }

    void truncatedAndForeignFilesAreRefused()
    {
        QTemporaryDir dir;
        const std::string truncated = dir.filePath("t.idx").toStdString();
        {
            std::ofstream out(truncated, std::ios::binary);
            const unsigned char header[16] = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28};
            out.write(reinterpret_cast<const char *>(header), 16);
            out.write("abc", 3);
        }
        try {
            readIdxImages(truncated);
            QFAIL("a truncated file must be refused");
        } catch (const FormatError &error) {
            QVERIFY(QString(error.what()).contains("truncated"));
            QVERIFY(QString(error.what()).contains("t.idx"));
        }
        const std::string labels = dir.filePath("labels.idx").toStdString();
        std::ofstream(labels) << "hello world";
        QVERIFY_THROWS_EXCEPTION(FormatError, readIdxLabels(labels));
    }
};

QTEST_GUILESS_MAIN(TestDatasets)
#include "test_datasets.moc"
