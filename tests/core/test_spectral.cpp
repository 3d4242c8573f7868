// WeightWatcher's spectral metrics against a numpy implementation of the same formulas (eigenvalues
// of WᵀW, conv slices scaled by sqrt(kh·kw/2), Clauset's power-law fit with the KS-chosen xmin,
// norms, stable rank) on random matrices and on a CNN-s trained here; layers with fewer eigenvalues
// than min_evals are not evaluable; the zoo gets the model means as columns.
#include "common/fixtures.h"

#include "analysis/spectral.h"
#include "common/error.h"
#include "training/zootrainer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <random>

using namespace wse;

namespace {

// The numpy oracle: each tensor of a flattened row, its spectrum and metrics per layer.
const char *NumpyOracle = R"(
import json, sys
import numpy as np
spec = json.load(open(sys.argv[1]))
row = np.fromfile(sys.argv[2], dtype=np.float32).astype(np.float64)
def fit(ev):
    x = np.sort(ev[ev > 0]); n = len(x); best = None
    for s in range(n):
        xmin = x[s]
        if (s > 0 and x[s - 1] == xmin) or xmin == x[-1]:
            continue
        t = x[s:]; m = len(t)
        alpha = 1 + m / np.sum(np.log(t / xmin))
        cdf = 1 - (t / xmin) ** (1 - alpha)
        i = np.arange(m)
        d = max(np.max(np.abs((i + 1) / m - cdf)), np.max(np.abs(i / m - cdf)))
        if best is None or d < best[2]:
            best = (alpha, xmin, d, m)
    return best
out, offset = [], 0
for key, shape in spec:
    size = int(np.prod(shape)); w = row[offset:offset + size].reshape(shape); offset += size
    if not key.endswith('weight') or len(shape) not in (2, 4):
        continue
    if len(shape) == 2:
        mats = [w]
    else:
        k = shape[2] * shape[3]
        mats = [w[:, :, i, j] * np.sqrt(k / 2.0) for i in range(shape[2]) for j in range(shape[3])]
    ev = np.concatenate([np.linalg.svd(m, compute_uv=False) ** 2 for m in mats])
    entry = {'key': key, 'evals': len(ev)}
    if len(ev) >= int(sys.argv[3]):
        a, xmin, d, m = fit(ev)
        entry.update(alpha=a, xmin=xmin, ks=d, tail=m, log_norm=np.log10(ev.sum()), log_spectral=np.log10(ev.max()),
                     alpha_weighted=a * np.log10(ev.max()), log_alpha_norm=np.log10(np.sum(ev ** a)),
                     stable_rank=ev.sum() / ev.max())
    out.append(entry)
print(json.dumps(out))
)";

bool close(double ours, double theirs) { return std::abs(ours - theirs) <= 1e-6 * std::max(1.0, std::abs(theirs)); }

} // namespace

