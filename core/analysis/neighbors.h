#pragma once
// k nearest neighbours of every row of a matrix (the whole zoo at once), exact by blocked matrix
// products or approximate through an HNSW index (hnswlib) for large inputs, and distance rows for
// rank-based map quality. Row-major float input, rows = points.
#include "analysis/maprecord.h"
#include "jobs/progress.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wse {

struct NeighborOptions
{
    DistanceMetric metric = DistanceMetric::Euclidean;
    NeighborSearch search = NeighborSearch::Auto;
    int64_t exactLimit = 30000; // Auto searches exactly up to this many points
    uint64_t seed = 0;          // HNSW level assignment (the index is built in one thread: reproducible)
};

struct NeighborGraph
{
    int64_t points = 0;
    int k = 0;
    bool exact = true;
    std::vector<int32_t> indices; // points x k, nearest first, the point itself left out
    std::vector<float> distances; // points x k: Euclidean distance, or 1 - cosine similarity

    const int32_t *neighbors(int64_t point) const { return indices.data() + point * k; }
    const float *distancesOf(int64_t point) const { return distances.data() + point * k; }
};

// Throws UsageError when k >= points or the input is empty. Cancellable through `progress`.
NeighborGraph nearestNeighbors(const float *data, int64_t points, int64_t dims, int k, const NeighborOptions &options,
                               ProgressReporter *progress = nullptr);

// Neighbours among `data` of rows that are not part of it (new points placed into a map); exact.
NeighborGraph queryNeighbors(const float *data, int64_t points, int64_t dims, const float *queries, int64_t queryCount,
                             int k, DistanceMetric metric);

// Distances from each of `rows` (indices into data) to every point: out is rows.size() x points.
void distanceRows(const float *data, int64_t points, int64_t dims, const std::vector<int64_t> &rows,
                  DistanceMetric metric, std::vector<float> &out);

} // namespace wse
