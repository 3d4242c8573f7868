// Dropout masks: inverted Bernoulli masks of each model's rate, independent elements, a model's own
// keys, and the same masks from the CPU loop and from the tensor operations CUDA runs.
#include "training/dropoutmasks.h"

#include <QtTest>
#include <torch/torch.h>

#include <cmath>

using namespace wse;

class TestDropoutMasks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dropoutMasksAreInvertedBernoulliPerModel()
    {
        const std::vector<double> rates = {0.0, 0.1, 0.5, 0.5, 0.9};
        std::vector<DropoutDraw> draws;
        for (size_t m = 0; m < rates.size(); ++m) {
            at::Generator generator = at::detail::createCPUGenerator(uint64_t(m + 1));
            draws.push_back(drawDropout(rates[m], generator));
        }
        const std::vector<int64_t> perModel = {10, 8, 12, 12}; // CNN-s's first dropout, batch 10
        const torch::Tensor masks = dropoutMasks(draws, perModel, torch::zeros({1}));
        QCOMPARE(masks.sizes().vec(), (std::vector<int64_t>{5, 10, 8, 12, 12}));
        // What CUDA runs (integer tensor operations) gives exactly the CPU's masks.
        QVERIFY(torch::equal(dropoutMasksByTensorOps(draws, perModel, torch::zeros({1})), masks));

        const torch::Tensor flat = masks.reshape({5, -1});
        const double n = double(flat.size(1));
        QVERIFY(torch::equal(flat[0], torch::ones_like(flat[0]))); // p = 0: nothing dropped, nothing drawn
        for (size_t m = 1; m < rates.size(); ++m) {
            const double p = rates[m], scale = 1.0 / (1.0 - p);
            const torch::Tensor row = flat[int64_t(m)];
            const torch::Tensor kept = row.ne(0);
            // Kept elements carry 1 / (1 - p), so the mask's mean is 1; the kept fraction is 1 - p
            // within 5 standard deviations.
            QVERIFY(torch::allclose(row.masked_select(kept), torch::full({1}, float(scale))));
            const double fraction = kept.to(torch::kFloat64).mean().item<double>();
            QVERIFY2(std::fabs(fraction - (1.0 - p)) < 5.0 * std::sqrt(p * (1.0 - p) / n),
                     qPrintable(QString("p = %1: kept %2").arg(p).arg(fraction)));
            // Neighbouring elements are independent (correlation within 5 standard deviations of 0).
            const torch::Tensor a = kept.slice(0, 0, -1).to(torch::kFloat64), b = kept.slice(0, 1).to(torch::kFloat64);
            const double covariance = ((a - a.mean()) * (b - b.mean())).mean().item<double>();
            QVERIFY(std::fabs(covariance / (p * (1.0 - p))) < 5.0 / std::sqrt(n));
        }
        QVERIFY(!torch::equal(flat[2], flat[3])); // same rate, own streams: other masks
    }
};

QTEST_GUILESS_MAIN(TestDropoutMasks)
#include "test_dropoutmasks.moc"
