#pragma once
// Linear probes of a representation (sane-spec §6.2): ridge regression with the official lambda
// grid chosen on the validation split, R^2 on train/val/test; a ridge classifier (one-vs-rest
// on one-hot targets, same grid, chosen by validation accuracy) for categorical targets. Also
// the layer-quintile (LQ) baseline features of the SANE paper.
#include <cstdint>
#include <string>
#include <vector>

namespace wse {

enum class ProbeSplit : int8_t { Skip = -1, Train = 0, Val = 1, Test = 2 };

struct ProbeResult
{
    std::string target;
    double lambda = 0;
    double train = 0, val = 0, test = 0; // R^2 (regression) or accuracy (classification)
    int64_t trainCount = 0, valCount = 0, testCount = 0;
    double chance = 0; // classification: accuracy of always answering the most frequent training class
};

// The 17 lambdas of the official probe, 1e3 ... 1e-5.
const std::vector<double> &officialRidgeLambdas();

// features: rows x dims (row-major). Rows whose target is NaN are dropped. A constant-1 column is
// appended and regularised too, as in the official closed form. Throws UsageError when the train
// or test split has no rows.
ProbeResult ridgeProbe(const std::string &target, const std::vector<double> &features, int64_t dims,
                       const std::vector<double> &values, const std::vector<ProbeSplit> &split);

// labels: class names per row ("" = skip).
ProbeResult classificationProbe(const std::string &target, const std::vector<double> &features, int64_t dims,
                                const std::vector<std::string> &labels, const std::vector<ProbeSplit> &split);

// LQ features of one token sequence: per layer (token range), over all its values (padding
// included, as the official baseline), mean, variance and the 1/25/50/75/99th percentiles.
std::vector<double> layerQuintileFeatures(const float *tokens, int64_t tokenSize,
                                          const std::vector<std::pair<int64_t, int64_t>> &layerRanges);

} // namespace wse
