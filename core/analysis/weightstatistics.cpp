#include "analysis/weightstatistics.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace wse {

std::vector<std::string> weightStatisticNames(const Architecture &architecture)
{
    std::vector<std::string> names;
    for (const TensorSpec &tensor : architecture.tensors)
        for (const char *statistic : {"mean", "std", "q0", "q25", "q50", "q75", "q100"})
            names.push_back(tensor.key + ":" + statistic);
    return names;
}

// Linear interpolation between order statistics, as numpy.quantile's default.
static double quantile(const std::vector<float> &sorted, double q)
{
    const double position = q * double(sorted.size() - 1);
    const auto below = size_t(std::floor(position));
    const size_t above = std::min(below + 1, sorted.size() - 1);
    const double fraction = position - double(below);
    return double(sorted[below]) * (1.0 - fraction) + double(sorted[above]) * fraction;
}

std::vector<float> weightStatistics(const Architecture &architecture, const float *row)
{
    std::vector<float> features;
    features.reserve(architecture.tensors.size() * StatisticsPerTensor);
    const float *values = row;
    for (const TensorSpec &tensor : architecture.tensors) {
        const auto n = size_t(tensor.numel());
        if (n == 0) { // an empty tensor (zoo import keeps them) has no statistics
            features.insert(features.end(), StatisticsPerTensor, std::numeric_limits<float>::quiet_NaN());
            continue;
        }
        std::vector<float> sorted(values, values + n);
        values += n;
        std::sort(sorted.begin(), sorted.end());
        double sum = 0.0, squares = 0.0;
        for (float v : sorted) {
            sum += v;
            squares += double(v) * v;
        }
        const double mean = sum / double(n);
        const double variance = n > 1 ? std::max(0.0, (squares - double(n) * mean * mean) / double(n - 1)) : 0.0;
        features.push_back(float(mean));
        features.push_back(float(std::sqrt(variance)));
        for (double q : {0.0, 0.25, 0.5, 0.75, 1.0})
            features.push_back(float(quantile(sorted, q)));
    }
    return features;
}

void standardiseColumns(std::vector<float> &matrix, int64_t rows, int64_t cols)
{
    for (int64_t c = 0; c < cols; ++c) {
        double sum = 0.0, squares = 0.0;
        int64_t finite = 0;
        for (int64_t r = 0; r < rows; ++r) {
            const double v = matrix[size_t(r * cols + c)];
            if (std::isfinite(v)) {
                sum += v;
                squares += v * v;
                ++finite;
            }
        }
        const double mean = finite ? sum / double(finite) : 0.0;
        const double std = finite > 1 ? std::sqrt(std::max(0.0, squares / double(finite) - mean * mean)) : 0.0;
        for (int64_t r = 0; r < rows; ++r) {
            float &v = matrix[size_t(r * cols + c)];
            v = std::isfinite(v) && std > 1e-12 ? float((v - mean) / std) : 0.0f; // NaN rows land at the centre
        }
    }
}

} // namespace wse
