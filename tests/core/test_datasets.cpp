// Fashion-MNIST from Debian's gzipped IDX files, SVHN's MATLAB files (written by scipy), the official
// seed-42 split, and clear errors.
#include "common/fixtures.h"

#include "common/error.h"
#include "data/datasets.h"
#include "data/idxreader.h"
#include "data/svhnreader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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

    // SVHN as the official zoos see it: grey by PIL's integer luma, centre 28x28, (x - 0.5) / 0.5,
    // 10 read as digit 0, the training file split by torch.randperm seeded 42; scipy writes the
    // MATLAB v5 files (compressed, as the real ones) and computes what we must read.
    void readsSvhnMatFilesAsTheOfficialZoos()
    {
        if (!test::pythonHas("scipy") || !test::pythonHas("torch"))
            QSKIP("python3-scipy or python3-torch is not installed");
        QTemporaryDir dir;
        const QString expected = test::runPython(R"(
import json, sys
import numpy as np, scipy.io, torch
rng = np.random.default_rng(3)
def write(name, n):
    X = rng.integers(0, 256, size=(32, 32, 3, n), dtype=np.uint8)
    y = rng.integers(1, 11, size=(n, 1)).astype(np.uint8)
    y[0, 0] = 10
    scipy.io.savemat(sys.argv[1] + '/' + name, {'X': X, 'y': y}, do_compression=True, format='5')
    rgb = X.astype(np.uint32)
    grey = (rgb[:, :, 0] * 19595 + rgb[:, :, 1] * 38470 + rgb[:, :, 2] * 7471 + 0x8000) >> 16
    images = (grey[2:30, 2:30, :].transpose(2, 0, 1) / 255.0 - 0.5) / 0.5
    labels = np.where(y[:, 0] == 10, 0, y[:, 0])
    return images, labels
train_images, train_labels = write('train_32x32.mat', 150)
test_images, test_labels = write('test_32x32.mat', 40)
order = torch.randperm(150, generator=torch.Generator().manual_seed(42)).tolist()
train = order[:123]  # round(150 * 60000 / 73257)
print(json.dumps({'train_labels': [int(train_labels[i]) for i in train], 'test_labels': test_labels.tolist(),
                  'first_train': train_images[train[0]].ravel().tolist(), 'test_5': test_images[5].ravel().tolist()}))
)", {dir.path()});
        const QJsonObject oracle = QJsonDocument::fromJson(expected.toUtf8()).object();
        DatasetOptions options;
        options.name = "svhn";
        options.root = dir.path().toStdString();
        const TrainTestData data = loadDataset(options);
        QCOMPARE(data.train.count, int64_t(123));
        QCOMPARE(data.validation.count, int64_t(27));
        QCOMPARE(data.test.count, int64_t(40));
        QCOMPARE(data.train.height, int64_t(28));
        QCOMPARE(data.train.channels, int64_t(1));
        const auto asInts = [](const QJsonArray &values) {
            std::vector<int64_t> out;
            for (const QJsonValue &value : values)
                out.push_back(value.toInteger());
            return out;
        };
        QCOMPARE(data.train.labels, asInts(oracle["train_labels"].toArray()));
        QCOMPARE(data.test.labels, asInts(oracle["test_labels"].toArray()));
        QCOMPARE(data.test.labels[0], int64_t(0)); // written as 10
        const auto samePixels = [](const float *ours, const QJsonArray &theirs) {
            for (int i = 0; i < theirs.size(); ++i)
                if (std::abs(ours[i] - theirs[i].toDouble()) > 1e-6)
                    return false;
            return theirs.size() == 28 * 28;
        };
        QVERIFY(samePixels(data.train.images.data(), oracle["first_train"].toArray()));
        QVERIFY(samePixels(data.test.images.data() + 5 * 28 * 28, oracle["test_5"].toArray()));
    }

    void brokenSvhnFilesSayWhatIsWrong()
    {
        if (!test::pythonHas("scipy"))
            QSKIP("python3-scipy is not installed");
        QTemporaryDir dir;
        test::runPython(R"(
import sys
import numpy as np, scipy.io
d = sys.argv[1]
scipy.io.savemat(d + '/grey.mat', {'X': np.zeros((32, 32, 1, 5), np.uint8), 'y': np.ones((5, 1), np.uint8)})
scipy.io.savemat(d + '/label11.mat', {'X': np.zeros((32, 32, 3, 2), np.uint8), 'y': np.array([[3], [11]], np.uint8)})
scipy.io.savemat(d + '/short.mat', {'X': np.zeros((32, 32, 3, 4), np.uint8), 'y': np.ones((3, 1), np.uint8)})
scipy.io.savemat(d + '/noy.mat', {'X': np.zeros((32, 32, 3, 4), np.uint8)})
open(d + '/text.mat', 'w').write('not a mat file at all\n' * 20)
)", {dir.path()});
        const std::vector<std::pair<QString, QString>> cases = {
            {"grey.mat", "X is [32, 32, 1, 5], not uint8 [32, 32, 3, N]"},
            {"label11.mat", "y[1] is 11"},
            {"short.mat", "y is [3, 1], not one label for each of the 4 images"},
            {"noy.mat", "no readable variable 'y'"},
            {"text.mat", "not a MATLAB .mat file"},
            {"missing.mat", "no such file"}};
        for (const auto &[file, reason] : cases) {
            const QString path = dir.filePath(file);
            try {
                readSvhnMat(path.toStdString());
                QFAIL(qPrintable(file + " accepted"));
            } catch (const Error &error) {
                const QString message = QString::fromUtf8(error.what());
                QVERIFY2(message.startsWith(path) && message.contains(reason), qPrintable(message));
            }
        }
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
