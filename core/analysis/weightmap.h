#pragma once
// The first map of a zoo: PCA of the flattened weights of every checkpoint of one architecture.
#include "analysis/pca.h"
#include "zoo/zoo.h"

#include <vector>

namespace wse {

struct WeightMap
{
    int architecture = 0;
    std::vector<int64_t> checkpoints; // zoo checkpoint index of each map point
    PcaResult pca;                    // coordinates: one row per map point
};

// Needs the zoo's weights loaded. Throws UsageError if the architecture has no checkpoints.
WeightMap computeWeightMap(const Zoo &zoo, int architecture = 0, int dimensions = 3);

} // namespace wse