class TestSpectral : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir;

    // Compares every layer of `row` with the numpy oracle; returns how many layers were evaluable.
    int compareWithNumpy(const Architecture &architecture, const std::vector<float> &row, int minEvals)
    {
        QJsonArray spec;
        for (const TensorSpec &tensor : architecture.tensors) {
            QJsonArray shape;
            for (int64_t size : tensor.shape)
                shape.append(qint64(size));
            spec.append(QJsonArray{QString::fromStdString(tensor.key), shape});
        }
        const QString specPath = mDir.filePath("spec.json"), rowPath = mDir.filePath("row.f32");
        QFile specFile(specPath);
        specFile.open(QIODevice::WriteOnly);
        specFile.write(QJsonDocument(spec).toJson());
        specFile.close();
        std::ofstream(rowPath.toStdString(), std::ios::binary)
            .write(reinterpret_cast<const char *>(row.data()), std::streamsize(row.size() * sizeof(float)));
        const QJsonArray theirs =
            QJsonDocument::fromJson(test::runPython(NumpyOracle, {specPath, rowPath, QString::number(minEvals)}).toUtf8()).array();
        const ModelSpectrum ours = spectralMetrics(architecture, row.data(), minEvals);
        if (ours.layers.size() != size_t(theirs.size())) {
            qWarning() << "layer count" << ours.layers.size() << theirs.size();
            return -1;
        }
        int evaluable = 0;
        for (size_t i = 0; i < ours.layers.size(); ++i) {
            const LayerSpectrum &layer = ours.layers[i];
            const QJsonObject expected = theirs[int(i)].toObject();
            const QByteArray where = QByteArray::fromStdString(layer.key);
            if (layer.eigenvalues != expected["evals"].toInteger() || layer.evaluable != expected.contains("alpha")) {
                qWarning() << where << "eigenvalue count or evaluability differs";
                return -1;
            }
            if (!layer.evaluable) {
                if (!std::isnan(layer.fit.alpha))
                    return -1;
                continue;
            }
            ++evaluable;
            const std::pair<double, const char *> pairs[] = {
                {layer.fit.alpha, "alpha"}, {layer.fit.xmin, "xmin"}, {layer.fit.ksDistance, "ks"},
                {double(layer.fit.tail), "tail"}, {layer.logNorm, "log_norm"}, {layer.logSpectralNorm, "log_spectral"},
                {layer.alphaWeighted, "alpha_weighted"}, {layer.logAlphaNorm, "log_alpha_norm"}, {layer.stableRank, "stable_rank"}};
            for (const auto &[value, name] : pairs)
                if (!close(value, expected[name].toDouble())) {
                    qWarning() << where << name << value << expected[name].toDouble();
                    return -1;
                }
        }
        return evaluable;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!test::pythonHas("numpy"))
            QSKIP("python3-numpy is not installed");
    }

    void randomMatricesMatchNumpy()
    {
        Architecture architecture;
        architecture.name = "random";
        architecture.tensors = {{"conv.weight", {16, 8, 3, 3}}, {"conv.bias", {16}}, {"fc.weight", {30, 50}},
                                {"tiny.weight", {4, 3}}, {"heavy.weight", {64, 40}}};
        std::mt19937 generator(5);
        std::normal_distribution<float> normal;
        std::student_t_distribution<float> heavy(2.5f); // heavy-tailed entries, as trained layers have
        std::vector<float> row;
        for (const TensorSpec &tensor : architecture.tensors)
            for (int64_t i = 0; i < tensor.numel(); ++i)
                row.push_back(tensor.key == "heavy.weight" ? heavy(generator) : normal(generator));
        QCOMPARE(compareWithNumpy(architecture, row, DefaultMinEvals), 3); // tiny.weight: 3 eigenvalues
        const ModelSpectrum model = spectralMetrics(architecture, row.data());
        QCOMPARE(model.evaluable, 3);
        QVERIFY(!model.layers[2].evaluable && model.layers[2].key == "tiny.weight");
        QCOMPARE(model.layers[0].eigenvalues, int64_t(9 * 8)); // nine 16x8 slices
    }

    void aTrainedCnnMatchesNumpyAndTheZooGetsColumns()
    {
        if (!test::haveFashionMnist())
            QSKIP("dataset-fashion-mnist is not installed");
        ZooTrainOptions options;
        options.trainLimit = 2000;
        options.testLimit = 200;
        options.epochs = 2;
        options.learningRates = {3e-3};
        options.inits = {"kaiming_uniform", "normal"};
        Zoo zoo = trainZoo(options, mDir.filePath("trained.h5").toStdString(), {});
        const Architecture &architecture = zoo.architectures.at(0);
        const int64_t last = zoo.checkpointCount() - 1;
        const float *trained = zoo.weights[0].row(int64_t(zoo.checkpoints.get(zoocol::WeightRow).number(last)));
        const std::vector<float> row(trained, trained + architecture.numel());
        QCOMPARE(compareWithNumpy(architecture, row, DefaultMinEvals), 5); // CNN-s: 25, 150, 16, 20, 10 eigenvalues
        QCOMPARE(compareWithNumpy(architecture, row, 50), 1);              // only the second conv has 50

        storeSpectralColumns(zoo, zooSpectralMetrics(zoo));
        const Column &alpha = zoo.checkpoints.get("ww_alpha");
        const ModelSpectrum lastModel = spectralMetrics(architecture, row.data());
        QVERIFY(close(alpha.number(last), lastModel.alpha));
        for (const char *name : {"ww_alpha_weighted", "ww_log_norm", "ww_log_spectral_norm", "ww_log_alpha_norm", "ww_stable_rank"})
            QVERIFY2(std::isfinite(zoo.checkpoints.get(name).number(0)), name);
        storeSpectralColumns(zoo, zooSpectralMetrics(zoo)); // again: replaced, not added twice
        QCOMPARE(zoo.checkpoints.get("ww_alpha").number(last), alpha.number(last));
    }

    void aPowerLawNeedsTwoDistinctValues()
    {
        QVERIFY_THROWS_EXCEPTION(UsageError, fitPowerLaw({2.0, 2.0, 0.0}));
        const PowerLawFit fit = fitPowerLaw({1, 2, 4, 8, 16, 32, 64, 128});
        QVERIFY(fit.tail >= 2 && fit.tail <= 8 && fit.alpha > 1 && fit.xmin >= 1 && fit.xmin < 128);
        // Zero eigenvalues (a rank-deficient layer) are left out of the fit, not taken as xmin.
        const PowerLawFit withZeros = fitPowerLaw({0, 0, 1, 2, 4, 8, 16, 32, 64, 128});
        QCOMPARE(withZeros.alpha, fit.alpha);
        QCOMPARE(withZeros.xmin, fit.xmin);
    }
};

QTEST_MAIN(TestSpectral)
#include "test_spectral.moc"
