#pragma once
// How faithful a map is: trustworthiness (are the map's neighbours true neighbours?) and
// continuity (do true neighbours stay neighbours on the map?), Venna & Kaski 2001, the same
// definitions as scikit-learn's trustworthiness. Above `maxQueries` points (fewer for very large
// maps: at most a billion points x queries) the sums run over a seeded random sample of query
// points (ranks still against all points) and say so.
#include "analysis/maprecord.h"
#include "analysis/neighbors.h"

#include <cstdint>
#include <string>

namespace wse {

MapQuality measureMapQuality(const float *latent, int64_t points, int64_t latentDims, const float *map, int mapDims,
                             DistanceMetric latentMetric, int k = 10, int64_t maxQueries = 20000, uint64_t seed = 0,
                             ProgressReporter *progress = nullptr);

} // namespace wse
