#include "analysis/probe.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace wse {

namespace {

// Solves A x = b for symmetric positive definite A (n x n) by Cholesky; false when not SPD.
bool solveSpd(std::vector<double> a, std::vector<double> &b, int64_t n)
{
    for (int64_t j = 0; j < n; ++j) {
        double diagonal = a[size_t(j * n + j)];
        for (int64_t k = 0; k < j; ++k)
            diagonal -= a[size_t(j * n + k)] * a[size_t(j * n + k)];
        if (!(diagonal > 0))
            return false;
        const double root = std::sqrt(diagonal);
        a[size_t(j * n + j)] = root;
        for (int64_t i = j + 1; i < n; ++i) {
            double value = a[size_t(i * n + j)];
            for (int64_t k = 0; k < j; ++k)
                value -= a[size_t(i * n + k)] * a[size_t(j * n + k)];
            a[size_t(i * n + j)] = value / root;
        }
    }
    for (int64_t i = 0; i < n; ++i) { // L y = b
        for (int64_t k = 0; k < i; ++k)
            b[size_t(i)] -= a[size_t(i * n + k)] * b[size_t(k)];
        b[size_t(i)] /= a[size_t(i * n + i)];
    }
    for (int64_t i = n; i-- > 0;) { // L^T x = y
        for (int64_t k = i + 1; k < n; ++k)
            b[size_t(i)] -= a[size_t(k * n + i)] * b[size_t(k)];
        b[size_t(i)] /= a[size_t(i * n + i)];
    }
    return true;
}

// Ridge fits of several target columns at once: returns weights (dims+1) x targets per lambda.
struct RidgeFit
{
    std::vector<double> gram;  // (d+1)^2 over training rows
    std::vector<double> cross; // (d+1) x targets
    int64_t width = 0, targets = 0;

    std::vector<double> solve(double lambda) const
    {
        std::vector<double> a = gram;
        for (int64_t i = 0; i < width; ++i)
            a[size_t(i * width + i)] += lambda;
        std::vector<double> weights(size_t(width * targets));
        for (int64_t t = 0; t < targets; ++t) {
            std::vector<double> b(static_cast<size_t>(width));
            for (int64_t i = 0; i < width; ++i)
                b[size_t(i)] = cross[size_t(i * targets + t)];
            if (!solveSpd(a, b, width))
                std::fill(b.begin(), b.end(), std::nan(""));
            for (int64_t i = 0; i < width; ++i)
                weights[size_t(i * targets + t)] = b[size_t(i)];
        }
        return weights;
    }
};

RidgeFit fitRidge(const std::vector<double> &features, int64_t dims, const std::vector<double> &targets, int64_t targetCount,
                  const std::vector<int64_t> &rows)
{
    RidgeFit fit;
    fit.width = dims + 1;
    fit.targets = targetCount;
    fit.gram.assign(size_t(fit.width * fit.width), 0.0);
    fit.cross.assign(size_t(fit.width * targetCount), 0.0);
    std::vector<double> x(size_t(fit.width));
    for (int64_t r : rows) {
        std::copy_n(features.begin() + r * dims, dims, x.begin());
        x[size_t(dims)] = 1.0;
        for (int64_t i = 0; i < fit.width; ++i) {
            for (int64_t j = 0; j <= i; ++j)
                fit.gram[size_t(i * fit.width + j)] += x[size_t(i)] * x[size_t(j)];
            for (int64_t t = 0; t < targetCount; ++t)
                fit.cross[size_t(i * targetCount + t)] += x[size_t(i)] * targets[size_t(r * targetCount + t)];
        }
    }
    for (int64_t i = 0; i < fit.width; ++i)
        for (int64_t j = i + 1; j < fit.width; ++j)
            fit.gram[size_t(i * fit.width + j)] = fit.gram[size_t(j * fit.width + i)];
    return fit;
}

std::vector<double> predict(const std::vector<double> &features, int64_t dims, const std::vector<double> &weights,
                            int64_t targetCount, int64_t row)
{
    std::vector<double> out(size_t(targetCount), 0.0);
    for (int64_t t = 0; t < targetCount; ++t) {
        double value = weights[size_t(dims * targetCount + t)];
        for (int64_t i = 0; i < dims; ++i)
            value += features[size_t(row * dims + i)] * weights[size_t(i * targetCount + t)];
        out[size_t(t)] = value;
    }
    return out;
}

void rowsBySplit(const std::vector<ProbeSplit> &split, const std::vector<bool> &usable, std::vector<int64_t> (&rows)[3])
{
    for (size_t r = 0; r < split.size(); ++r)
        if (usable[r] && split[r] != ProbeSplit::Skip)
            rows[int(split[r])].push_back(int64_t(r));
}

void requireRows(const std::string &target, const std::vector<int64_t> (&rows)[3])
{
    if (rows[0].empty() || rows[2].empty())
        throw UsageError("probe '" + target + "': the train and test splits need rows (have " +
                         std::to_string(rows[0].size()) + " and " + std::to_string(rows[2].size()) + ")");
}

} // namespace

