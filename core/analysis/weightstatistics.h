#pragma once
// Per-tensor weight statistics of a checkpoint (Unterthiner et al. 2020; the "layer quintile"
// baseline of the SANE paper): for every tensor its mean, standard deviation and the five
// quintile points (min, 25%, median, 75%, max). Invariant to permutations of neurons, so models
// that differ only by symmetry get the same features.
#include "zoo/architecture.h"

#include <string>
#include <vector>

namespace wse {

inline constexpr int StatisticsPerTensor = 7;

// Names of the features, "<key>:mean", "<key>:std", "<key>:q0" ... "<key>:q100".
std::vector<std::string> weightStatisticNames(const Architecture &architecture);

// Features of one flattened checkpoint (architecture.numel() floats).
std::vector<float> weightStatistics(const Architecture &architecture, const float *row);

// Z-scores every column of a row-major matrix in place (constant columns become 0).
void standardiseColumns(std::vector<float> &matrix, int64_t rows, int64_t cols);

} // namespace wse
