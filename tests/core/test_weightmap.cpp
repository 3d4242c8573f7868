// Weight statistics (known values, permutation invariance) and the two zoo maps.
#include "common/fixtures.h"

#include "analysis/layerstatistics.h"
#include "analysis/pointscsv.h"
#include "analysis/weightmap.h"
#include "analysis/weightstatistics.h"
#include "common/textfile.h"
#include "common/error.h"
#include "zoo/zoostore.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

using namespace wse;

class TestWeightMap : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void statisticsOfKnownValues()
    {
        Architecture arch;
        arch.name = "tiny";
        arch.tensors = {{"a.weight", {5}}, {"a.bias", {2}}};
        const float row[7] = {5, 1, 4, 2, 3, -1, 1};
        const std::vector<float> f = weightStatistics(arch, row);
        QCOMPARE(f.size(), size_t(14));
        const float expectedWeight[7] = {3.0f, std::sqrt(2.5f), 1, 2, 3, 4, 5}; // mean, std, quintiles
        for (int i = 0; i < 7; ++i)
            QVERIFY(std::fabs(f[size_t(i)] - expectedWeight[i]) < 1e-6);
        const float expectedBias[7] = {0.0f, std::sqrt(2.0f), -1, -0.5f, 0, 0.5f, 1};
        for (int i = 0; i < 7; ++i)
            QVERIFY(std::fabs(f[size_t(7 + i)] - expectedBias[i]) < 1e-6);
        QCOMPARE(weightStatisticNames(arch)[8], std::string("a.bias:std"));
    }

    // The quantiles come from partial selections, not a sort: on shuffled values with repeats they
    // equal numpy.quantile's linear interpolation of the sorted values.
    void quantilesEqualThoseOfTheSortedValues()
    {
        std::mt19937 random(11);
        for (const int64_t n : {1, 2, 3, 4, 1000, 1001}) {
            Architecture arch;
            arch.tensors = {{"w", {n}}};
            std::vector<float> row(static_cast<size_t>(n));
            for (float &v : row)
                v = float(std::uniform_int_distribution<int>(-20, 20)(random)) / 4.0f; // many ties
            const std::vector<float> f = weightStatistics(arch, row.data());
            std::vector<float> sorted = row;
            std::sort(sorted.begin(), sorted.end());
            const double qs[5] = {0.0, 0.25, 0.5, 0.75, 1.0};
            for (int i = 0; i < 5; ++i) {
                const double position = qs[i] * double(n - 1);
                const auto below = size_t(std::floor(position));
                const size_t above = std::min(below + 1, size_t(n - 1));
                const double expected = sorted[below] + (position - double(below)) * (sorted[above] - sorted[below]);
                QVERIFY2(std::fabs(f[size_t(2 + i)] - expected) < 1e-6, qPrintable(QStringLiteral("n %1 q %2").arg(n).arg(qs[i])));
            }
        }
    }

    // A zero-element tensor (official imports keep them) has no statistics: NaN, and the tensors
    // after it keep theirs (the explorer crashed opening such a zoo).
    void emptyTensorHasNoStatistics()
    {
        Architecture arch;
        arch.tensors = {{"a.weight", {2}}, {"empty", {0, 3}}, {"a.bias", {2}}};
        const float row[4] = {1, 3, -1, 1};
        const std::vector<float> f = weightStatistics(arch, row);
        QCOMPARE(f.size(), size_t(21));
        QCOMPARE(f[0], 2.0f);
        for (int i = 7; i < 14; ++i)
            QVERIFY(std::isnan(f[size_t(i)]));
        QCOMPARE(f[14], 0.0f);  // the bias's mean
        QCOMPARE(f[20], 1.0f);  // and its maximum
    }

    void layerSummariesAndDifferences()
    {
        Architecture arch;
        arch.name = "tiny";
        arch.tensors = {{"w", {2, 2}}, {"b", {2}}};
        const float a[6] = {3, 4, 0, 0, 1, -1};
        const std::vector<LayerSummary> layers = layerSummaries(arch, a);
        QCOMPARE(layers.size(), size_t(2));
        QCOMPARE(layers[0].shape, std::string("[2, 2]"));
        QCOMPARE(layers[0].count, int64_t(4));
        QCOMPARE(layers[0].mean, 1.75);
        QVERIFY(std::fabs(layers[0].std - std::sqrt(25.0 / 4 - 1.75 * 1.75)) < 1e-12); // population std
        QCOMPARE(layers[0].norm, 5.0);
        QCOMPARE(layers[0].minimum, 0.0);
        QCOMPARE(layers[0].maximum, 4.0);
        QCOMPARE(layers[0].nearZero, 0.5);
        QCOMPARE(layers[1].mean, 0.0);
        QCOMPARE(layers[1].nearZero, 0.0);
        // b = 2a in the first tensor (same direction), orthogonal in the second.
        const float b[6] = {6, 8, 0, 0, 1, 1};
        const std::vector<LayerDifference> differences = layerDifferences(arch, a, b);
        QCOMPARE(differences[0].distance, 5.0);
        QCOMPARE(differences[0].relative, 1.0);
        QVERIFY(std::fabs(differences[0].cosine - 1.0) < 1e-12);
        QCOMPARE(differences[0].normB, 10.0);
        QCOMPARE(differences[1].cosine, 0.0);
        QCOMPARE(differences[1].distance, 2.0);
        // A network compared with itself: no distance, cosine 1, also for an all-zero tensor.
        const float zeros[6] = {0, 0, 0, 0, 1, -1};
        const std::vector<LayerDifference> same = layerDifferences(arch, zeros, zeros);
        QCOMPARE(same[0].distance, 0.0);
        QCOMPARE(same[0].cosine, 1.0);
        QCOMPARE(same[0].relative, 0.0);
        QCOMPARE(layerSummaries(arch, zeros)[0].nearZero, 1.0);
    }

    void pointsAsCsv()
    {
        QCOMPARE(csvField("plain"), std::string("plain"));
        QCOMPARE(csvField("a,b"), std::string("\"a,b\""));
        QCOMPARE(csvField("say \"hi\""), std::string("\"say \"\"hi\"\"\""));
        const Zoo zoo = test::makeSyntheticZoo(3, 2, 2);
        const WeightMap map = computeWeightMap(zoo, MapSource::WeightStatistics);
        const std::vector<float> &layout = map.pca.coordinates;
        // Every point with its columns, layout position and features, as Python's csv reads it.
        QTemporaryDir dir;
        const QString all = dir.filePath("all.csv"), some = dir.filePath("some.csv");
        MapPoints points;
        points.zoo = &zoo;
        points.checkpoints = map.checkpoints;
        points.layout = layout;
        points.layoutName = "pca";
        points.features = map.features;
        points.featureDims = map.featureDims;
        writeTextFile(all.toStdString(), pointsCsv(points));
        points.layoutName = "tsne";
        points.features.clear();
        points.checkpoints.push_back(-1); // a point placed from other embeddings: no zoo columns
        points.labels.assign(points.checkpoints.size(), "");
        points.labels.back() = "other:1";
        points.layout.insert(points.layout.end(), {0.5f, 0.25f, 0.0f});
        writeTextFile(some.toStdString(), pointsCsv(points, {5, 2, int(points.checkpoints.size()) - 1}));
        const QString report = test::runPython(R"(
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
head = rows[0]
assert head[:4] == ['checkpoint', 'label', 'model_id', 'epoch'] and 'added' not in head, head
x = head.index('pca_x')
z0 = head.index('z0')
assert all(len(r) == len(head) for r in rows), 'ragged'
assert rows[3][1] == rows[3][2] + ':' + rows[3][3], rows[3]
print(len(rows) - 1, len(head) - z0, rows[3][x], rows[3][z0], rows[3][2])
some = list(csv.reader(open(sys.argv[2])))
assert 'z0' not in some[0] and some[0][-1] == 'tsne_z' and some[0][-4] == 'added', some[0]
assert some[3][:3] == ['-1', 'other:1', ''] and some[3][-4:] == ['1', '0.5', '0.25', '0'], some[3]
assert some[1][-4] == '0'
print(len(some) - 1, some[1][2], some[1][3], some[2][2], some[2][3])
)", {all, some});
        const QStringList lines = report.trimmed().split('\n');
        const QStringList first = lines[0].split(' ');
        QCOMPARE(first[0].toInt(), int(map.checkpoints.size()));
        QCOMPARE(first[1].toLongLong(), qlonglong(map.featureDims));
        QVERIFY(std::fabs(first[2].toDouble() - layout[2 * 3]) < 1e-6);
        QVERIFY(std::fabs(first[3].toDouble() - map.features[size_t(2 * map.featureDims)]) < 1e-6);
        QCOMPARE(first[4].toStdString(), zoo.checkpointValue(map.checkpoints[2], "model_id"));
        const QStringList second = lines[1].split(' ');
        QCOMPARE(second[0], QString("3"));
        QCOMPARE(second[1].toStdString(), zoo.checkpointValue(map.checkpoints[5], "model_id"));
        QCOMPARE(second[2].toStdString(), zoo.checkpointValue(map.checkpoints[5], "epoch"));
        QCOMPARE(second[3].toStdString(), zoo.checkpointValue(map.checkpoints[2], "model_id"));
    }

    void statisticsIgnoreNeuronOrder()
    {
        const Architecture arch = cnnSmall(1);
        std::vector<float> row(size_t(arch.numel()));
        std::mt19937 random(1);
        std::normal_distribution<float> normal;
        for (float &v : row)
            v = normal(random);
        std::vector<float> permuted = row;
        // Swap two output channels of conv1 (weights and biases together): the same function.
        std::swap_ranges(permuted.begin(), permuted.begin() + 25, permuted.begin() + 25);
        std::swap(permuted[200], permuted[201]);
        QVERIFY(permuted != row);
        QVERIFY(weightStatistics(arch, row.data()) == weightStatistics(arch, permuted.data()));
    }

    void bothMapsPlaceEveryCheckpointAndSeparateClusters_data()
    {
        QTest::addColumn<int>("source");
        QTest::newRow("weights") << int(MapSource::Weights);
        QTest::newRow("weight statistics") << int(MapSource::WeightStatistics);
    }
    void bothMapsPlaceEveryCheckpointAndSeparateClusters()
    {
        QFETCH(int, source);
        const Zoo zoo = test::makeSyntheticZoo(3, 4, 2);
        const WeightMap map = computeWeightMap(zoo, MapSource(source));
        QCOMPARE(int64_t(map.checkpoints.size()), zoo.checkpointCount());
        // Every point's nearest neighbour on the map belongs to its own cluster (init_0/1/2).
        const Column init = zoo.checkpointColumn("init");
        auto distance = [&](size_t a, size_t b) {
            double sum = 0;
            for (int k = 0; k < 3; ++k) {
                const double d = map.pca.coordinates[a * 3 + size_t(k)] - map.pca.coordinates[b * 3 + size_t(k)];
                sum += d * d;
            }
            return sum;
        };
        for (size_t a = 0; a < map.checkpoints.size(); ++a) {
            size_t nearest = a == 0 ? 1 : 0;
            for (size_t b = 0; b < map.checkpoints.size(); ++b)
                if (b != a && distance(a, b) < distance(a, nearest))
                    nearest = b;
            QCOMPARE(init.text(map.checkpoints[nearest]), init.text(map.checkpoints[a]));
        }
        // Nearest points in the input space: sorted, the point itself left out, same cluster.
        const auto near = map.nearestPoints(zoo, 5, 4);
        QCOMPARE(near.size(), size_t(4));
        for (size_t i = 0; i < near.size(); ++i) {
            QVERIFY(near[i].first != 5);
            QVERIFY(i == 0 || near[i - 1].second <= near[i].second);
            QCOMPARE(init.text(map.checkpoints[size_t(near[i].first)]), init.text(map.checkpoints[5]));
        }
        QVERIFY(map.nearestPoints(zoo, -1, 4).empty());
    }

    // A zoo too large for memory is mapped from its file in blocks: the same maps, to rounding.
    void mapsFromTheFileEqualMapsFromMemory()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("zoo.h5").toStdString();
        const Zoo zoo = test::makeSyntheticZoo(3, 40, 60); // 7,320 CNN-s checkpoints: two blocks of 64 MB
        ZooStore::write(zoo, path);
        const Zoo tables = ZooStore::read(path, /*withWeights=*/false);
        QVERIFY(tables.weights[0].values.empty());
        const auto fromFile = computeWeightMapsFromFile(tables, path);
        for (MapSource source : {MapSource::Weights, MapSource::WeightStatistics}) {
            const WeightMap inMemory = computeWeightMap(zoo, source);
            const WeightMap &streamed = fromFile.at(source);
            QVERIFY(streamed.checkpoints == inMemory.checkpoints);
            QCOMPARE(streamed.pca.coordinates.size(), inMemory.pca.coordinates.size());
            double largest = 0, difference = 0;
            for (size_t i = 0; i < inMemory.pca.coordinates.size(); ++i) {
                largest = std::max(largest, double(std::fabs(inMemory.pca.coordinates[i])));
                difference = std::max(difference, double(std::fabs(inMemory.pca.coordinates[i] - streamed.pca.coordinates[i])));
            }
            QVERIFY2(difference <= 1e-4 * largest, qPrintable(QString("%1 of %2").arg(difference).arg(largest)));
            for (int c = 0; c < 3; ++c)
                QVERIFY(std::fabs(streamed.pca.explainedRatio[size_t(c)] - inMemory.pca.explainedRatio[size_t(c)]) < 1e-9);
        }
        // Raw weights left in the file: no neighbours per click, and a clear refusal to copy them.
        int64_t dims = 0;
        QVERIFY(fromFile.at(MapSource::Weights).nearestPoints(tables, 0, 5).empty());
        QVERIFY_THROWS_EXCEPTION(UsageError, fromFile.at(MapSource::Weights).inputRows(tables, dims));
        QCOMPARE(fromFile.at(MapSource::WeightStatistics).nearestPoints(tables, 0, 5).size(), size_t(5));
    }

    void trajectoriesFollowEpochs()
    {
        const Zoo zoo = test::makeSyntheticZoo(2, 2, 3);
        const WeightMap map = computeWeightMap(zoo, MapSource::Weights);
        const auto lines = map.trajectories(zoo);
        QCOMPARE(lines.size(), size_t(4));
        for (const auto &line : lines) {
            QCOMPARE(line.size(), size_t(4));
            for (size_t i = 0; i < line.size(); ++i)
                QCOMPARE(zoo.checkpoints.get("epoch").number(map.checkpoints[size_t(line[i])]), double(i));
        }
    }
};

QTEST_GUILESS_MAIN(TestWeightMap)
#include "test_weightmap.moc"
