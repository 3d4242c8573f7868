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

namespace {

constexpr double Quantiles[] = {0.0, 0.25, 0.5, 0.75, 1.0};

// The order statistics numpy.quantile's default interpolates between for q: (below, above, fraction).
struct QuantilePosition
{
    size_t below, above;
    double fraction;
};
QuantilePosition positionOf(double q, size_t n)
{
    const double position = q * double(n - 1);
    const auto below = size_t(std::floor(position));
    return {below, std::min(below + 1, n - 1), position - double(below)};
}

// Puts the order statistics the quantiles need in their sorted places (the rest is only
// partitioned around them): a few selections instead of sorting every tensor. Positions come in
// ascending order; one right after the last placed is the smallest of the rest (a scan).
void placeOrderStatistics(std::vector<float> &values)
{
    size_t from = 0; // everything before `from` is in place and no larger than what follows
    for (double q : Quantiles) {
        const QuantilePosition p = positionOf(q, values.size());
        for (const size_t k : {p.below, p.above}) {
            if (k < from)
                continue;
            if (k == from)
                std::iter_swap(values.begin() + long(k), std::min_element(values.begin() + long(k), values.end()));
            else
                std::nth_element(values.begin() + long(from), values.begin() + long(k), values.end());
            from = k + 1;
        }
    }
}

} // namespace

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
        double sum = 0.0, squares = 0.0;
        for (size_t i = 0; i < n; ++i) {
            sum += values[i];
            squares += double(values[i]) * values[i];
        }
        std::vector<float> ordered(values, values + n);
        values += n;
        placeOrderStatistics(ordered);
        const double mean = sum / double(n);
        const double variance = n > 1 ? std::max(0.0, (squares - double(n) * mean * mean) / double(n - 1)) : 0.0;
        features.push_back(float(mean));
        features.push_back(float(std::sqrt(variance)));
        for (double q : Quantiles) {
            const QuantilePosition p = positionOf(q, n);
            features.push_back(float(double(ordered[p.below]) * (1.0 - p.fraction) + double(ordered[p.above]) * p.fraction));
        }
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
