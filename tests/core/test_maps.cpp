// Maps: neighbours, trustworthiness/continuity (against scikit-learn), the t-SNE affinities
// (against scikit-learn) and UMAP curve (against scipy), PCA / t-SNE / UMAP layouts that keep
// clusters apart, are reproducible for any thread count, can be cancelled and animate, new
// points placed next to their neighbours, and the workspace file.
#include "common/pythonoracle.h"
#include "mapfixtures.h"

#include "analysis/projection.h"
#include "analysis/tsne.h"
#include "analysis/umap.h"
#include "common/error.h"
#include "common/text.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <random>
#include <set>

using namespace wse;
using test::Clusters;
using test::makeClusters;
using test::quickSettings;

namespace {

QString floatsAsText(const float *values, size_t count)
{
    QStringList parts;
    for (size_t i = 0; i < count; ++i)
        parts << QString::number(double(values[i]), 'g', 9);
    return parts.join(' ');
}

// Fraction of points whose nearest map neighbour has the same cluster label.
double neighbourPurity(const std::vector<float> &map, int dims, const std::vector<int> &labels)
{
    const int64_t n = int64_t(labels.size());
    int64_t same = 0;
    for (int64_t i = 0; i < n; ++i) {
        double best = 1e300;
        int64_t nearest = -1;
        for (int64_t j = 0; j < n; ++j) {
            if (j == i)
                continue;
            double d = 0;
            for (int c = 0; c < dims; ++c)
                d += std::pow(map[size_t(i * dims + c)] - map[size_t(j * dims + c)], 2);
            if (d < best) {
                best = d;
                nearest = j;
            }
        }
        same += labels[size_t(nearest)] == labels[size_t(i)];
    }
    return double(same) / double(n);
}

} // namespace