const std::vector<double> &officialRidgeLambdas()
{
    static const std::vector<double> lambdas = {1e3, 3e2, 1e2, 3e1, 1e1, 3, 1, 0.3, 0.1, 3e-2, 1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5};
    return lambdas;
}

ProbeResult ridgeProbe(const std::string &target, const std::vector<double> &features, int64_t dims,
                       const std::vector<double> &values, const std::vector<ProbeSplit> &split)
{
    std::vector<bool> usable(values.size());
    for (size_t r = 0; r < values.size(); ++r) {
        usable[r] = std::isfinite(values[r]);
        for (int64_t i = 0; usable[r] && i < dims; ++i)
            usable[r] = std::isfinite(features[r * size_t(dims) + size_t(i)]);
    }
    std::vector<int64_t> rows[3];
    rowsBySplit(split, usable, rows);
    requireRows(target, rows);
    const RidgeFit fit = fitRidge(features, dims, values, 1, rows[0]);
    auto r2 = [&](const std::vector<double> &weights, const std::vector<int64_t> &subset) {
        if (subset.empty())
            return std::nan("");
        double mean = 0, residual = 0, variance = 0;
        for (int64_t r : subset)
            mean += values[size_t(r)];
        mean /= double(subset.size());
        for (int64_t r : subset) {
            const double error = predict(features, dims, weights, 1, r)[0] - values[size_t(r)];
            residual += error * error;
            variance += (values[size_t(r)] - mean) * (values[size_t(r)] - mean);
        }
        return variance > 0 ? 1.0 - residual / variance : std::nan("");
    };
    ProbeResult best;
    best.target = target;
    best.val = -INFINITY;
    best.train = -INFINITY;
    const bool haveVal = !rows[1].empty();
    for (double lambda : officialRidgeLambdas()) {
        const std::vector<double> weights = fit.solve(lambda);
        const double train = r2(weights, rows[0]), val = r2(weights, rows[1]);
        // Choose on validation R^2; without validation rows, on training R^2 (the official fallback).
        if (haveVal ? val > best.val : train > best.train) {
            best.lambda = lambda;
            best.train = train;
            best.val = val;
            best.test = r2(weights, rows[2]);
        }
    }
    best.trainCount = int64_t(rows[0].size());
    best.valCount = int64_t(rows[1].size());
    best.testCount = int64_t(rows[2].size());
    return best;
}

