#include "analysis/spectral.h"

#include "common/error.h"
#include "common/parallel.h"
#include "jobs/progress.h"
#include "zoo/zoo.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace wse {

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

bool isMatrixWeight(const TensorSpec &tensor)
{
    const std::string suffix = "weight";
    const bool named = tensor.key.size() >= suffix.size() &&
                       tensor.key.compare(tensor.key.size() - suffix.size(), suffix.size(), suffix) == 0;
    return named && (tensor.shape.size() == 2 || tensor.shape.size() == 4);
}

LayerSpectrum describeLayer(const TensorSpec &tensor, std::vector<double> eigenvalues, int minEvals)
{
    LayerSpectrum layer;
    layer.key = tensor.key;
    layer.shape = tensor.shapeText();
    layer.eigenvalues = int64_t(eigenvalues.size());
    int64_t distinctPositive = 0;
    std::sort(eigenvalues.begin(), eigenvalues.end());
    for (size_t i = 0; i < eigenvalues.size(); ++i)
        distinctPositive += eigenvalues[i] > 0 && (i == 0 || eigenvalues[i] != eigenvalues[i - 1]);
    layer.evaluable = layer.eigenvalues >= minEvals && distinctPositive >= 2;
    if (!layer.evaluable) {
        layer.logNorm = layer.logSpectralNorm = layer.alphaWeighted = layer.logAlphaNorm = layer.stableRank = NaN;
        layer.fit.alpha = layer.fit.xmin = layer.fit.ksDistance = NaN;
        return layer;
    }
    const double sum = std::accumulate(eigenvalues.begin(), eigenvalues.end(), 0.0);
    const double largest = eigenvalues.back();
    layer.fit = fitPowerLaw(eigenvalues);
    layer.logNorm = std::log10(sum);
    layer.logSpectralNorm = std::log10(largest);
    layer.alphaWeighted = layer.fit.alpha * layer.logSpectralNorm;
    double alphaNorm = 0;
    for (double value : eigenvalues)
        alphaNorm += std::pow(value, layer.fit.alpha);
    layer.logAlphaNorm = std::log10(alphaNorm);
    layer.stableRank = sum / largest;
    return layer;
}

} // namespace

PowerLawFit fitPowerLaw(std::vector<double> eigenvalues)
{
    eigenvalues.erase(std::remove_if(eigenvalues.begin(), eigenvalues.end(), [](double v) { return !(v > 0); }),
                      eigenvalues.end());
    std::sort(eigenvalues.begin(), eigenvalues.end());
    const size_t n = eigenvalues.size();
    if (n < 2 || eigenvalues.front() == eigenvalues.back())
        throw UsageError("a power law needs at least two distinct positive eigenvalues");
    // Suffix sums of ln λ: the MLE for every candidate in one pass.
    std::vector<double> logSuffix(n + 1, 0.0);
    for (size_t i = n; i-- > 0;)
        logSuffix[i] = logSuffix[i + 1] + std::log(eigenvalues[i]);
    PowerLawFit best;
    best.ksDistance = std::numeric_limits<double>::infinity();
    for (size_t start = 0; start < n; ++start) {
        const double xmin = eigenvalues[start];
        if ((start > 0 && xmin == eigenvalues[start - 1]) || xmin == eigenvalues.back())
            continue; // one try per distinct value; never the largest
        const size_t tail = n - start;
        const double logSum = logSuffix[start] - double(tail) * std::log(xmin);
        const double alpha = 1.0 + double(tail) / logSum;
        double distance = 0;
        for (size_t i = 0; i < tail; ++i) {
            const double fitted = 1.0 - std::pow(eigenvalues[start + i] / xmin, 1.0 - alpha);
            distance = std::max({distance, std::abs(double(i + 1) / double(tail) - fitted),
                                 std::abs(double(i) / double(tail) - fitted)});
        }
        if (distance < best.ksDistance)
            best = {alpha, xmin, distance, int64_t(tail)};
    }
    return best;
}

std::vector<double> layerEigenvalues(const TensorSpec &tensor, const float *values)
{
    if (!isMatrixWeight(tensor))
        return {};
    at::Tensor weight = at::from_blob(const_cast<float *>(values), tensor.shape, at::kFloat).to(at::kDouble);
    at::Tensor matrices;
    if (tensor.shape.size() == 2) {
        matrices = weight.unsqueeze(0);
    } else {
        const int64_t slices = tensor.shape[2] * tensor.shape[3];
        matrices = weight.permute({2, 3, 0, 1}).reshape({slices, tensor.shape[0], tensor.shape[1]}) *
                   std::sqrt(double(slices) / 2.0);
    }
    const at::Tensor singular = at::linalg_svdvals(matrices).reshape({-1}).contiguous();
    std::vector<double> eigenvalues(size_t(singular.numel()));
    const double *data = singular.data_ptr<double>();
    for (size_t i = 0; i < eigenvalues.size(); ++i)
        eigenvalues[i] = data[i] * data[i];
    return eigenvalues;
}

