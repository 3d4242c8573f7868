// PCA against an answer known in closed form, both eigen-paths, projection of new points.
#include "analysis/pca.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace wse;

namespace {

// An orthonormal basis of R^n from a seeded Gram-Schmidt.
std::vector<std::vector<double>> randomBasis(int n, unsigned seed)
{
    std::mt19937 random(seed);
    std::normal_distribution<double> normal;
    std::vector<std::vector<double>> basis;
    while (int(basis.size()) < n) {
        std::vector<double> v(static_cast<size_t>(n));
        for (double &x : v)
            x = normal(random);
        for (const auto &b : basis) {
            double dot = 0;
            for (int i = 0; i < n; ++i)
                dot += v[size_t(i)] * b[size_t(i)];
            for (int i = 0; i < n; ++i)
                v[size_t(i)] -= dot * b[size_t(i)];
        }
        double norm = 0;
        for (double x : v)
            norm += x * x;
        norm = std::sqrt(norm);
        for (double &x : v)
            x /= norm;
        basis.push_back(v);
    }
    return basis;
}

} // namespace

class TestPca : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Points +-3u1, +-2u2, +-1u3 (plus an offset): the covariance is exactly
    // (18 u1u1' + 8 u2u2' + 2 u3u3') / 5, so the axes are u1, u2, u3 with variances 3.6, 1.6, 0.4.
    void recoversKnownAxesAndVariances_data()
    {
        QTest::addColumn<int>("dimensions");
        QTest::newRow("covariance path (rows > cols)") << 4;
        QTest::newRow("Gram path (rows < cols)") << 12;
    }
    void recoversKnownAxesAndVariances()
    {
        QFETCH(int, dimensions);
        const auto basis = randomBasis(dimensions, 11);
        const double scale[3] = {3, 2, 1};
        std::vector<float> data;
        for (int axis = 0; axis < 3; ++axis)
            for (double sign : {1.0, -1.0})
                for (int j = 0; j < dimensions; ++j)
                    data.push_back(float(5.0 + sign * scale[axis] * basis[size_t(axis)][size_t(j)]));
        const int rows = 6;
        const PcaResult pca = computePca(data.data(), rows, dimensions, 3);

        const double variances[3] = {3.6, 1.6, 0.4};
        for (int c = 0; c < 3; ++c) {
            QVERIFY(std::fabs(pca.explainedVariance[size_t(c)] - variances[c]) < 1e-5);
            QVERIFY(std::fabs(pca.explainedRatio[size_t(c)] - variances[c] / 5.6) < 1e-6);
            double dot = 0;
            for (int j = 0; j < dimensions; ++j)
                dot += pca.axes[size_t(c * dimensions + j)] * basis[size_t(c)][size_t(j)];
            QVERIFY2(std::fabs(std::fabs(dot) - 1.0) < 1e-6, "axis must equal the generating direction");
            // Point 2c (the + point of axis c) sits at +-scale on component c and 0 elsewhere.
            for (int k = 0; k < 3; ++k) {
                const double expected = k == c ? scale[c] * (dot > 0 ? 1 : -1) : 0.0;
                QVERIFY(std::fabs(pca.coordinates[size_t(2 * c * 3 + k)] - expected) < 1e-4);
            }
        }
    }

    void signsAreDeterministic()
    {
        std::mt19937 random(3);
        std::normal_distribution<float> normal;
        std::vector<float> data(200 * 7);
        for (float &x : data)
            x = normal(random);
        const PcaResult a = computePca(data.data(), 200, 7, 3);
        const PcaResult b = computePca(data.data(), 200, 7, 3);
        QVERIFY(a.coordinates == b.coordinates);
        for (int c = 0; c < 3; ++c) {
            double largest = 0;
            for (int j = 0; j < 7; ++j)
                if (std::fabs(a.axes[size_t(c * 7 + j)]) > std::fabs(largest))
                    largest = a.axes[size_t(c * 7 + j)];
            QVERIFY(largest > 0);
        }
    }

    void projectingTrainingRowsReproducesTheirCoordinates()
    {
        std::mt19937 random(5);
        std::normal_distribution<float> normal;
        std::vector<float> data(50 * 20);
        for (float &x : data)
            x = normal(random);
        const PcaResult pca = computePca(data.data(), 50, 20, 3);
        const std::vector<float> projected = pca.project(data.data(), 50);
        for (size_t i = 0; i < projected.size(); ++i)
            QVERIFY(std::fabs(projected[i] - pca.coordinates[i]) < 1e-4);
    }

    void fewerRowsThanComponentsPadsWithZeros()
    {
        const std::vector<float> data = {0, 0, 0, 1, 2, 3};
        const PcaResult pca = computePca(data.data(), 2, 3, 3);
        QCOMPARE(pca.coordinates.size(), size_t(6));
        QCOMPARE(pca.coordinates[1], 0.0f);
        QCOMPARE(pca.coordinates[2], 0.0f);
        QVERIFY(std::fabs(std::fabs(pca.coordinates[0]) - std::sqrt(14.0f) / 2) < 1e-5);
    }
};

QTEST_GUILESS_MAIN(TestPca)
#include "test_pca.moc"