ProbeResult classificationProbe(const std::string &target, const std::vector<double> &features, int64_t dims,
                                const std::vector<std::string> &labels, const std::vector<ProbeSplit> &split)
{
    std::map<std::string, int64_t> classes;
    for (const std::string &label : labels)
        if (!label.empty())
            classes.emplace(label, int64_t(classes.size()));
    const int64_t k = int64_t(classes.size());
    for (auto &entry : classes) // stable indices in name order
        entry.second = std::distance(classes.begin(), classes.find(entry.first));
    std::vector<bool> usable(labels.size());
    std::vector<double> oneHot(labels.size() * size_t(k), 0.0);
    std::vector<int64_t> truth(labels.size(), -1);
    for (size_t r = 0; r < labels.size(); ++r) {
        usable[r] = !labels[r].empty();
        for (int64_t i = 0; usable[r] && i < dims; ++i)
            usable[r] = std::isfinite(features[r * size_t(dims) + size_t(i)]);
        if (usable[r]) {
            truth[r] = classes[labels[r]];
            oneHot[r * size_t(k) + size_t(truth[r])] = 1.0;
        }
    }
    std::vector<int64_t> rows[3];
    rowsBySplit(split, usable, rows);
    requireRows(target, rows);
    const RidgeFit fit = fitRidge(features, dims, oneHot, k, rows[0]);
    // Accuracy, and the squared error of the scores as a tie-break (accuracy on a small
    // validation split is often equal for several lambdas).
    auto score = [&](const std::vector<double> &weights, const std::vector<int64_t> &subset) -> std::pair<double, double> {
        if (subset.empty())
            return {std::nan(""), std::nan("")};
        int64_t correct = 0;
        double squares = 0;
        for (int64_t r : subset) {
            const std::vector<double> scores = predict(features, dims, weights, k, r);
            correct += std::max_element(scores.begin(), scores.end()) - scores.begin() == truth[size_t(r)];
            for (int64_t c = 0; c < k; ++c)
                squares += std::pow(scores[size_t(c)] - oneHot[size_t(r * k + c)], 2);
        }
        return {double(correct) / double(subset.size()), -squares};
    };
    ProbeResult best;
    best.target = target;
    std::pair<double, double> bestChoice = {-INFINITY, -INFINITY};
    const bool haveVal = !rows[1].empty();
    for (double lambda : officialRidgeLambdas()) {
        const std::vector<double> weights = fit.solve(lambda);
        const std::pair<double, double> train = score(weights, rows[0]), val = score(weights, rows[1]);
        const std::pair<double, double> choice = haveVal ? val : train;
        if (choice > bestChoice) {
            bestChoice = choice;
            best.lambda = lambda;
            best.train = train.first;
            best.val = val.first;
            best.test = score(weights, rows[2]).first;
        }
    }
    std::vector<int64_t> counts(size_t(k), 0);
    for (int64_t r : rows[0])
        ++counts[size_t(truth[size_t(r)])];
    const int64_t majority = std::max_element(counts.begin(), counts.end()) - counts.begin();
    int64_t majorityHits = 0;
    for (int64_t r : rows[2])
        majorityHits += truth[size_t(r)] == majority;
    best.chance = double(majorityHits) / double(rows[2].size());
    best.trainCount = int64_t(rows[0].size());
    best.valCount = int64_t(rows[1].size());
    best.testCount = int64_t(rows[2].size());
    return best;
}

std::vector<double> layerQuintileFeatures(const float *tokens, int64_t tokenSize,
                                          const std::vector<std::pair<int64_t, int64_t>> &layerRanges)
{
    std::vector<double> features;
    std::vector<double> values;
    for (const auto &[first, last] : layerRanges) {
        values.assign(tokens + first * tokenSize, tokens + last * tokenSize);
        std::sort(values.begin(), values.end());
        const double n = double(values.size());
        double mean = 0, variance = 0;
        for (double v : values)
            mean += v;
        mean /= n;
        for (double v : values)
            variance += (v - mean) * (v - mean);
        variance /= std::max(1.0, n - 1);
        features.push_back(mean);
        features.push_back(variance);
        for (double q : {0.01, 0.25, 0.5, 0.75, 0.99}) { // linear interpolation, as numpy/torch.quantile
            const double position = q * (n - 1);
            const size_t below = size_t(std::floor(position));
            const size_t above = std::min(below + 1, values.size() - 1);
            features.push_back(values[below] + (values[above] - values[below]) * (position - double(below)));
        }
    }
    return features;
}

} // namespace wse