ModelSpectrum spectralMetrics(const Architecture &architecture, const float *row, int minEvals)
{
    ModelSpectrum model;
    int64_t offset = 0;
    for (const TensorSpec &tensor : architecture.tensors) {
        std::vector<double> eigenvalues = layerEigenvalues(tensor, row + offset);
        offset += tensor.numel();
        if (!eigenvalues.empty() || isMatrixWeight(tensor))
            model.layers.push_back(describeLayer(tensor, std::move(eigenvalues), minEvals));
    }
    double sums[6] = {0, 0, 0, 0, 0, 0};
    for (const LayerSpectrum &layer : model.layers) {
        if (!layer.evaluable)
            continue;
        ++model.evaluable;
        const double values[6] = {layer.fit.alpha, layer.alphaWeighted, layer.logNorm, layer.logSpectralNorm,
                                  layer.logAlphaNorm, layer.stableRank};
        for (int i = 0; i < 6; ++i)
            sums[i] += values[i];
    }
    double *means[6] = {&model.alpha, &model.alphaWeighted, &model.logNorm, &model.logSpectralNorm, &model.logAlphaNorm,
                        &model.stableRank};
    for (int i = 0; i < 6; ++i)
        *means[i] = model.evaluable ? sums[i] / model.evaluable : NaN;
    return model;
}

std::vector<ModelSpectrum> zooSpectralMetrics(const Zoo &zoo, int minEvals, ProgressReporter *progress)
{
    const Column &rows = zoo.checkpoints.get(zoocol::WeightRow);
    const int64_t count = zoo.checkpointCount(), block = 1024;
    std::vector<ModelSpectrum> spectra(static_cast<size_t>(count));
    // Each checkpoint's matrices are small: one thread each, none inside torch (restored however
    // this ends, a cancel included).
    struct TorchThreads
    {
        int saved = at::get_num_threads();
        TorchThreads() { at::set_num_threads(1); }
        ~TorchThreads() { at::set_num_threads(saved); }
    } oneThreadEach;
    for (int64_t first = 0; first < count; first += block) {
        reportTo(progress, double(first) / double(count), "spectra",
                 std::to_string(first) + " of " + std::to_string(count) + " checkpoints");
        parallelFor(std::min(block, count - first), [&](int64_t begin, int64_t end) {
            for (int64_t checkpoint = first + begin; checkpoint < first + end; ++checkpoint) {
                const int architecture = zoo.checkpointArchitecture(checkpoint);
                const WeightMatrix &weights = zoo.weights.at(size_t(architecture));
                spectra[size_t(checkpoint)] = spectralMetrics(zoo.architectures[size_t(architecture)],
                                                              weights.row(int64_t(rows.number(checkpoint))), minEvals);
            }
        }, 16);
    }
    reportTo(progress, 1.0, "spectra", std::to_string(count) + " checkpoints");
    return spectra;
}

void storeSpectralColumns(Zoo &zoo, const std::vector<ModelSpectrum> &spectra)
{
    const std::pair<const char *, double ModelSpectrum::*> metrics[] = {
        {"ww_alpha", &ModelSpectrum::alpha},
        {"ww_alpha_weighted", &ModelSpectrum::alphaWeighted},
        {"ww_log_norm", &ModelSpectrum::logNorm},
        {"ww_log_spectral_norm", &ModelSpectrum::logSpectralNorm},
        {"ww_log_alpha_norm", &ModelSpectrum::logAlphaNorm},
        {"ww_stable_rank", &ModelSpectrum::stableRank}};
    for (const auto &[name, member] : metrics) {
        std::vector<double> values;
        values.reserve(spectra.size());
        for (const ModelSpectrum &spectrum : spectra)
            values.push_back(spectrum.*member);
        Column column = Column::numbers(name, std::move(values));
        if (zoo.checkpoints.find(name))
            zoo.checkpoints.replaceColumn(std::move(column));
        else
            zoo.checkpoints.addColumn(std::move(column));
    }
}

} // namespace wse
