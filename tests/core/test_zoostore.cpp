// The HDF5 zoo store: round trip, lazy reads, atomic writes, clear errors, and h5py readability.
#include "common/fixtures.h"

#include "common/error.h"
#include "zoo/roworder.h"
#include "zoo/zoostore.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <limits>
#include <numeric>
#include <random>

using namespace wse;

class TestZooStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTripKeepsEverything()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("zoo.h5").toStdString();
        const Zoo original = test::makeSyntheticZoo(3, 2, 2);
        ZooStore::write(original, path);
        const Zoo loaded = ZooStore::read(path);

        QCOMPARE(loaded.name, original.name);
        QCOMPARE(loaded.provenance, original.provenance);
        QCOMPARE(loaded.architectures.size(), size_t(1));
        QVERIFY(loaded.architectures[0].sameLayout(original.architectures[0]));
        QCOMPARE(loaded.architectures[0].description, original.architectures[0].description);
        QCOMPARE(loaded.weights[0].rows, original.weights[0].rows);
        QVERIFY(loaded.weights[0].values == original.weights[0].values);
        for (const Table *table : {&original.models, &original.checkpoints}) {
            const Table &other = table == &original.models ? loaded.models : loaded.checkpoints;
            QCOMPARE(other.rowCount(), table->rowCount());
            QCOMPARE(other.columns().size(), table->columns().size());
            for (size_t i = 0; i < table->columns().size(); ++i) {
                const Column &a = table->columns()[i];
                const Column &b = other.columns()[i];
                QCOMPARE(b.name(), a.name()); // order preserved
                QCOMPARE(b.kind(), a.kind());
                QVERIFY(b.texts() == a.texts());
                QVERIFY(b.numbers() == a.numbers());
            }
        }
    }

    void lazyReadSkipsWeightsAndReadsRowRanges()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("zoo.h5").toStdString();
        const Zoo original = test::makeSyntheticZoo(2, 3, 4);
        ZooStore::write(original, path);

        const Zoo lazy = ZooStore::read(path, /*withWeights=*/false);
        QVERIFY(lazy.weights[0].values.empty());
        QCOMPARE(lazy.weights[0].rows, original.weights[0].rows);
        QCOMPARE(lazy.checkpointCount(), original.checkpointCount());

        const WeightMatrix part = ZooStore::readWeights(path, "cnn-s", 5, 3);
        QCOMPARE(part.rows, int64_t(3));
        for (int64_t r = 0; r < 3; ++r)
            for (int64_t c = 0; c < part.cols; ++c)
                QCOMPARE(part.row(r)[c], original.weights[0].row(5 + r)[c]);
        QVERIFY_THROWS_EXCEPTION(UsageError, ZooStore::readWeights(path, "cnn-s", 25, 10));
    }

    // A zoo larger than memory is written from a row source: the writer asks for bounded slabs,
    // in order, covering every row once, and the file holds exactly what the source gave.
    void streamedWriteAsksForBoundedSlabsInOrder()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("streamed.h5").toStdString();
        Zoo zoo;
        zoo.name = "streamed";
        Architecture wide;
        wide.name = "wide";
        wide.tensors = {{"layer.weight", {64, 128}}}; // 8192 floats: 32 rows per chunk
        zoo.addArchitecture(wide);
        const int64_t rows = 2100; // more than two 32 MiB slabs
        zoo.weights[0].rows = rows;
        zoo.weights[0].cols = wide.numel();
        zoo.models.appendRow({{zoocol::ModelId, "m0"}, {zoocol::Architecture, "wide"}});
        for (int64_t r = 0; r < rows; ++r)
            zoo.checkpoints.appendRow({{zoocol::Model, 0}, {zoocol::Epoch, r}, {zoocol::WeightRow, r}});
        auto value = [](int64_t row, int64_t col) { return float(row) + float(col) / 8192.0f; };

        int64_t next = 0;
        int64_t largest = 0;
        ZooStore::writeStreamed(zoo, [&](size_t architecture, int64_t first, int64_t count, float *out) {
            QCOMPARE(architecture, size_t(0));
            QCOMPARE(first, next);
            next += count;
            largest = std::max(largest, count);
            for (int64_t r = 0; r < count; ++r)
                for (int64_t c = 0; c < 8192; ++c)
                    out[r * 8192 + c] = value(first + r, c);
        }, path);
        QCOMPARE(next, rows);
        QVERIFY2(largest * 8192 * 4 <= (int64_t(40) << 20), "a slab is over 40 MiB");

        ZooWeightReader reader(path, "wide");
        QCOMPARE(reader.rows(), rows);
        std::vector<float> row(8192);
        for (int64_t r : {int64_t(0), int64_t(1023), int64_t(1024), rows - 1}) {
            reader.read(r, 1, row.data());
            QCOMPARE(row[0], value(r, 0));
            QCOMPARE(row[8191], value(r, 8191));
        }
        QCOMPARE(ZooStore::read(path, false).checkpointCount(), rows);
    }

    // The table view's sort: the order a stable comparison sort gives, missing numbers last.
    void rowOrderIsAStableSortWithMissingLast()
    {
        std::mt19937 random(5);
        std::vector<double> numbers(20000);
        std::vector<std::string> texts(numbers.size());
        const double specials[] = {std::nan(""), -0.0, 0.0, std::numeric_limits<double>::infinity(),
                                   -std::numeric_limits<double>::infinity(), -1e-300, 1e300};
        for (size_t i = 0; i < numbers.size(); ++i) {
            const unsigned pick = random() % 10;
            numbers[i] = pick < 7 ? specials[pick] : double(int(random() % 2000) - 1000) / 8.0;
            texts[i] = std::string(random() % 3, char('a' + random() % 26)) + std::to_string(random() % 50);
        }
        for (const bool descending : {false, true}) {
            std::vector<int> expected(numbers.size());
            std::iota(expected.begin(), expected.end(), 0);
            std::stable_sort(expected.begin(), expected.end(), [&](int a, int b) {
                const double x = numbers[size_t(a)], y = numbers[size_t(b)];
                if (std::isnan(x) || std::isnan(y))
                    return !std::isnan(x) && std::isnan(y);
                return descending ? y < x : x < y;
            });
            QVERIFY(sortedRowOrder(Column::numbers("n", numbers), descending) == expected);
            std::iota(expected.begin(), expected.end(), 0);
            std::stable_sort(expected.begin(), expected.end(), [&](int a, int b) {
                return descending ? texts[size_t(b)] < texts[size_t(a)] : texts[size_t(a)] < texts[size_t(b)];
            });
            QVERIFY(sortedRowOrder(Column::texts("t", texts), descending) == expected);
        }
    }

    void mixedArchitecturesEachGetTheirMatrix()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("mixed.h5").toStdString();
        Zoo zoo = test::makeSyntheticZoo(1, 1, 1);
        const Architecture other = cnnSmall(3);
        zoo.addArchitecture(other);
        zoo.models.appendRow({{zoocol::ModelId, "rgb"}, {zoocol::Architecture, other.name}, {"init", "x"}, {"seed", 9}});
        std::vector<float> row(size_t(other.numel()), 0.5f);
        zoo.weights[1].appendRow(row.data());
        zoo.checkpoints.appendRow({{zoocol::Model, 1}, {zoocol::Epoch, 0}, {zoocol::WeightRow, 0}, {"test_acc", 0.2}});
        ZooStore::write(zoo, path);
        const Zoo loaded = ZooStore::read(path);
        QCOMPARE(loaded.architectures.size(), size_t(2));
        QCOMPARE(loaded.weights[1].cols, int64_t(2864));
        QCOMPARE(loaded.checkpointArchitecture(loaded.checkpointCount() - 1), 1);
        QCOMPARE(loaded.weights[1].values.front(), 0.5f);
    }

    void failedWriteKeepsTheExistingFile()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("zoo.h5").toStdString();
        ZooStore::write(test::makeSyntheticZoo(2, 2, 1), path);
        Zoo broken = test::makeSyntheticZoo(2, 2, 1);
        broken.checkpoints.appendRow({{zoocol::Model, 99}, {zoocol::Epoch, 0}, {zoocol::WeightRow, 0}});
        QVERIFY_THROWS_EXCEPTION(FormatError, ZooStore::write(broken, path));
        QCOMPARE(ZooStore::read(path).checkpointCount(), int64_t(8));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1); // no temporary left behind
    }

    void errorsNameTheFileAndTheProblem()
    {
        QTemporaryDir dir;
        const std::string missing = dir.filePath("nope.h5").toStdString();
        try {
            ZooStore::read(missing);
            QFAIL("reading a missing file must throw");
        } catch (const IoError &error) {
            QVERIFY(QString(error.what()).contains("nope.h5"));
            QVERIFY(QString(error.what()).contains("no such file"));
        }
        const std::string text = dir.filePath("text.h5").toStdString();
        std::ofstream(text) << "this is not HDF5";
        try {
            ZooStore::read(text);
            QFAIL("reading a text file must throw");
        } catch (const FormatError &error) {
            QVERIFY(QString(error.what()).contains("text.h5"));
            QVERIFY(QString(error.what()).contains("not an HDF5 file"));
        }
        QVERIFY(!ZooStore::isZooFile(text));
    }

    void newerFormatVersionIsRefusedClearly()
    {
        if (!test::pythonHas("h5py"))
            QSKIP("python3-h5py is not installed");
        QTemporaryDir dir;
        const QString path = dir.filePath("future.h5");
        ZooStore::write(test::makeSyntheticZoo(1, 1, 1), path.toStdString());
        test::runPython("import h5py,sys\nf=h5py.File(sys.argv[1],'r+')\nf.attrs['format_version']=99\nf.close()", {path});
        try {
            ZooStore::read(path.toStdString());
            QFAIL("a newer format must be refused");
        } catch (const FormatError &error) {
            QVERIFY(QString(error.what()).contains("zoo format version 99; this version reads up to 1"));
        }
    }

    void h5pyReadsTheDocumentedLayout()
    {
        if (!test::pythonHas("h5py"))
            QSKIP("python3-h5py is not installed");
        QTemporaryDir dir;
        const QString path = dir.filePath("zoo.h5");
        const Zoo zoo = test::makeSyntheticZoo(2, 2, 1);
        ZooStore::write(zoo, path.toStdString());
        const QString script = R"(
import h5py, json, sys
f = h5py.File(sys.argv[1], 'r')
arch = f['architectures/cnn-s']
tensors = json.loads(arch.attrs['tensors'])
w = arch['weights']
cp = f['checkpoints']
row = int(cp['weight_row'][3])
print(f.attrs['format'], f.attrs['format_version'], tensors[0]['key'], tensors[0]['shape'], w.shape,
      f['models/init'][0].decode(), '%.6f' % w[row, 0], '%.6f' % cp['test_acc'][3])
)";
        const QString out = test::runPython(script, {path}).trimmed();
        const QString expected = QString("weight-space-explorer zoo 1 module_list.0.weight [8, 1, 5, 5] (8, 2464) init_0 %1 %2")
                                     .arg(zoo.weights[0].row(3)[0], 0, 'f', 6)
                                     .arg(zoo.checkpoints.get("test_acc").number(3), 0, 'f', 6);
        QCOMPARE(out, expected);
    }
};

QTEST_GUILESS_MAIN(TestZooStore)
#include "test_zoostore.moc"
