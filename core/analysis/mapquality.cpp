#include "analysis/mapquality.h"

#include "common/error.h"
#include "common/parallel.h"

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <random>

namespace wse {

namespace {

// The k nearest points of `query` in one distance row, the query itself left out.
std::vector<int64_t> nearestInRow(const float *row, int64_t points, int64_t query, int k, std::vector<int64_t> &scratch)
{
    scratch.resize(size_t(points - 1));
    for (int64_t j = 0, o = 0; j < points; ++j)
        if (j != query)
            scratch[size_t(o++)] = j;
    auto closer = [&](int64_t a, int64_t b) { return row[a] < row[b] || (row[a] == row[b] && a < b); };
    std::nth_element(scratch.begin(), scratch.begin() + (k - 1), scratch.end(), closer);
    std::vector<int64_t> nearest(scratch.begin(), scratch.begin() + k);
    return nearest;
}

// Sum over `others` of max(0, rank - k), with rank the 1-based position of the point in `row`'s
// order (ties by index, as a stable argsort).
// Points also among `rowNearest` have rank <= k and cost nothing.
double rankPenalty(const float *row, int64_t points, int64_t query, const std::vector<int64_t> &others,
                   const std::vector<int64_t> &rowNearest, int k)
{
    double penalty = 0.0;
    for (int64_t j : others) {
        if (std::find(rowNearest.begin(), rowNearest.end(), j) != rowNearest.end())
            continue;
        int64_t rank = 1;
        for (int64_t m = 0; m < points; ++m)
            if (m != query && (row[m] < row[j] || (row[m] == row[j] && m < j)))
                ++rank;
        penalty += double(std::max<int64_t>(0, rank - k));
    }
    return penalty;
}

} // namespace

MapQuality measureMapQuality(const float *latent, int64_t points, int64_t latentDims, const float *map, int mapDims,
                             DistanceMetric latentMetric, int k, int64_t maxQueries, uint64_t seed,
                             ProgressReporter *progress)
{
    if (k < 1 || 2 * points - 3 * k - 1 <= 0 || points <= k)
        throw UsageError("map quality with k = " + std::to_string(k) + " needs more than " + std::to_string(3 * k / 2 + 1) +
                         " points (have " + std::to_string(points) + ")");
    std::vector<int64_t> queries(static_cast<size_t>(points));
    std::iota(queries.begin(), queries.end(), 0);
    // Each query ranks every point twice: above a billion distance rows' worth of work the sample
    // shrinks (1,000 queries at a million points; the mean of T over them is within ~0.002).
    maxQueries = std::min(maxQueries, std::max<int64_t>(1000, int64_t(1e9) / points));
    if (points > maxQueries) {
        std::mt19937_64 random(seed);
        std::shuffle(queries.begin(), queries.end(), random);
        queries.resize(size_t(maxQueries));
        std::sort(queries.begin(), queries.end());
    }
    const int64_t blockSize = std::max<int64_t>(16, std::min<int64_t>(1024, (int64_t(1) << 24) / points));
    std::vector<double> trustPenalty(queries.size()), continuityPenalty(queries.size());
    std::vector<float> latentRows, mapRows;
    for (size_t first = 0; first < queries.size(); first += size_t(blockSize)) {
        const std::vector<int64_t> block(queries.begin() + int64_t(first),
                                         queries.begin() + int64_t(std::min(queries.size(), first + size_t(blockSize))));
        distanceRows(latent, points, latentDims, block, latentMetric, latentRows);
        distanceRows(map, points, mapDims, block, DistanceMetric::Euclidean, mapRows);
        parallelFor(int64_t(block.size()), [&](int64_t begin, int64_t end) {
            std::vector<int64_t> scratch;
            for (int64_t b = begin; b < end; ++b) {
                const float *latentRow = latentRows.data() + b * points, *mapRow = mapRows.data() + b * points;
                const int64_t query = block[size_t(b)];
                const std::vector<int64_t> mapNearest = nearestInRow(mapRow, points, query, k, scratch);
                const std::vector<int64_t> latentNearest = nearestInRow(latentRow, points, query, k, scratch);
                trustPenalty[first + size_t(b)] = rankPenalty(latentRow, points, query, mapNearest, latentNearest, k);
                continuityPenalty[first + size_t(b)] = rankPenalty(mapRow, points, query, latentNearest, mapNearest, k);
            }
        }, 4);
        if (progress)
            progress->report(double(first + block.size()) / double(queries.size()), "map quality",
                             std::to_string(first + block.size()) + " of " + std::to_string(queries.size()) + " points");
    }
    const double scale = 2.0 / (double(queries.size()) * k * (2.0 * double(points) - 3.0 * k - 1.0));
    MapQuality quality;
    quality.k = k;
    quality.points = points;
    quality.queries = int64_t(queries.size());
    quality.trustworthiness = 1.0 - scale * std::accumulate(trustPenalty.begin(), trustPenalty.end(), 0.0);
    quality.continuity = 1.0 - scale * std::accumulate(continuityPenalty.begin(), continuityPenalty.end(), 0.0);
    return quality;
}

} // namespace wse