class TestMaps : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tsneOfAMillionPointsIsRefusedWithUmapsEstimate()
    {
        ProjectionSettings tsne;
        tsne.method = ProjectionMethod::Tsne;
        tsne.dims = 3;
        const std::string refusal = tsneTooLong(tsne, 1000000);
        QVERIFY2(refusal.find("t-SNE of 1000000 points takes about") != std::string::npos, refusal.c_str());
        QVERIFY2(refusal.find("UMAP maps them in about") != std::string::npos, refusal.c_str());
        // UMAP's estimate at a million points is under an hour, t-SNE's over: both named in the text.
        ProjectionSettings umap = tsne;
        umap.method = ProjectionMethod::Umap;
        QVERIFY(estimatedSeconds(umap, 1000000) < 3600 && estimatedSeconds(tsne, 1000000) > 3600);
        QVERIFY(tsneTooLong(umap, 1000000).empty());
        QVERIFY(tsneTooLong(tsne, 10000).empty()); // minutes: asked about, not refused
    }

    void exactNeighboursEqualBruteForce()
    {
        const Clusters c = makeClusters(3, 60, 8, 1);
        for (DistanceMetric metric : {DistanceMetric::Euclidean, DistanceMetric::Cosine}) {
            const NeighborGraph graph = nearestNeighbors(c.values.data(), c.points, c.dims, 5, {metric});
            QVERIFY(graph.exact);
            for (int64_t i = 0; i < c.points; ++i) {
                std::vector<std::pair<double, int64_t>> all;
                const float *a = c.values.data() + i * c.dims;
                double na = 0;
                for (int d = 0; d < c.dims; ++d)
                    na += double(a[d]) * a[d];
                for (int64_t j = 0; j < c.points; ++j) {
                    if (j == i)
                        continue;
                    const float *b = c.values.data() + j * c.dims;
                    double dot = 0, nb = 0, sq = 0;
                    for (int d = 0; d < c.dims; ++d) {
                        dot += double(a[d]) * b[d];
                        nb += double(b[d]) * b[d];
                        sq += std::pow(double(a[d]) - b[d], 2);
                    }
                    all.emplace_back(metric == DistanceMetric::Cosine ? 1 - dot / std::sqrt(na * nb) : std::sqrt(sq), j);
                }
                std::sort(all.begin(), all.end());
                for (int k = 0; k < 5; ++k) {
                    QCOMPARE(int64_t(graph.neighbors(i)[k]), all[size_t(k)].second);
                    QVERIFY(std::fabs(graph.distancesOf(i)[k] - all[size_t(k)].first) < 1e-4 * (1 + all[size_t(k)].first));
                }
            }
        }
    }

    void approximateNeighboursFindMostTrueNeighbours()
    {
        const Clusters c = makeClusters(10, 300, 32, 2);
        const NeighborGraph exact = nearestNeighbors(c.values.data(), c.points, c.dims, 10, {DistanceMetric::Euclidean, NeighborSearch::Exact});
        const NeighborGraph approximate =
            nearestNeighbors(c.values.data(), c.points, c.dims, 10, {DistanceMetric::Euclidean, NeighborSearch::Approximate});
        QVERIFY(!approximate.exact);
        int64_t found = 0;
        for (int64_t i = 0; i < c.points; ++i) {
            const std::set<int32_t> truth(exact.neighbors(i), exact.neighbors(i) + 10);
            for (int k = 0; k < 10; ++k)
                found += truth.count(approximate.neighbors(i)[k]);
        }
        const double recall = double(found) / double(c.points * 10);
        QVERIFY2(recall > 0.95, qPrintable(QString("HNSW recall %1").arg(recall)));
        QVERIFY_THROWS_EXCEPTION(UsageError, nearestNeighbors(c.values.data(), 5, c.dims, 5, {}));
    }

    void qualityEqualsScikitLearn()
    {
        if (!test::pythonHas("sklearn"))
            QSKIP("python3-sklearn is not installed");
        const Clusters c = makeClusters(4, 50, 10, 3);
        // A deliberately imperfect map: two input coordinates plus noise.
        std::mt19937_64 random(4);
        std::normal_distribution<float> noise(0.0f, 2.0f);
        std::vector<float> map;
        for (int64_t i = 0; i < c.points; ++i)
            for (int d = 0; d < 2; ++d)
                map.push_back(c.values[size_t(i * c.dims + d)] + noise(random));
        const MapQuality quality = measureMapQuality(c.values.data(), c.points, c.dims, map.data(), 2, DistanceMetric::Euclidean, 7);
        QCOMPARE(quality.queries, c.points);
        const QString script = R"(
import sys, numpy as np
from sklearn.manifold import trustworthiness
x = np.array(sys.argv[1].split(), dtype=np.float64).reshape(-1, int(sys.argv[3]))
y = np.array(sys.argv[2].split(), dtype=np.float64).reshape(-1, 2)
print(trustworthiness(x, y, n_neighbors=7), trustworthiness(y, x, n_neighbors=7))
)";
        const QStringList out = test::runPython(script, {floatsAsText(c.values.data(), c.values.size()),
                                                         floatsAsText(map.data(), map.size()), QString::number(c.dims)})
                                    .split(' ');
        QVERIFY(std::fabs(quality.trustworthiness - out[0].toDouble()) < 1e-9);
        QVERIFY(std::fabs(quality.continuity - out[1].toDouble()) < 1e-9);
        QVERIFY(quality.trustworthiness < 0.99); // the noisy map is not perfect, so the test can fail

        const MapQuality sampled =
            measureMapQuality(c.values.data(), c.points, c.dims, map.data(), 2, DistanceMetric::Euclidean, 7, 100, 1);
        QVERIFY(sampled.sampled());
        QCOMPARE(sampled.queries, int64_t(100));
        QVERIFY(std::fabs(sampled.trustworthiness - quality.trustworthiness) < 0.03);
    }

    void tsneAffinitiesEqualScikitLearn()
    {
        if (!test::pythonHas("sklearn"))
            QSKIP("python3-sklearn is not installed");
        const Clusters c = makeClusters(3, 40, 6, 5);
        const NeighborGraph graph = nearestNeighbors(c.values.data(), c.points, c.dims, 31, {});
        const tsne::Affinities p = tsne::jointProbabilities(graph, 10.0);
        QStringList rows, cols, dist;
        for (int64_t i = 0; i < graph.points; ++i)
            for (int k = 0; k < graph.k; ++k) {
                rows << QString::number(i);
                cols << QString::number(graph.neighbors(i)[k]);
                dist << QString::number(double(graph.distancesOf(i)[k]) * graph.distancesOf(i)[k], 'g', 12);
            }
        const QString script = R"(
import sys, numpy as np
from scipy.sparse import csr_matrix
from sklearn.manifold._t_sne import _joint_probabilities_nn
r, c, d = (np.array(a.split(), dtype=float) for a in sys.argv[1:4])
n = int(sys.argv[4])
P = _joint_probabilities_nn(csr_matrix((d, (r.astype(int), c.astype(int))), shape=(n, n)), 10.0, 0).toarray()
print(" ".join(repr(v) for v in P.ravel()))
)";
        const QStringList out = test::runPython(script, {rows.join(' '), cols.join(' '), dist.join(' '), QString::number(c.points)})
                                    .split(' ', Qt::SkipEmptyParts);
        QCOMPARE(int64_t(out.size()), c.points * c.points);
        double largest = 0;
        for (int64_t i = 0; i < c.points; ++i)
            for (int64_t e = p.offsets[size_t(i)]; e < p.offsets[size_t(i + 1)]; ++e) {
                const double theirs = out[int(i * c.points + p.columns[size_t(e)])].toDouble();
                largest = std::max(largest, theirs);
                // Both stop the perplexity search at an entropy tolerance of 1e-5 (scikit-learn in float32).
                QVERIFY2(std::fabs(p.values[size_t(e)] - theirs) < 1e-4 * theirs + 1e-12,
                         qPrintable(QString("P[%1,%2] %3 vs %4").arg(i).arg(p.columns[size_t(e)]).arg(p.values[size_t(e)]).arg(theirs)));
            }
        QVERIFY(largest > 0);
    }

    void umapCurveEqualsScipyFit()
    {
        if (!test::pythonHas("scipy"))
            QSKIP("python3-scipy is not installed");
        const auto [a, b] = umap::fitCurve(1.0, 0.25);
        // umap-learn's find_ab_params, verbatim.
        const QString script = R"(
import numpy as np
from scipy.optimize import curve_fit
spread, min_dist = 1.0, 0.25
def curve(x, a, b): return 1.0 / (1.0 + a * x ** (2 * b))
xv = np.linspace(0, spread * 3, 300)
yv = np.zeros(xv.shape); yv[xv < min_dist] = 1.0
yv[xv >= min_dist] = np.exp(-(xv[xv >= min_dist] - min_dist) / spread)
params, _ = curve_fit(curve, xv, yv)
print(params[0], params[1])
)";
        const QStringList out = test::runPython(script).split(' ');
        QVERIFY2(std::fabs(a - out[0].toDouble()) < 1e-3 * out[0].toDouble() && std::fabs(b - out[1].toDouble()) < 1e-3,
                 qPrintable(QString("a %1 b %2 vs scipy %3").arg(a).arg(b).arg(out.join(' '))));
    }

    void umapGraphIsSymmetricFuzzyUnion()
    {
        const Clusters c = makeClusters(3, 50, 8, 6);
        const NeighborGraph knn = nearestNeighbors(c.values.data(), c.points, c.dims, 9, {});
        const umap::EdgeList directed = umap::membershipStrengths(knn, 10);
        // Each point's memberships sum to log2(n_neighbors) (the smooth-kNN calibration).
        for (int64_t i = 0; i < c.points; ++i) {
            double sum = 0;
            for (int64_t e = directed.offsets[size_t(i)]; e < directed.offsets[size_t(i + 1)]; ++e)
                sum += directed.weights[size_t(e)];
            QVERIFY2(std::fabs(sum - std::log2(10.0)) < 1e-3, qPrintable(QString::number(sum)));
        }
        const umap::EdgeList graph = umap::fuzzyUnion(directed, c.points);
        std::map<std::pair<int, int>, float> weights;
        for (int64_t h = 0; h < c.points; ++h)
            for (int64_t e = graph.offsets[size_t(h)]; e < graph.offsets[size_t(h + 1)]; ++e)
                weights[{int(h), graph.tails[size_t(e)]}] = graph.weights[size_t(e)];
        for (const auto &[edge, w] : weights) {
            QVERIFY(w > 0 && w <= 1.0f + 1e-6f);
            QCOMPARE(weights.at({edge.second, edge.first}), w);
        }
    }

    void mapsKeepClustersApartAndMeasureQuality_data()
    {
        QTest::addColumn<int>("method");
        QTest::addColumn<int>("dims");
        QTest::newRow("pca 3d") << int(ProjectionMethod::Pca) << 3;
        QTest::newRow("tsne 2d") << int(ProjectionMethod::Tsne) << 2;
        QTest::newRow("tsne 3d") << int(ProjectionMethod::Tsne) << 3;
        QTest::newRow("umap 2d") << int(ProjectionMethod::Umap) << 2;
        QTest::newRow("umap 3d") << int(ProjectionMethod::Umap) << 3;
    }

    void mapsKeepClustersApartAndMeasureQuality()
    {
        QFETCH(int, method);
        QFETCH(int, dims);
        const Clusters c = makeClusters(4, 100, 16, 8);
        const ProjectionSettings settings = quickSettings(ProjectionMethod(method), dims);
        int layouts = 0, lastStep = 0;
        const Projection p = computeProjection(c.values.data(), c.points, c.dims, settings, nullptr,
                                               [&](const std::vector<float> &layout, int step, int steps) {
                                                   QCOMPARE(int64_t(layout.size()), c.points * dims);
                                                   QVERIFY(step > lastStep && step <= steps);
                                                   lastStep = step;
                                                   ++layouts;
                                               });
        QCOMPARE(int64_t(p.coordinates.size()), c.points * dims);
        QVERIFY(std::all_of(p.coordinates.begin(), p.coordinates.end(), [](float v) { return std::isfinite(v); }));
        if (settings.method != ProjectionMethod::Pca)
            QVERIFY(layouts > 1); // intermediate layouts for animation
        const double purity = neighbourPurity(p.coordinates, dims, c.labels);
        QVERIFY2(purity > 0.97, qPrintable(QString("nearest neighbour in the same cluster: %1").arg(purity)));
        QCOMPARE(p.quality.k, 10);
        QCOMPARE(p.quality.queries, c.points);
        QVERIFY2(p.quality.trustworthiness > 0.8, p.quality.describe().c_str());
        if (settings.method == ProjectionMethod::Pca) {
            QCOMPARE(int(p.explainedRatio.size()), dims);
            QVERIFY(p.explainedRatio[0] >= p.explainedRatio[1] && p.explainedRatio[1] >= p.explainedRatio[2]);
        }
    }

    void mapsAreReproducibleForAnyThreadCount()
    {
        const Clusters c = makeClusters(3, 80, 12, 9);
        for (ProjectionMethod method : {ProjectionMethod::Tsne, ProjectionMethod::Umap}) {
            ProjectionSettings s = quickSettings(method, 3);
            s.qualityK = 0;
            ::setenv("WSE_THREADS", "1", 1);
            const Projection single = computeProjection(c.values.data(), c.points, c.dims, s);
            ::setenv("WSE_THREADS", "3", 1);
            const Projection three = computeProjection(c.values.data(), c.points, c.dims, s);
            ::unsetenv("WSE_THREADS");
            const Projection again = computeProjection(c.values.data(), c.points, c.dims, s);
            QVERIFY2(single.coordinates == three.coordinates, methodName(method).c_str());
            QVERIFY2(single.coordinates == again.coordinates, methodName(method).c_str());
            if (method == ProjectionMethod::Umap) {
                s.seed += 1;
                QVERIFY(computeProjection(c.values.data(), c.points, c.dims, s).coordinates != single.coordinates);
            }
        }
    }

    void cancellingStopsAMap()
    {
        const Clusters c = makeClusters(3, 80, 12, 10);
        for (ProjectionMethod method : {ProjectionMethod::Tsne, ProjectionMethod::Umap}) {
            int calls = 0;
            ProgressReporter progress([&](const ProgressInfo &) { return ++calls < 20; });
            QVERIFY_THROWS_EXCEPTION(Cancelled, computeProjection(c.values.data(), c.points, c.dims, quickSettings(method, 2), &progress));
            QCOMPARE(calls, 20);
        }
    }

    void newPointsLandNextToTheirNeighbours()
    {
        const Clusters c = makeClusters(4, 100, 16, 11);
        // New points: slightly moved copies of existing points.
        std::mt19937_64 random(12);
        std::normal_distribution<float> noise(0.0f, 0.05f);
        const std::vector<int64_t> sources = {3, 150, 222, 399};
        std::vector<float> fresh;
        for (int64_t s : sources)
            for (int d = 0; d < c.dims; ++d)
                fresh.push_back(c.values[size_t(s * c.dims + d)] + noise(random));
        for (ProjectionMethod method : {ProjectionMethod::Pca, ProjectionMethod::Tsne, ProjectionMethod::Umap}) {
            const Projection p = computeProjection(c.values.data(), c.points, c.dims, quickSettings(method, 3));
            const std::vector<float> placed = placeNewPoints(p, c.values.data(), fresh.data(), int64_t(sources.size()));
            QCOMPARE(placed.size(), sources.size() * 3);
            for (size_t k = 0; k < sources.size(); ++k) {
                // Nearest map point to the placed one must lie in the source's cluster, and the
                // placed point must be closer to its source than to most points of the map.
                double toSource = 0;
                for (int d = 0; d < 3; ++d)
                    toSource += std::pow(placed[k * 3 + size_t(d)] - p.coordinates[size_t(sources[k] * 3 + d)], 2);
                int64_t closer = 0, nearest = -1;
                double best = 1e300;
                for (int64_t j = 0; j < c.points; ++j) {
                    double dj = 0;
                    for (int d = 0; d < 3; ++d)
                        dj += std::pow(placed[k * 3 + size_t(d)] - p.coordinates[size_t(j * 3 + d)], 2);
                    closer += dj < toSource;
                    if (dj < best) {
                        best = dj;
                        nearest = j;
                    }
                }
                QCOMPARE(c.labels[size_t(nearest)], c.labels[size_t(sources[k])]);
                QVERIFY2(closer < 30, qPrintable(QString("%1: %2 map points closer than the source").arg(methodName(method).c_str()).arg(closer)));
            }
            if (method == ProjectionMethod::Pca) {
                const std::vector<float> same = placeNewPoints(p, c.values.data(), c.values.data(), c.points);
                for (size_t i = 0; i < same.size(); ++i)
                    QVERIFY(std::fabs(same[i] - p.coordinates[i]) < 1e-4f);
            }
        }
    }

    void settingsRoundTripAndRejectNonsense()
    {
        ProjectionSettings s;
        s.set("method", "umap");
        s.set("n_neighbors", "30");
        s.set("min_dist", "0.5");
        s.set("init", "pca");
        s.set("seed", "42");
        const ProjectionSettings back = ProjectionSettings::fromJson(s.toJson());
        QCOMPARE(back.toJson(), s.toJson());
        QCOMPARE(back.neighbors, 30);
        QCOMPARE(back.init, std::string("pca"));
        QVERIFY_THROWS_EXCEPTION(UsageError, s.set("n_neighbours", "3"));
        QVERIFY_THROWS_EXCEPTION(UsageError, s.set("min_dist", "abc"));
        QVERIFY_THROWS_EXCEPTION(UsageError, s.set("perplexity", "0"));
        QVERIFY(estimatedSeconds(s, 100000) > estimatedSeconds(s, 1000));
    }
};

QTEST_GUILESS_MAIN(TestMaps)
#include "test_maps.moc"
